using System.Net;

namespace UserServices.Api.Commands;

/// <summary>
/// <c>probe URL</c>: one GET; exit 0 when it answers 200 within 5 s, else 1 with one line saying why. The container
/// image's HEALTHCHECK runs it, because the .NET runtime images carry no curl or wget (the chiseled ones not even a
/// shell). It starts no host and reads no settings: it costs a process start and one request.
/// </summary>
public static class ProbeCommand
{
    public const string Usage = "Usage: probe URL   (e.g. probe http://127.0.0.1:9000/health/ready; exit 0 when it answers 200)";

    private const string Name = "probe";
    private const int Healthy = 0;

    // Docker's HEALTHCHECK knows 0 and 1 only (2 is reserved), so a wrong command line is "unhealthy" too.
    private const int Unhealthy = 1;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static bool IsRequested(string[] args) => args is [Name, ..];

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        if (args is not [_, var url] || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync(Usage);
            return Unhealthy;
        }

        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(uri);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return Healthy;
            }

            await error.WriteLineAsync($"{uri} answered {(int)response.StatusCode}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"{uri} did not answer: {e.Message}");
        }

        return Unhealthy;
    }
}
