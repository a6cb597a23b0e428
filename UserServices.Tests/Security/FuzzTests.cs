using System.Text;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Security;

/// <summary>Thousands of malformed requests, generated from a fixed seed: none may be a 5xx.</summary>
public sealed class FuzzTests(ServiceFixture<FuzzTests> fixture) : IClassFixture<ServiceFixture<FuzzTests>>
{
    private const int Requests = 2100;
    private static readonly string[] Paths = ["/user/token", "/user/register", "/user/user"];
    private static readonly string[] ContentTypes =
    [
        "application/x-www-form-urlencoded", "application/json", "text/plain", "multipart/form-data; boundary=xyz",
        "application/x-www-form-urlencoded; charset=utf-16", "application/json; charset=latin1", "", "garbage/*;;",
    ];

    [Fact]
    public async Task Malformed_requests_never_cause_a_5xx_and_login_still_works_after()
    {
        var app = fixture.App;
        (await app.RegisterAsync("survivor", "survivor@example.com", "correct horse battery")).EnsureSuccessStatusCode();
        var random = new Random(20261125);
        var client = app.CreateClient();
        var failures = new List<string>();

        for (var i = 0; i < Requests; i++)
        {
            var path = Paths[i % Paths.Length];
            var request = new HttpRequestMessage(i % 7 == 0 ? HttpMethod.Get : HttpMethod.Post, path);
            var body = Body(random, i);
            var content = new ByteArrayContent(body);
            var type = ContentTypes[random.Next(ContentTypes.Length)];
            if (type.Length > 0)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", type);
            }

            request.Content = content;
            if (random.Next(3) == 0)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Encoding.Latin1.GetString(RandomBytes(random, random.Next(0, 300))).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
            }

            var response = await client.SendAsync(request);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"#{i} {request.Method} {path} [{type}] → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        failures.ShouldBeEmpty(string.Join('\n', failures.Take(5)));
        (await app.TokenAsync("survivor", "correct horse battery")).ShouldNotBeEmpty();
    }

    private static byte[] Body(Random random, int i) => (i % 6) switch
    {
        0 => RandomBytes(random, random.Next(0, 2048)),
        1 => Encoding.UTF8.GetBytes("username=survivor&password=" + Uri.EscapeDataString(new string((char)random.Next(1, 0xD7FF), random.Next(1, 3000)))),
        2 => Encoding.UTF8.GetBytes("username=%ZZ%&password=%E0%A4%A&grant_type=" + new string('=', random.Next(0, 50)) + "&&&=&"),
        3 => Encoding.UTF8.GetBytes("{\"username\": " + string.Join(",", Enumerable.Repeat("[", random.Next(1, 200))) + "}"),
        4 => Truncated(Encoding.UTF8.GetBytes($"{{\"username\":\"{new string('u', random.Next(0, 5000))}\",\"email\":{random.Next()},\"password\":null}}"), random),
        _ => Encoding.Unicode.GetBytes("{\"username\":\"\u0000\",\"email\":\"\uFFFF@\uD800\",\"password\":\"" + new string('p', random.Next(0, 100)) + "\"}"),
    };

    private static byte[] Truncated(byte[] bytes, Random random) => bytes[..random.Next(1, bytes.Length)];

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
