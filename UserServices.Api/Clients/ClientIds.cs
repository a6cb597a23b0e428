namespace UserServices.Api.Clients;

/// <summary>What RFC 6749 allows as a client_id (Appendix A.1: visible ASCII and space), with a length bound.</summary>
public static class ClientIds
{
    public const int MaxLength = 256;

    public static bool IsValid(string? clientId) =>
        clientId is { Length: > 0 and <= MaxLength } && clientId.All(c => c is >= '\x20' and <= '\x7E');
}
