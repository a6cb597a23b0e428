using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Api.Audit;
using UserServices.Data.Audit;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Audit;

/// <summary>Events older than Audit:RetentionDays are deleted by the cleanup; younger ones stay.</summary>
public sealed class AuditRetentionTests(AuditRetentionTests.Fixture fixture) : IClassFixture<AuditRetentionTests.Fixture>
{
    public sealed class Fixture(PostgresServer server) : ServiceFixture<AuditRetentionTests>(server)
    {
        protected override void Configure(Dictionary<string, string?> settings) => settings["Audit:RetentionDays"] = "30";
    }

    [Fact]
    public async Task Cleanup_deletes_the_events_past_the_retention_and_keeps_the_rest()
    {
        var app = fixture.App;
        var now = DateTime.UtcNow;
        await app.WithDbAsync(db =>
        {
            db.AuditEvents.AddRange(
                new AuditEvent { Action = "test.old", At = now.AddDays(-31) },
                new AuditEvent { Action = "test.old", At = now.AddDays(-400) },
                new AuditEvent { Action = "test.young", At = now.AddDays(-29) },
                new AuditEvent { Action = "test.young", At = now });
            return db.SaveChangesAsync();
        });

        var deleted = await app.Services.GetRequiredService<AuditCleanup>().DeleteExpiredAsync(CancellationToken.None);

        deleted.ShouldBe(2);
        (await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action.StartsWith("test.")).Select(e => e.Action).ToListAsync()))
            .ShouldBe(["test.young", "test.young"]);
    }

    [Fact]
    public async Task A_retention_of_zero_days_stops_the_start_naming_the_setting()
    {
        var result = await ApiProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = fixture.DatabaseUrl,
            ["SECRET_KEY"] = UserServicesApp.SecretKey,
            ["Audit__RetentionDays"] = "0",
        });

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StandardError.ShouldContain("Audit:RetentionDays must be between 1 and 36500.", Case.Sensitive, result.ToString());
    }
}
