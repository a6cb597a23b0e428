namespace UserServices.Api.Sessions;

public sealed class SessionCheckOptions
{
    public const string Section = "Sessions";

    /// <summary>
    /// Whether the bearer check reads the token's session with its account, so an ended session's access tokens stop
    /// at once (on by default; OWASP ASVS 5.0 7.4.1). Off, they live until they expire, as before sessions could be
    /// listed and ended; the switch exists so the benchmark can measure what the check costs in one run.
    /// </summary>
    public bool CheckOnEveryRequest { get; set; } = true;
}
