using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserServices.Api.Passwords;
using UserServices.Tests.Infrastructure;
using UserServices.Tests.Tokens;

namespace UserServices.Tests.Docs;

/// <summary>
/// The API reference promises exactly the errors the service gives: every error status documented for an operation
/// is provoked here and answered as documented, and every error provoked here is documented. A new shared error
/// (or a forgotten one) fails this test until the document and this table agree.
/// </summary>
public sealed class DocumentedErrorsTests(DocumentedErrorsTests.Fixture fixture) : IClassFixture<DocumentedErrorsTests.Fixture>
{
    private const string Password = "correct horse battery";
    private const string ClientSecret = "resource-server-secret-0123456789abcdef";
    private static int _peer;

    public sealed class Fixture(PostgresServer server) : ServiceFixture<DocumentedErrorsTests>(server)
    {
        // Low enough to reach in a few requests; each case comes from its own simulated client address, so only
        // the 429 cases ever meet them. One password thread and no queue, so keeping it busy provokes the 503.
        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["RateLimits:TokenPerClientPerMinute"] = "3";
            settings["RateLimits:RegisterPerClientPerMinute"] = "3";
            settings["PasswordChecks:Concurrency"] = "1";
            settings["PasswordChecks:QueueLength"] = "0";
            settings["ADMIN_USERNAME"] = "root";
            settings["ADMIN_EMAIL"] = "root@example.com";
            settings["ADMIN_PASSWORD"] = Password;
            // Passkeys on here; the service with clients has them off, for the answer that says so.
            settings["Passkeys:ServerDomain"] = "localhost";
        }

        /// <summary>The same service with a registered confidential client: some errors exist only when clients do.</summary>
        public UserServicesApp WithClients { get; private set; } = null!;

        /// <summary>
        /// The same service sending mail (the other one has none, so its mail endpoints answer 503), with confirmed
        /// addresses required: the errors of the mail endpoints past the 503, and the token endpoint's 403.
        /// </summary>
        public UserServicesApp WithMail { get; private set; } = null!;

        public SmtpTestServer Smtp { get; } = SmtpTestServer.Start();

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            var settings = UserServicesApp.Defaults(DatabaseUrl);
            settings["Clients:0:ClientId"] = "resource-server";
            settings["Clients:0:ClientSecret"] = ClientSecret;
            settings["Clients:1:ClientId"] = "machine";
            settings["Clients:1:ClientSecret"] = ClientSecret;
            settings["Clients:1:AllowedGrants:0"] = "client_credentials";
            WithClients = UserServicesApp.Start(settings);
            var mail = UserServicesApp.Defaults(DatabaseUrl);
            Configure(mail);
            MailSettings.UseSmtp(mail, Smtp);
            mail["RateLimits:MailPerClientPerMinute"] = "3";
            mail["Accounts:RequireConfirmedEmail"] = "true";
            WithMail = UserServicesApp.Start(mail);
        }

        public override async ValueTask DisposeAsync()
        {
            await WithClients.DisposeAsync();
            await WithMail.DisposeAsync();
            await Smtp.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private UserServicesApp App => fixture.App;

    [Fact]
    public async Task Every_documented_error_is_given_and_every_given_error_is_documented()
    {
        var cases = Cases();
        var documented = await DocumentedErrorsAsync();

        foreach (var operation in documented.Keys.Union(cases.Keys).Order())
        {
            var expected = documented.GetValueOrDefault(operation, []);
            var provoked = cases.GetValueOrDefault(operation, []).Keys.Select(status => status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            provoked.Order(StringComparer.Ordinal).ShouldBe(expected.Order(StringComparer.Ordinal), $"{operation}: the statuses provoked here differ from the ones the document lists");
        }

        var examples = await DocumentedExamplesAsync();
        var compared = 0;
        foreach (var (operation, byStatus) in cases)
        {
            foreach (var (status, provoke) in byStatus)
            {
                var response = await provoke();
                ((int)response.StatusCode).ShouldBe(status, $"{operation} {status}: {await response.Content.ReadAsStringAsync()}");
                response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{operation} {status}");
                var body = await response.ReadJsonAsync();
                body.GetProperty("status").GetInt32().ShouldBe(status, $"{operation} {status}");
                body.Str("traceId").ShouldNotBeNullOrEmpty();
                // The example tells a reader what the answer says: its detail and OAuth error are the real ones. (A 413's
                // detail names the body's length, which the example can only choose.)
                if (status != 413 && examples.TryGetValue((operation, status), out var example))
                {
                    Text(body, "detail").ShouldBe(example.Detail, $"{operation} {status}: the documented example's detail");
                    Text(body, "error").ShouldBe(example.Error, $"{operation} {status}: the documented example's error");
                    compared++;
                }
            }
        }

        // Every documented error but the 413s and 415s (which show no example) was compared.
        compared.ShouldBeGreaterThan(0);
        compared.ShouldBe(examples.Count(e => e.Key.Status != 413));
    }

    /// <summary>(operation, status) → the <c>detail</c> and <c>error</c> of the example the document shows for it.</summary>
    private async Task<Dictionary<(string Operation, int Status), (string? Detail, string? Error)>> DocumentedExamplesAsync()
    {
        var document = await (await App.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();
        var examples = new Dictionary<(string, int), (string?, string?)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    if (response.Value.TryGetProperty("content", out var content)
                        && content.TryGetProperty("application/problem+json", out var media)
                        && media.TryGetProperty("example", out var example))
                    {
                        examples[($"{operation.Name.ToUpperInvariant()} {path.Name}", int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture))] =
                            (Text(example, "detail"), Text(example, "error"));
                    }
                }
            }
        }

        return examples;
    }

    private static string? Text(JsonElement body, string name) => body.TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>Operation ("POST /user/token") → the 4xx/5xx statuses its document lists.</summary>
    private async Task<Dictionary<string, string[]>> DocumentedErrorsAsync()
    {
        var document = await (await App.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();
        var errors = new Dictionary<string, string[]>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var statuses = operation.Value.GetProperty("responses").EnumerateObject()
                    .Select(r => r.Name).Where(s => s[0] is '4' or '5').ToArray();
                if (statuses.Length > 0)
                {
                    errors[$"{operation.Name.ToUpperInvariant()} {path.Name}"] = statuses;
                }
            }
        }

        return errors;
    }

    private Dictionary<string, Dictionary<int, Func<Task<HttpResponseMessage>>>> Cases() => new(AdminCases(
        AdminAsync, () => SignedInAsync($"member{Interlocked.Increment(ref _peer)}"), () => Client(), UserIdAsync).Concat(PasskeyCases()).ToDictionary())
    {
        ["POST /user/register"] = new()
        {
            [400] = () => Client().PostAsJsonAsync("/user/register", new { username = "", email = "x", password = "" }),
            [409] = async () =>
            {
                await SignedInAsync("taken");
                return await Client().PostAsJsonAsync("/user/register", new { username = "taken", email = "other@example.com", password = Password });
            },
            [413] = () => Client().PostAsync("/user/register", Oversized("application/json")),
            [415] = () => Client().PostAsync("/user/register", new StringContent("username=x", Encoding.UTF8, "text/plain")),
            [429] = () => Repeat(client => client.PostAsJsonAsync("/user/register", new { username = "", email = "", password = "" })),
            [503] = () => WhileTheGateIsFull(() => Client().PostAsJsonAsync("/user/register",
                new { username = "gated", email = "gated@example.com", password = Password })),
        },
        ["POST /user/token"] = new()
        {
            [400] = () => Client().PostAsync("/user/token", OAuthRequests.Form(("username", "someone"))),
            [401] = () => Client().PostAsync("/user/token", OAuthRequests.Form(("username", "nobody"), ("password", "wrong password"))),
            [413] = () => Client().PostAsync("/user/token", Oversized("application/x-www-form-urlencoded")),
            [415] = () => Client().PostAsJsonAsync("/user/token", new { username = "x", password = "y" }),
            [429] = () => Repeat(client => client.PostAsync("/user/token", OAuthRequests.Form(("username", "limited"), ("password", "wrong password")))),
            [403] = async () =>
            {
                (await Client(fixture.WithMail).PostAsJsonAsync("/user/register", new { username = "unconfirmed", email = "unconfirmed@example.com", password = Password }))
                    .StatusCode.ShouldBe(HttpStatusCode.Created);
                return await Client(fixture.WithMail).PostAsync("/user/token", OAuthRequests.Form(("username", "unconfirmed"), ("password", Password)));
            },
            [503] = () => WhileTheGateIsFull(() => Client().PostAsync("/user/token", OAuthRequests.Form(("username", "nobody"), ("password", "wrong password")))),
        },
        ["POST /user/password/forgot"] = new()
        {
            [400] = () => Client(fixture.WithMail).PostAsJsonAsync("/user/password/forgot", new { email = "not an address" }),
            [413] = () => Client().PostAsync("/user/password/forgot", Oversized("application/json")),
            [415] = () => Client().PostAsync("/user/password/forgot", new StringContent("email=x", Encoding.UTF8, "text/plain")),
            [429] = () => Repeat(client => client.PostAsJsonAsync("/user/password/forgot", new { email = "limited@example.com" }), fixture.WithMail),
            [503] = () => Client().PostAsJsonAsync("/user/password/forgot", new { email = "someone@example.com" }),
        },
        ["POST /user/password/reset"] = new()
        {
            [400] = () => Client().PostAsJsonAsync("/user/password/reset", new { token = "unknown", new_password = "another long passphrase" }),
            [413] = () => Client().PostAsync("/user/password/reset", Oversized("application/json")),
            [415] = () => Client().PostAsync("/user/password/reset", new StringContent("{}", Encoding.UTF8, "text/plain")),
            [503] = async () =>
            {
                var token = await MailedTokenAsync("gated-reset", "Reset your password",
                    () => Client(fixture.WithMail).PostAsJsonAsync("/user/password/forgot", new { email = "gated-reset@example.com" }));
                return await WhileTheGateIsFull(
                    () => Client(fixture.WithMail).PostAsJsonAsync("/user/password/reset", new { token, new_password = "another long passphrase" }), fixture.WithMail);
            },
        },
        ["POST /user/email/confirm/request"] = new()
        {
            [403] = async () => await (await MachineAsync()).PostAsync("/user/email/confirm/request", null),
            [401] = () => Client().PostAsync("/user/email/confirm/request", null),
            [404] = async () => await (await DeletedAccountClientAsync("gone-confirm", fixture.WithMail)).PostAsync("/user/email/confirm/request", null),
            [409] = async () => await (await SignedInAsync("confirmed", fixture.WithMail)).PostAsync("/user/email/confirm/request", null),
            [429] = async () =>
            {
                var client = await SignedInAsync("confirm-limited", fixture.WithMail);
                return await Repeat(_ => client.PostAsync("/user/email/confirm/request", null), fixture.WithMail);
            },
            [503] = async () => await (await SignedInAsync("mailless-confirm")).PostAsync("/user/email/confirm/request", null),
        },
        ["POST /user/email/confirm"] = new()
        {
            [400] = () => Client().PostAsJsonAsync("/user/email/confirm", new { token = "unknown" }),
            [409] = async () =>
            {
                var client = await SignedInAsync("changer-409", fixture.WithMail);
                var token = await MailedTokenAsync("wanted-409", "Confirm your new email address",
                    () => client.PutAsJsonAsync("/user/email", new { new_email = "wanted-409@example.com", password = Password }), register: false);
                await SignedInAsync("wanted-409", fixture.WithMail);
                return await Client().PostAsJsonAsync("/user/email/confirm", new { token });
            },
            [413] = () => Client().PostAsync("/user/email/confirm", Oversized("application/json")),
            [415] = () => Client().PostAsync("/user/email/confirm", new StringContent("{}", Encoding.UTF8, "text/plain")),
        },
        ["PUT /user/email"] = new()
        {
            [403] = async () => await (await MachineAsync()).PutAsJsonAsync("/user/email", new { new_email = "x@example.com", password = Password }),
            [400] = async () => await (await SignedInAsync("email-400", fixture.WithMail)).PutAsJsonAsync("/user/email", new { new_email = "", password = "" }),
            [401] = () => Client().PutAsJsonAsync("/user/email", new { new_email = "x@example.com", password = Password }),
            [404] = async () => await (await DeletedAccountClientAsync("gone-email", fixture.WithMail)).PutAsJsonAsync("/user/email",
                new { new_email = "gone-new@example.com", password = Password }),
            [409] = async () => await (await SignedInAsync("email-409", fixture.WithMail)).PutAsJsonAsync("/user/email",
                new { new_email = "email-400@example.com", password = Password }),
            [413] = async () => await (await SignedInAsync("email-413")).PutAsync("/user/email", Oversized("application/json")),
            [415] = async () => await (await SignedInAsync("email-415")).PutAsync("/user/email", new StringContent("{}", Encoding.UTF8, "text/plain")),
            [429] = async () =>
            {
                var client = await SignedInAsync("email-429", fixture.WithMail);
                return await Repeat(_ => client.PutAsJsonAsync("/user/email", new { new_email = "", password = "" }), fixture.WithMail);
            },
            [503] = async () => await (await SignedInAsync("email-503")).PutAsJsonAsync("/user/email", new { new_email = "x@example.com", password = Password }),
        },
        ["DELETE /user/user"] = new()
        {
            [403] = async () => await CloseAsync(await MachineAsync(), Password),
            [400] = async () => await CloseAsync(await SignedInAsync("closer-400"), "not the password"),
            [401] = () => CloseAsync(Client(), Password),
            [404] = async () => await CloseAsync(await DeletedAccountClientAsync("gone-closer"), Password),
            // root is this service's only admin.
            [409] = async () => await CloseAsync(await AdminAsync(), Password),
            [413] = async () => await (await SignedInAsync("closer-413")).SendAsync(
                new HttpRequestMessage(HttpMethod.Delete, "/user/user") { Content = Oversized("application/json") }),
            [415] = async () => await (await SignedInAsync("closer-415")).SendAsync(
                new HttpRequestMessage(HttpMethod.Delete, "/user/user") { Content = new StringContent("{}", Encoding.UTF8, "text/plain") }),
            [503] = async () =>
            {
                var client = await SignedInAsync("closer-503");
                return await WhileTheGateIsFull(() => CloseAsync(client, Password));
            },
        },
        ["POST /user/revoke"] = new()
        {
            [400] = () => Client().PostAsync("/user/revoke", OAuthRequests.Form(("token_type_hint", "refresh_token"))),
            [401] = () => fixture.WithClients.CreateClient().PostAsync("/user/revoke", OAuthRequests.Form(("token", "unknown"), ("client_id", "unregistered"))),
            [413] = () => Client().PostAsync("/user/revoke", Oversized("application/x-www-form-urlencoded")),
            [415] = () => Client().PostAsJsonAsync("/user/revoke", new { token = "x" }),
            [429] = () => Repeat(client => client.PostAsync("/user/revoke", OAuthRequests.Form(("token", "unknown")))),
        },
        ["POST /user/introspect"] = new()
        {
            [400] = () => fixture.WithClients.CreateClient().PostAsync("/user/introspect",
                OAuthRequests.Form(("client_id", "resource-server"), ("client_secret", ClientSecret))),
            [401] = () => Client().PostAsync("/user/introspect", OAuthRequests.Form(("token", "anything"))),
            [413] = () => Client().PostAsync("/user/introspect", Oversized("application/x-www-form-urlencoded")),
            [415] = () => Client().PostAsJsonAsync("/user/introspect", new { token = "x" }),
        },
        ["POST /user/logout"] = new()
        {
            [403] = async () => await (await MachineAsync()).PostAsync("/user/logout", null),
            [401] = () => Client().PostAsync("/user/logout", null),
        },
        ["POST /user/mfa/totp"] = new()
        {
            [400] = async () => await (await SignedInAsync("mfa-wrong-password")).PostAsJsonAsync("/user/mfa/totp", new { password = "not the password" }),
            [401] = () => Client().PostAsJsonAsync("/user/mfa/totp", new { password = Password }),
            [403] = async () => await (await MachineAsync()).PostAsJsonAsync("/user/mfa/totp", new { password = Password }),
            [404] = async () => await (await DeletedAccountClientAsync("gone-mfa")).PostAsJsonAsync("/user/mfa/totp", new { password = Password }),
            [409] = async () => await (await EnrolledAsync("mfa-already")).Client.PostAsJsonAsync("/user/mfa/totp", new { password = Password }),
            [413] = async () => await (await SignedInAsync("mfa-big")).PostAsync("/user/mfa/totp", Oversized("application/json")),
            [415] = async () => await (await SignedInAsync("mfa-text")).PostAsync("/user/mfa/totp", new StringContent("{}", Encoding.UTF8, "text/plain")),
            [503] = async () =>
            {
                var client = await SignedInAsync("mfa-gated");
                return await WhileTheGateIsFull(() => client.PostAsJsonAsync("/user/mfa/totp", new { password = Password }));
            },
        },
        ["POST /user/mfa/totp/confirm"] = new()
        {
            [400] = async () => await (await SignedInAsync("mfa-bad-confirm")).PostAsJsonAsync("/user/mfa/totp/confirm", new { code = "123456" }),
            [401] = () => Client().PostAsJsonAsync("/user/mfa/totp/confirm", new { code = "123456" }),
            [403] = async () => await (await MachineAsync()).PostAsJsonAsync("/user/mfa/totp/confirm", new { code = "123456" }),
            [404] = async () => await (await DeletedAccountClientAsync("gone-mfa-confirm")).PostAsJsonAsync("/user/mfa/totp/confirm", new { code = "123456" }),
            [409] = async () => await (await EnrolledAsync("mfa-confirmed-twice")).Client.PostAsJsonAsync("/user/mfa/totp/confirm", new { code = "123456" }),
            [413] = async () => await (await SignedInAsync("mfa-big-confirm")).PostAsync("/user/mfa/totp/confirm", Oversized("application/json")),
            [415] = async () => await (await SignedInAsync("mfa-text-confirm")).PostAsync("/user/mfa/totp/confirm", new StringContent("{}", Encoding.UTF8, "text/plain")),
        },
        ["GET /user/mfa"] = new()
        {
            [401] = () => Client().GetAsync("/user/mfa"),
            [403] = async () => await (await MachineAsync()).GetAsync("/user/mfa"),
            [404] = async () => await (await DeletedAccountClientAsync("gone-mfa-status")).GetAsync("/user/mfa"),
        },
        ["POST /user/mfa/recovery-codes"] = new()
        {
            [400] = async () => await (await EnrolledAsync("mfa-regen-wrong")).Client.PostAsJsonAsync("/user/mfa/recovery-codes", new { code = "000000" }),
            [401] = () => Client().PostAsJsonAsync("/user/mfa/recovery-codes", new { code = "123456" }),
            [403] = async () => await (await MachineAsync()).PostAsJsonAsync("/user/mfa/recovery-codes", new { code = "123456" }),
            [404] = async () => await (await DeletedAccountClientAsync("gone-mfa-regen")).PostAsJsonAsync("/user/mfa/recovery-codes", new { code = "123456" }),
            [409] = async () => await (await SignedInAsync("mfa-regen-off")).PostAsJsonAsync("/user/mfa/recovery-codes", new { code = "123456" }),
            [413] = async () => await (await SignedInAsync("mfa-big-regen")).PostAsync("/user/mfa/recovery-codes", Oversized("application/json")),
            [415] = async () => await (await SignedInAsync("mfa-text-regen")).PostAsync("/user/mfa/recovery-codes", new StringContent("{}", Encoding.UTF8, "text/plain")),
        },
        ["DELETE /user/mfa/totp"] = new()
        {
            [400] = async () => await DisableMfaAsync((await EnrolledAsync("mfa-off-wrong")).Client, Password, "000000"),
            [401] = () => DisableMfaAsync(Client(), Password, "123456"),
            [403] = async () => await DisableMfaAsync(await MachineAsync(), Password, "123456"),
            [404] = async () => await DisableMfaAsync(await DeletedAccountClientAsync("gone-mfa-off"), Password, "123456"),
            [409] = async () => await DisableMfaAsync(await SignedInAsync("mfa-off-off"), Password, "123456"),
            [413] = async () => await (await SignedInAsync("mfa-big-off")).SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/user/mfa/totp") { Content = Oversized("application/json") }),
            [415] = async () => await (await SignedInAsync("mfa-text-off")).SendAsync(
                new HttpRequestMessage(HttpMethod.Delete, "/user/mfa/totp") { Content = new StringContent("{}", Encoding.UTF8, "text/plain") }),
            [503] = async () =>
            {
                var (client, secret) = await EnrolledAsync("mfa-off-gated");
                return await WhileTheGateIsFull(() => DisableMfaAsync(client, Password, TestTotp.CodeAt(secret, DateTimeOffset.UtcNow, 1)));
            },
        },
        ["GET /user/sessions"] = new()
        {
            [401] = () => Client().GetAsync("/user/sessions"),
            [403] = async () => await (await MachineAsync()).GetAsync("/user/sessions"),
            [404] = async () => await (await DeletedAccountClientAsync("gone-sessions")).GetAsync("/user/sessions"),
        },
        ["DELETE /user/sessions"] = new()
        {
            [401] = () => Client().DeleteAsync("/user/sessions"),
            [403] = async () => await (await MachineAsync()).DeleteAsync("/user/sessions"),
            [404] = async () => await (await DeletedAccountClientAsync("gone-sessions-all")).DeleteAsync("/user/sessions"),
        },
        ["DELETE /user/sessions/{id}"] = new()
        {
            [401] = () => Client().DeleteAsync($"/user/sessions/{Guid.NewGuid():N}"),
            [403] = async () => await (await MachineAsync()).DeleteAsync($"/user/sessions/{Guid.NewGuid():N}"),
            [404] = async () => await (await SignedInAsync("session-ender")).DeleteAsync($"/user/sessions/{Guid.NewGuid():N}"),
        },
        ["GET /user/user"] = new()
        {
            [403] = async () => await (await MachineAsync()).GetAsync("/user/user"),
            [401] = () => Client().GetAsync("/user/user"),
            [404] = async () => await (await DeletedAccountClientAsync("gone-profile")).GetAsync("/user/user"),
        },
        ["PUT /user/password"] = new()
        {
            [403] = async () => await (await MachineAsync()).PutAsJsonAsync("/user/password", new { current_password = Password, new_password = "another long passphrase" }),
            [400] = async () => await (await SignedInAsync("changer")).PutAsJsonAsync("/user/password", new { current_password = "", new_password = "" }),
            [401] = () => Client().PutAsJsonAsync("/user/password", new { current_password = Password, new_password = "another long passphrase" }),
            [404] = async () => await (await DeletedAccountClientAsync("gone-password")).PutAsJsonAsync("/user/password",
                new { current_password = Password, new_password = "another long passphrase" }),
            [413] = async () => await (await SignedInAsync("big-changer")).PutAsync("/user/password", Oversized("application/json")),
            [415] = async () => await (await SignedInAsync("text-changer")).PutAsync("/user/password",
                new StringContent("{}", Encoding.UTF8, "text/plain")),
            [503] = async () =>
            {
                var client = await SignedInAsync("gated-changer");
                return await WhileTheGateIsFull(() => client.PutAsJsonAsync("/user/password",
                    new { current_password = Password, new_password = "another long passphrase" }));
            },
        },
    };

    private Dictionary<string, Dictionary<int, Func<Task<HttpResponseMessage>>>> PasskeyCases() => new()
    {
        ["POST /user/passkeys/options"] = new()
        {
            [401] = () => Client().PostAsync("/user/passkeys/options", null),
            [403] = async () => await (await MachineAsync()).PostAsync("/user/passkeys/options", null),
            [404] = async () => await (await DeletedAccountClientAsync("gone-passkey-options")).PostAsync("/user/passkeys/options", null),
        },
        ["POST /user/passkeys"] = new()
        {
            [400] = async () => await (await SignedInAsync("passkey-400")).PostAsJsonAsync("/user/passkeys", new { name = "" }),
            [401] = () => Client().PostAsJsonAsync("/user/passkeys", new { }),
            [403] = async () => await (await MachineAsync()).PostAsJsonAsync("/user/passkeys", new { }),
            [404] = async () => await (await DeletedAccountClientAsync("gone-passkey")).PostAsJsonAsync("/user/passkeys",
                new { ceremony_id = "unknown", credential = new { id = "x" } }),
            [413] = async () => await (await SignedInAsync("passkey-413")).PostAsync("/user/passkeys", Oversized("application/json")),
            [415] = async () => await (await SignedInAsync("passkey-415")).PostAsync("/user/passkeys", new StringContent("{}", Encoding.UTF8, "text/plain")),
        },
        ["GET /user/passkeys"] = new()
        {
            [401] = () => Client().GetAsync("/user/passkeys"),
            [403] = async () => await (await MachineAsync()).GetAsync("/user/passkeys"),
            [404] = async () => await (await DeletedAccountClientAsync("gone-passkeys")).GetAsync("/user/passkeys"),
        },
        ["PATCH /user/passkeys/{id}"] = new()
        {
            [400] = async () => await (await SignedInAsync("passkey-rename-400")).PatchAsJsonAsync("/user/passkeys/AAAA", new { }),
            [401] = () => Client().PatchAsJsonAsync("/user/passkeys/AAAA", new { name = "x" }),
            [403] = async () => await (await MachineAsync()).PatchAsJsonAsync("/user/passkeys/AAAA", new { name = "x" }),
            [404] = async () => await (await SignedInAsync("passkey-rename-404")).PatchAsJsonAsync("/user/passkeys/AAAA", new { name = "x" }),
            [413] = async () => await (await SignedInAsync("passkey-rename-413")).PatchAsync("/user/passkeys/AAAA", Oversized("application/json")),
            [415] = async () => await (await SignedInAsync("passkey-rename-415")).PatchAsync("/user/passkeys/AAAA",
                new StringContent("{}", Encoding.UTF8, "text/plain")),
        },
        ["DELETE /user/passkeys/{id}"] = new()
        {
            [401] = () => Client().DeleteAsync("/user/passkeys/AAAA"),
            [403] = async () => await (await MachineAsync()).DeleteAsync("/user/passkeys/AAAA"),
            [404] = async () => await (await SignedInAsync("passkey-remover")).DeleteAsync("/user/passkeys/AAAA"),
        },
        ["POST /user/passkeys/login/options"] = new()
        {
            [404] = () => Client(fixture.WithClients).PostAsync("/user/passkeys/login/options", null),
            [429] = () => Repeat(client => client.PostAsync("/user/passkeys/login/options", null)),
        },
    };

    private Dictionary<string, Dictionary<int, Func<Task<HttpResponseMessage>>>> AdminCases(
        Func<Task<HttpClient>> admin, Func<Task<HttpClient>> member, Func<HttpClient> anonymous, Func<string, Task<int>> userId) => new()
        {
            ["GET /admin/users"] = new()
            {
                [400] = async () => await (await admin()).GetAsync("/admin/users?limit=0"),
                [401] = () => anonymous().GetAsync("/admin/users"),
                [403] = async () => await (await member()).GetAsync("/admin/users"),
            },
            ["GET /admin/users/{id}"] = new()
            {
                [401] = () => anonymous().GetAsync("/admin/users/1"),
                [403] = async () => await (await member()).GetAsync("/admin/users/1"),
                [404] = async () => await (await admin()).GetAsync("/admin/users/999999"),
            },
            ["PATCH /admin/users/{id}"] = new()
            {
                [400] = async () => await (await admin()).PatchAsJsonAsync($"/admin/users/{await userId("patched")}", new { email = "not-an-email" }),
                [401] = () => anonymous().PatchAsJsonAsync("/admin/users/1", new { }),
                [403] = async () => await (await member()).PatchAsJsonAsync("/admin/users/1", new { }),
                [404] = async () => await (await admin()).PatchAsJsonAsync("/admin/users/999999", new { }),
                [409] = async () => await (await admin()).PatchAsJsonAsync($"/admin/users/{await userId("patched2")}", new { username = "root" }),
                [413] = async () => await (await admin()).PatchAsync("/admin/users/1", Oversized("application/json")),
                [415] = async () => await (await admin()).PatchAsync("/admin/users/1", new StringContent("{}", Encoding.UTF8, "text/plain")),
            },
            ["POST /admin/users/{id}/lock"] = new()
            {
                [400] = async () => await (await admin()).PostAsJsonAsync("/admin/users/1/lock", new { until = DateTimeOffset.UnixEpoch }),
                [401] = () => anonymous().PostAsJsonAsync("/admin/users/1/lock", new { }),
                [403] = async () => await (await member()).PostAsJsonAsync("/admin/users/1/lock", new { }),
                [404] = async () => await (await admin()).PostAsJsonAsync("/admin/users/999999/lock", new { }),
                [409] = async () => await (await admin()).PostAsJsonAsync($"/admin/users/{await userId("root")}/lock", new { }),
                [413] = async () => await (await admin()).PostAsync("/admin/users/1/lock", Oversized("application/json")),
                [415] = async () => await (await admin()).PostAsync("/admin/users/1/lock", new StringContent("{}", Encoding.UTF8, "text/plain")),
            },
            ["POST /admin/users/{id}/unlock"] = new()
            {
                [401] = () => anonymous().PostAsync("/admin/users/1/unlock", null),
                [403] = async () => await (await member()).PostAsync("/admin/users/1/unlock", null),
                [404] = async () => await (await admin()).PostAsync("/admin/users/999999/unlock", null),
            },
            ["POST /admin/users/{id}/logout"] = new()
            {
                [401] = () => anonymous().PostAsync("/admin/users/1/logout", null),
                [403] = async () => await (await member()).PostAsync("/admin/users/1/logout", null),
                [404] = async () => await (await admin()).PostAsync("/admin/users/999999/logout", null),
            },
            ["GET /admin/users/{id}/sessions"] = new()
            {
                [401] = () => anonymous().GetAsync("/admin/users/1/sessions"),
                [403] = async () => await (await member()).GetAsync("/admin/users/1/sessions"),
                [404] = async () => await (await admin()).GetAsync("/admin/users/999999/sessions"),
            },
            ["DELETE /admin/users/{id}/sessions/{sid}"] = new()
            {
                [401] = () => anonymous().DeleteAsync($"/admin/users/1/sessions/{Guid.NewGuid():N}"),
                [403] = async () => await (await member()).DeleteAsync($"/admin/users/1/sessions/{Guid.NewGuid():N}"),
                [404] = async () => await (await admin()).DeleteAsync($"/admin/users/1/sessions/{Guid.NewGuid():N}"),
            },
            ["PUT /admin/users/{id}/password"] = new()
            {
                [400] = async () => await (await admin()).PutAsJsonAsync("/admin/users/1/password", new { new_password = "" }),
                [401] = () => anonymous().PutAsJsonAsync("/admin/users/1/password", new { new_password = "x" }),
                [403] = async () => await (await member()).PutAsJsonAsync("/admin/users/1/password", new { new_password = "x" }),
                [404] = async () => await (await admin()).PutAsJsonAsync("/admin/users/999999/password", new { new_password = "another long passphrase" }),
                [413] = async () => await (await admin()).PutAsync("/admin/users/1/password", Oversized("application/json")),
                [415] = async () => await (await admin()).PutAsync("/admin/users/1/password", new StringContent("{}", Encoding.UTF8, "text/plain")),
                [503] = async () =>
                {
                    var client = await admin();
                    var id = await userId("gated-target");
                    return await WhileTheGateIsFull(() => client.PutAsJsonAsync($"/admin/users/{id}/password", new { new_password = "another long passphrase" }));
                },
            },
            ["DELETE /admin/users/{id}"] = new()
            {
                [401] = () => anonymous().DeleteAsync("/admin/users/1"),
                [403] = async () => await (await member()).DeleteAsync("/admin/users/1"),
                [404] = async () => await (await admin()).DeleteAsync("/admin/users/999999"),
                [409] = async () => await (await admin()).DeleteAsync($"/admin/users/{await userId("root")}"),
            },
            ["DELETE /admin/users/{id}/mfa"] = new()
            {
                [401] = () => anonymous().DeleteAsync("/admin/users/1/mfa"),
                [403] = async () => await (await member()).DeleteAsync("/admin/users/1/mfa"),
                [404] = async () => await (await admin()).DeleteAsync("/admin/users/999999/mfa"),
            },
            ["GET /admin/audit"] = new()
            {
                [400] = async () => await (await admin()).GetAsync("/admin/audit?since=yesterday"),
                [401] = () => anonymous().GetAsync("/admin/audit"),
                [403] = async () => await (await member()).GetAsync("/admin/audit"),
            },
            ["GET /admin/users/{id}/passkeys"] = new()
            {
                [401] = () => anonymous().GetAsync("/admin/users/1/passkeys"),
                [403] = async () => await (await member()).GetAsync("/admin/users/1/passkeys"),
                [404] = async () => await (await admin()).GetAsync("/admin/users/999999/passkeys"),
            },
            ["DELETE /admin/users/{id}/passkeys/{passkeyId}"] = new()
            {
                [401] = () => anonymous().DeleteAsync("/admin/users/1/passkeys/AAAA"),
                [403] = async () => await (await member()).DeleteAsync("/admin/users/1/passkeys/AAAA"),
                [404] = async () => await (await admin()).DeleteAsync("/admin/users/1/passkeys/AAAA"),
            },
            ["GET /admin/users/email-collisions"] = new()
            {
                [401] = () => anonymous().GetAsync("/admin/users/email-collisions"),
                [403] = async () => await (await member()).GetAsync("/admin/users/email-collisions"),
            },
        };

    private async Task<HttpClient> AdminAsync()
    {
        var token = await (await Client().PostAsync("/user/token", OAuthRequests.Form(("username", "root"), ("password", Password)))).ReadJsonAsync();
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.Str("access_token"));
        return client;
    }

    /// <summary>A client's own token (client credentials): valid, but for no account.</summary>
    private async Task<HttpClient> MachineAsync()
    {
        var token = await (await Client(fixture.WithClients).PostAsync("/user/token",
            OAuthRequests.Form(("grant_type", "client_credentials"), ("client_id", "machine"), ("client_secret", ClientSecret)))).ReadJsonAsync();
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.Str("access_token"));
        return client;
    }

    private async Task<int> UserIdAsync(string username)
    {
        if (username != "root")
        {
            (await Client().PostAsJsonAsync("/user/register", new { username, email = $"{username}@example.com", password = Password }))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        return await App.WithDbAsync(db => db.Users.Where(u => u.UserName == username).Select(u => u.Id).SingleAsync());
    }

    /// <summary>A client with an address of its own, so the per-client limits of one case never touch another.</summary>
    private HttpClient Client(UserServicesApp? app = null) =>
        (app ?? App).ClientFrom($"10.9.{Interlocked.Increment(ref _peer) / 250}.{(_peer % 250) + 1}");

    // Each request from an address of its own: the helpers on UserServicesApp share one, which these limits would stop.
    // On the service that requires confirmed addresses, the address is confirmed in the database before signing in.
    private async Task<HttpClient> SignedInAsync(string username, UserServicesApp? app = null)
    {
        (await Client(app).PostAsJsonAsync("/user/register", new { username, email = $"{username}@example.com", password = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        await App.WithDbAsync(db => db.Users.Where(u => u.UserName == username).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, true)));
        var token = await (await Client(app).PostAsync("/user/token", OAuthRequests.Form(("username", username), ("password", Password)))).ReadJsonAsync();
        var client = Client(app);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.Str("access_token"));
        return client;
    }

    /// <summary>Registers <paramref name="username"/> on the mailing service (unless told not to), sends, and returns the token of the mail with that subject.</summary>
    private async Task<string> MailedTokenAsync(string username, string subject, Func<Task<HttpResponseMessage>> send, bool register = true)
    {
        if (register)
        {
            await SignedInAsync(username, fixture.WithMail);
        }

        (await send()).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return MailLinks.TokenIn((await fixture.Smtp.WaitForSubjectAsync($"{username}@example.com", subject))[0]);
    }

    /// <summary>A signed-in account with two-factor sign-in on (confirmed with the current code), and its secret.</summary>
    private async Task<(HttpClient Client, byte[] Secret)> EnrolledAsync(string username)
    {
        var client = await SignedInAsync(username);
        return (client, (await TwoFactor.EnrolAsync(client, Password, DateTimeOffset.UtcNow)).Secret);
    }

    private static Task<HttpResponseMessage> DisableMfaAsync(HttpClient client, string password, string code) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/user/mfa/totp") { Content = JsonContent.Create(new { password, code }) });

    private static Task<HttpResponseMessage> CloseAsync(HttpClient client, string password) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/user/user") { Content = JsonContent.Create(new { password }) });

    private async Task<HttpClient> DeletedAccountClientAsync(string username, UserServicesApp? app = null)
    {
        var client = await SignedInAsync(username, app);
        (await App.WithDbAsync(db => db.Users.Where(u => u.UserName == username).ExecuteDeleteAsync())).ShouldBe(1);
        return client;
    }

    /// <summary>Sends from one address until the limit answers, at most a few more times than the limit.</summary>
    private async Task<HttpResponseMessage> Repeat(Func<HttpClient, Task<HttpResponseMessage>> send, UserServicesApp? app = null)
    {
        var client = Client(app);
        HttpResponseMessage response;
        var sent = 0;
        do
        {
            response = await send(client);
        }
        while (response.StatusCode != HttpStatusCode.TooManyRequests && ++sent < 6);

        return response;
    }

    private async Task<HttpResponseMessage> WhileTheGateIsFull(Func<Task<HttpResponseMessage>> send, UserServicesApp? app = null)
    {
        using var release = new ManualResetEventSlim();
        var holding = (app ?? App).Services.GetRequiredService<PasswordWorkers>().TryRun(() => release.Wait(TimeSpan.FromSeconds(30)));
        (holding is not null).ShouldBeTrue("the only password thread must take the holding work");
        try
        {
            return await send();
        }
        finally
        {
            release.Set();
            await holding!;
        }
    }


    private static ByteArrayContent Oversized(string mediaType)
    {
        var content = new ByteArrayContent(new byte[17 * 1024]);
        content.Headers.ContentType = new(mediaType);
        return content;
    }
}
