namespace UserServices.Data.Clients;

/// <summary>
/// A client assertion (RFC 7523 §3: a <c>private_key_jwt</c> client's signed JWT) that has been used: its <c>jti</c>,
/// kept until the assertion expires so that the same assertion is accepted once. The primary key is the decision:
/// the insert that does not conflict is the one use.
/// </summary>
public class ClientAssertionUse
{
    public required string ClientId { get; set; }

    public required string Jti { get; set; }

    /// <summary>The assertion's <c>exp</c>; after it, the assertion is refused for its age and the row can go.</summary>
    public DateTime ExpiresAt { get; set; }
}
