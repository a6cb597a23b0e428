namespace UserServices.Api.Tokens;

/// <summary>What a client-credentials request of an authenticated client came to.</summary>
public abstract record ClientCredentialsOutcome
{
    private ClientCredentialsOutcome()
    {
    }

    /// <summary>A token for the client itself, with the scopes granted (null: none).</summary>
    public sealed record Issued(IssuedToken Token, string? Scope) : ClientCredentialsOutcome;

    /// <summary>RFC 8707 §2: the <c>resource</c> asked for is not one of the client's audiences.</summary>
    public sealed record InvalidTarget(string Detail) : ClientCredentialsOutcome;

    /// <summary>The client has had its tokens for this minute.</summary>
    public sealed record RateLimited(TimeSpan RetryAfter) : ClientCredentialsOutcome;
}
