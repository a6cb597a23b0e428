using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Recovery;

/// <summary>Timed tests run alone: another class's bcrypt on the same two cores would be measured too.</summary>
[CollectionDefinition(nameof(TimedAlone), DisableParallelization = true)]
public sealed class TimedAlone;

/// <summary>
/// POST /user/password/forgot takes as long for an unknown address as for a known one. The deterministic checks
/// (same answer, one outbox row either way) are in <see cref="PasswordResetTests"/>; this one measures, with
/// interleaved requests, medians and a generous bound, so the machine's other load cannot decide it.
/// </summary>
[Collection(nameof(TimedAlone))]
public sealed class ForgotTimingTests(MailServiceFixture<ForgotTimingTests> fixture) : IClassFixture<MailServiceFixture<ForgotTimingTests>>
{
    private const int Rounds = 40;

    [Fact]
    public async Task Forgot_takes_as_long_for_an_unknown_address_as_for_a_known_one()
    {
        var app = fixture.App;
        (await app.RegisterAsync("timed", "timed@example.com", "correct horse battery")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsJsonAsync("/user/password/forgot", new { email = "warm-up@example.com" });
        }

        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            known.Add(await TimeAsync(client, "timed@example.com"));
            unknown.Add(await TimeAsync(client, $"nobody{i}@example.com"));
        }

        var (knownMedian, unknownMedian) = (Median(known), Median(unknown));
        var report = $"median known {knownMedian:F2} ms, unknown {unknownMedian:F2} ms";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        // Within a factor of two, or 5 ms apart at most: a lookup and a mail on one path only would show as far more.
        (Math.Abs(knownMedian - unknownMedian) <= Math.Max(5, Math.Max(knownMedian, unknownMedian) / 2)).ShouldBeTrue(report);
    }

    private static async Task<double> TimeAsync(HttpClient client, string email)
    {
        var watch = Stopwatch.StartNew();
        var response = await client.PostAsJsonAsync("/user/password/forgot", new { email });
        watch.Stop();
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
