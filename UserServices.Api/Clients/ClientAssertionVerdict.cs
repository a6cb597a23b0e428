namespace UserServices.Api.Clients;

/// <summary>What checking a client assertion decided.</summary>
public abstract record ClientAssertionVerdict
{
    private ClientAssertionVerdict()
    {
    }

    /// <summary>Signed by the client's key, for us, in date, and its <c>jti</c> not seen before (now recorded).</summary>
    public sealed record Accepted : ClientAssertionVerdict;

    /// <summary>Not a valid assertion of this client; <paramref name="Reason"/> says why, for the client's developer.</summary>
    public sealed record Invalid(string Reason) : ClientAssertionVerdict;

    /// <summary>Valid, but its <c>jti</c> was used already: a copy, or a client that reuses assertions.</summary>
    public sealed record Replayed(string Jti) : ClientAssertionVerdict;
}
