using System.Diagnostics.Metrics;

namespace UserServices.Api.Monitoring;

/// <summary>
/// The service's own instruments, all on the <c>UserServices</c> meter: what the framework's meters cannot know
/// (why a login failed, what a refresh token was). Each is recorded where the outcome is decided. Without a
/// listener (no management listener, no OTLP) recording costs next to nothing.
/// </summary>
public sealed class ServiceMetrics
{
    public const string MeterName = "UserServices";

    private const string Outcome = "outcome";

    // bcrypt takes 0.2 s at cost 12; waiting for a thread is anything from nothing to the length of the queue.
    private static readonly double[] WaitBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly Counter<long> _logins;
    private readonly Counter<long> _registrations;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _sessionsEnded;
    private readonly Counter<long> _clientCredentials;
    private readonly Histogram<double> _passwordWait;

    public ServiceMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _logins = _meter.CreateCounter<long>("userservices.logins", "{login}",
            "Password-grant requests by outcome: succeeded, invalid_credentials, locked_out, rate_limited, busy.");
        _registrations = _meter.CreateCounter<long>("userservices.registrations", "{registration}",
            "Registrations by outcome: created, invalid, taken, rate_limited, busy.");
        _refreshes = _meter.CreateCounter<long>("userservices.refreshes", "{refresh}",
            "Refresh-token grants by outcome: rotated, reuse_detected, concurrent, expired, revoked, unknown, wrong_client, account_changed, locked_out.");
        _sessionsEnded = _meter.CreateCounter<long>("userservices.sessions.ended", "{session}",
            "Sessions ended, by cause: logout, revoked, reuse_detected, ended_by_user, ended_by_admin, account_changed.");
        // Tagged by client too: the registered clients are few and fixed, and "which service floods us" is the question.
        _clientCredentials = _meter.CreateCounter<long>("userservices.client_credentials", "{request}",
            "Client-credentials requests of authenticated clients by client_id and outcome: issued, invalid_target, rate_limited.");
        _passwordWait = _meter.CreateHistogram("userservices.password_work.wait.duration", "s",
            "Time a bcrypt waited in the queue for a password thread.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
    }

    public void RecordLogin(LoginResult result) => _logins.Add(1, KeyValuePair.Create<string, object?>(Outcome, Tag(result)));

    public void RecordRegistration(RegistrationResult result) =>
        _registrations.Add(1, KeyValuePair.Create<string, object?>(Outcome, Tag(result)));

    public void RecordRefresh(RefreshResult result) => _refreshes.Add(1, KeyValuePair.Create<string, object?>(Outcome, Tag(result)));

    /// <summary>Counts <paramref name="count"/> sessions ended for <paramref name="cause"/> (a snake_case name).</summary>
    public void RecordSessionsEnded(string cause, int count)
    {
        if (count > 0)
        {
            _sessionsEnded.Add(count, KeyValuePair.Create<string, object?>("cause", cause));
        }
    }

    public void RecordClientCredentials(string clientId, ClientCredentialsResult result) =>
        _clientCredentials.Add(1, KeyValuePair.Create<string, object?>("client_id", clientId), KeyValuePair.Create<string, object?>(Outcome, Tag(result)));

    public void RecordPasswordWait(TimeSpan waited) => _passwordWait.Record(waited.TotalSeconds);

    /// <summary>Reports <paramref name="length"/> (bcrypt work waiting for a password thread) whenever metrics are collected.</summary>
    public void ObservePasswordQueue(Func<int> length) =>
        _meter.CreateObservableGauge("userservices.password_work.queue.length", length, "{bcrypt}",
            "bcrypt work waiting for a password thread.");

    private static string Tag(LoginResult result) => result switch
    {
        LoginResult.Succeeded => "succeeded",
        LoginResult.InvalidCredentials => "invalid_credentials",
        LoginResult.LockedOut => "locked_out",
        LoginResult.RateLimited => "rate_limited",
        LoginResult.Busy => "busy",
        LoginResult.MfaRequired => "mfa_required",
        LoginResult.MfaFailed => "mfa_failed",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    private static string Tag(RegistrationResult result) => result switch
    {
        RegistrationResult.Created => "created",
        RegistrationResult.Invalid => "invalid",
        RegistrationResult.Taken => "taken",
        RegistrationResult.RateLimited => "rate_limited",
        RegistrationResult.Busy => "busy",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    private static string Tag(RefreshResult result) => result switch
    {
        RefreshResult.Rotated => "rotated",
        RefreshResult.ReuseDetected => "reuse_detected",
        RefreshResult.Retried => "retried",
        RefreshResult.Concurrent => "concurrent",
        RefreshResult.Expired => "expired",
        RefreshResult.Revoked => "revoked",
        RefreshResult.Unknown => "unknown",
        RefreshResult.WrongClient => "wrong_client",
        RefreshResult.AccountChanged => "account_changed",
        RefreshResult.LockedOut => "locked_out",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    private static string Tag(ClientCredentialsResult result) => result switch
    {
        ClientCredentialsResult.Issued => "issued",
        ClientCredentialsResult.InvalidTarget => "invalid_target",
        ClientCredentialsResult.RateLimited => "rate_limited",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };
}
