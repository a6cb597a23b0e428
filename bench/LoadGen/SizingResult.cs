namespace LoadGen;

/// <summary>What the sizing phases measured (issue 26's table: each operation's rate and service CPU per request).</summary>
/// <param name="CostLogins">Per extra bcrypt cost (10, 11): one Verify's median time on one core, and logins alone at 4 connections.</param>
/// <param name="Refresh">Refresh-token rotations at 32 connections, one chain each (the cost-10 service).</param>
/// <param name="RefreshDatabase">PostgreSQL's work per refresh over that phase.</param>
/// <param name="Mfa">The MFA second steps, each of <see cref="MfaPool.Count"/> sent once.</param>
/// <param name="MfaSetup">How long registering, enrolling and passing the password step of those accounts took.</param>
internal sealed record SizingResult(
    IReadOnlyList<(int Cost, double VerifySeconds, PhaseResult Logins)> CostLogins,
    PhaseResult Refresh,
    DatabaseUse RefreshDatabase,
    PhaseResult Mfa,
    TimeSpan MfaSetup);
