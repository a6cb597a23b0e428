using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Users;

public sealed class RegistrationTests(ServiceFixture<RegistrationTests> fixture) : IClassFixture<ServiceFixture<RegistrationTests>>
{
    private const string Password = "violet tractor umbrella sings";
    private const string TakenDetail = "That username or email is already registered.";
    private UserServicesApp App => fixture.App;

    private Task<int> UserCountAsync() => App.WithDbAsync(db => db.Users.CountAsync());

    private static async Task ShouldBeConflictAsync(HttpResponseMessage response)
    {
        var body = await response.ShouldBeProblemAsync(
            HttpStatusCode.Conflict, type: "https://tools.ietf.org/html/rfc9110#section-15.5.10", title: "Conflict", detail: TakenDetail);
        body.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(["detail", "status", "title", "traceId", "type"]);
    }

    [Fact]
    public async Task Registration_is_201_with_exactly_username_email_id_and_a_location()
    {
        var response = await App.RegisterAsync("bob", "bob@example.com", Password);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Headers.Location.ShouldBe(new Uri("/user/user", UriKind.Relative));
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = await response.ReadJsonAsync();
        body.PropertyNames().ShouldBe(["username", "email", "id"]);
        body.Str("username").ShouldBe("bob");
        body.Str("email").ShouldBe("bob@example.com");
        var id = body.GetProperty("id").GetInt32();
        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "bob").Select(u => u.Id).SingleAsync())).ShouldBe(id);
    }

    [Fact]
    public async Task Stored_password_is_a_bcrypt_hash_not_the_password()
    {
        (await App.RegisterAsync("hashcheck", "hashcheck@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var hash = await App.WithDbAsync(db => db.Users.Where(u => u.UserName == "hashcheck").Select(u => u.PasswordHash).SingleAsync());

        hash.ShouldNotBeNull();
        hash.ShouldStartWith("$2b$04$");
        hash.ShouldNotContain(Password);
    }

    [Fact]
    public async Task New_user_has_the_user_role_and_its_token_says_so()
    {
        (await App.RegisterAsync("carol", "carol@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var roles = await App.WithDbAsync(db =>
            (from u in db.Users
             join ur in db.UserRoles on u.Id equals ur.UserId
             join r in db.Roles on ur.RoleId equals r.Id
             where u.UserName == "carol"
             select r.Name).ToListAsync());
        roles.ShouldBe(["user"]);

        var payload = JwtParts.Payload(await App.TokenAsync("carol", Password));
        payload.GetProperty("role").EnumerateArray().Select(r => r.GetString()).ShouldBe(["user"]);
        payload.Str("preferred_username").ShouldBe("carol");
    }

    [Fact]
    public async Task Username_taken_in_another_case_is_409_and_adds_no_row()
    {
        (await App.RegisterAsync("dave", "dave@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await UserCountAsync();

        var response = await App.RegisterAsync("DAVE", "dave.other@example.com", Password);

        await ShouldBeConflictAsync(response);
        (await UserCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Email_taken_in_another_case_is_409_and_adds_no_row()
    {
        (await App.RegisterAsync("erin", "erin@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await UserCountAsync();

        var response = await App.RegisterAsync("erin2", "ERIN@Example.COM", Password);

        await ShouldBeConflictAsync(response);
        (await UserCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Every_invalid_field_is_listed_at_once_in_a_400_validation_problem()
    {
        var before = await UserCountAsync();

        var response = await App.RegisterAsync("bad name!", "not-an-email", "short");

        var body = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, title: "One or more validation errors occurred.");
        var errors = body.GetProperty("errors");
        errors.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(["email", "password", "username"]);
        errors.GetProperty("password").EnumerateArray().Select(e => e.GetString()).ShouldBe(["Password must be at least 8 characters."]);
        errors.GetProperty("username").GetArrayLength().ShouldBe(1);
        errors.GetProperty("username")[0].GetString()!.ShouldContain("bad name!");
        errors.GetProperty("email").GetArrayLength().ShouldBe(1);
        errors.GetProperty("email")[0].GetString()!.ShouldContain("not-an-email");
        (await UserCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Missing_fields_are_each_required()
    {
        var response = await App.CreateClient().PostAsJsonAsync("/user/register", new { });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        errors.PropertyNames().Order(StringComparer.Ordinal).ShouldBe(["email", "password", "username"]);
        errors.GetProperty("username").EnumerateArray().Select(e => e.GetString()).ShouldBe(["Username is required."]);
        errors.GetProperty("email").EnumerateArray().Select(e => e.GetString()).ShouldBe(["Email is required."]);
        errors.GetProperty("password").EnumerateArray().Select(e => e.GetString()).ShouldBe(["Password is required."]);
    }

    [Fact]
    public async Task Password_of_73_bytes_is_400_naming_bcrypts_72_byte_limit()
    {
        var password = "violet tractor umbrella sings " + new string('é', 21) + "!";

        var response = await App.RegisterAsync("frank", "frank@example.com", password);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        errors.PropertyNames().ShouldBe(["password"]);
        errors.GetProperty("password").EnumerateArray().Select(e => e.GetString())
            .ShouldBe(["Password must be at most 72 bytes in UTF-8 (bcrypt's limit); it is 73."]);
        (await App.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == "frank"))).ShouldBeFalse();
    }

    [Theory]
    // U+0000 is refused in every JSON string as the body is read (Security/NulCharacterTests), before the password rule.
    [InlineData("violet\0tractor umbrella", "It contains a NUL character (U+0000), which no field accepts.")]
    [InlineData("violet\u0001tractor umbrella", "Password must not contain control characters (such as NUL, tab or newline).")]
    public async Task Password_with_a_control_character_is_400_naming_password_so_whatever_registers_can_log_in(string password, string message)
    {
        var response = await App.RegisterAsync("nul-pass", "nul-pass@example.com", password);

        var errors = (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.PropertyNames().ShouldBe(["password"]);
        errors.GetProperty("password")[0].GetString().ShouldBe(message);
        (await App.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == "nul-pass"))).ShouldBeFalse();
    }

    [Theory]
    [InlineData("password1")]
    [InlineData("qwertyuiop")]
    public async Task Common_password_is_400(string password)
    {
        var response = await App.RegisterAsync($"common{password}", $"common{password}@example.com", password);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        errors.PropertyNames().ShouldBe(["password"]);
    }

    [Fact]
    public async Task Failed_registrations_leave_the_users_table_unchanged()
    {
        (await App.RegisterAsync("gina", "gina@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await App.WithDbAsync(db => db.Users.OrderBy(u => u.Id).Select(u => u.Id + ":" + u.UserName).ToListAsync());
        var rolesBefore = await App.WithDbAsync(db => db.UserRoles.CountAsync());

        (await App.RegisterAsync("gina", "gina2@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await App.RegisterAsync("gina2", "gina@example.com", Password)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await App.RegisterAsync("gina3", "gina3@example.com", "gina3")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await App.RegisterAsync("gina4", "gina4@example.com", "gina4@example.com")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await App.RegisterAsync("gina5", "gina5@localhost", Password)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await App.WithDbAsync(db => db.Users.OrderBy(u => u.Id).Select(u => u.Id + ":" + u.UserName).ToListAsync())).ShouldBe(before);
        (await App.WithDbAsync(db => db.UserRoles.CountAsync())).ShouldBe(rolesBefore);
    }

    [Fact]
    public async Task Simultaneous_registrations_of_one_username_give_exactly_one_201_and_one_409_never_500()
    {
        var pairs = Enumerable.Range(0, 20).Select(async i =>
        {
            var name = $"race{i}";
            var responses = await Task.WhenAll(
                App.RegisterAsync(name, $"{name}.a@example.com", Password),
                App.RegisterAsync(name.ToUpperInvariant(), $"{name}.b@example.com", Password));
            return (Name: name, Statuses: responses.Select(r => (int)r.StatusCode).Order().ToArray());
        });

        var outcomes = await Task.WhenAll(pairs);

        foreach (var (name, statuses) in outcomes)
        {
            statuses.ShouldBe([201, 409], name);
        }

        var names = await App.WithDbAsync(db => db.Users.Where(u => u.NormalizedUserName!.StartsWith("RACE")).Select(u => u.NormalizedUserName).ToListAsync());
        names.Count.ShouldBe(20);
        names.Distinct().Count().ShouldBe(20);
        var withoutRole = await App.WithDbAsync(db =>
            db.Users.Where(u => u.NormalizedUserName!.StartsWith("RACE") && !db.UserRoles.Any(ur => ur.UserId == u.Id)).CountAsync());
        withoutRole.ShouldBe(0);
    }

    [Fact]
    public async Task Simultaneous_registrations_of_one_email_give_exactly_one_201_and_one_409()
    {
        var pairs = Enumerable.Range(0, 10).Select(async i =>
        {
            var responses = await Task.WhenAll(
                App.RegisterAsync($"mailrace{i}a", $"mailrace{i}@example.com", Password),
                App.RegisterAsync($"mailrace{i}b", $"MailRace{i}@example.com", Password));
            return responses.Select(r => (int)r.StatusCode).Order().ToArray();
        });

        foreach (var statuses in await Task.WhenAll(pairs))
        {
            statuses.ShouldBe([201, 409]);
        }
    }
}
