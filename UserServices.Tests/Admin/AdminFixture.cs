using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UserServices.Data.Audit;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Admin;

/// <summary>A service with a seeded admin, <see cref="RootName"/>, and the helpers the admin tests share.</summary>
public class AdminFixture<TTestClass>(PostgresServer server) : ServiceFixture<TTestClass>(server)
{
    public const string RootName = "root";
    public const string Password = "correct horse battery";

    /// <summary>The address the admin's requests come from, as the service sees it.</summary>
    public const string AdminPeer = "203.0.113.7";

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["ADMIN_USERNAME"] = RootName;
        settings["ADMIN_EMAIL"] = "root@example.com";
        settings["ADMIN_PASSWORD"] = Password;
    }

    /// <summary>A client signed in as <paramref name="userName"/>, sending from <see cref="AdminPeer"/>.</summary>
    public async Task<HttpClient> ClientOfAsync(string userName = RootName)
    {
        var client = App.ClientFrom(AdminPeer);
        client.DefaultRequestHeaders.Authorization = new("Bearer", await App.TokenAsync(userName, Password));
        client.DefaultRequestHeaders.UserAgent.ParseAdd("admin-tests/1.0");
        return client;
    }

    public async Task<int> RegisterAsync(string userName)
    {
        var response = await App.RegisterAsync(userName, $"{userName}@example.com", Password);
        return (await response.ReadJsonAsync()).GetProperty("id").GetInt32();
    }

    public Task<int> IdOfAsync(string userName) =>
        App.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    /// <summary>Gives the admin role straight in the database, leaving the account's tokens as they are.</summary>
    public Task MakeAdminAsync(int userId) => App.WithDbAsync(async db =>
    {
        var role = await db.Roles.SingleAsync(r => r.Name == "admin");
        db.UserRoles.Add(new IdentityUserRole<int> { UserId = userId, RoleId = role.Id });
        return await db.SaveChangesAsync();
    });

    public Task<List<AuditEvent>> EventsAsync(int? userId, string action) => App.WithDbAsync(db =>
        db.AuditEvents.Where(e => e.UserId == userId && e.Action == action).OrderBy(e => e.Id).ToListAsync());

    public Task<HttpResponseMessage> LockAsync(HttpClient admin, int id, DateTimeOffset? until = null, string? reason = null) =>
        admin.PostAsJsonAsync($"/admin/users/{id}/lock", new { until, reason });
}
