using System.Net;
using System.Net.Http.Json;

namespace UserServices.Tests.Infrastructure;

/// <summary>The password-reset mail flow as the recovery tests walk it: ask, wait for the mail, take its link's token.</summary>
public static class ResetMail
{
    public const string Subject = "Reset your password";

    /// <summary>Asks for a reset of <paramref name="email"/>'s account (202) and returns the token of the last reset mail to it.</summary>
    public static async Task<string> RequestTokenAsync(HttpClient client, SmtpTestServer smtp, string email)
    {
        (await client.PostAsJsonAsync("/user/password/forgot", new { email })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return MailLinks.TokenIn((await smtp.WaitForSubjectAsync(email, Subject))[^1]);
    }
}
