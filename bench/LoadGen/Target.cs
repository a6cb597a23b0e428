using System.Net;
using System.Text.Json;

namespace LoadGen;

/// <summary>
/// One service the benchmark can drive: how to start it, and its own shapes of the three requests every user
/// service here has — register, log in (password → bearer token), read the profile (<c>GET /user/user</c>).
/// </summary>
/// <param name="Launch">The start command for a given loopback port.</param>
/// <param name="Prepare">Runs once before the first start (UserServices: its <c>migrate</c> command).</param>
/// <param name="PasswordCheck">What one login's password verification is, for the bound (e.g. "bcrypt cost 12").</param>
/// <param name="MeasureVerifySeconds">Times that verification on one core, with the service's own library; median seconds.</param>
internal sealed record Target(
    string Name,
    Func<int, ServiceLaunch> Launch,
    Func<string, Task>? Prepare,
    Func<string, HttpRequestMessage> Register,
    HttpStatusCode Registered,
    Func<string, HttpRequestMessage> Login,
    Func<JsonElement, string> TokenOf,
    string PasswordCheck,
    Func<double> MeasureVerifySeconds)
{
    public const string ProfilePath = "/user/user";

    /// <summary>Request names as the loads and the reports show them.</summary>
    public const string ProfileName = $"GET {ProfilePath}";

    public string LoginName => $"POST {Login("x").RequestUri}";

    public string RegisterName => $"POST {Register("x").RequestUri}";
}
