using System.Net;
using System.Net.Http.Json;

namespace UserServices.Tests.Infrastructure;

/// <summary>Two-factor sign-in turned on as a person does it, for the tests that need an account with it on.</summary>
public static class TwoFactor
{
    /// <summary>
    /// Asks for a new secret with the account's <paramref name="password"/> and confirms it with the code at
    /// <paramref name="now"/> (the service's clock: the real one, or the test's settable one), both through
    /// <paramref name="bearer"/>, a client signed in to the account.
    /// </summary>
    public static async Task<TwoFactorEnrolment> EnrolAsync(HttpClient bearer, string password, DateTimeOffset now)
    {
        var begun = await bearer.PostAsJsonAsync("/user/mfa/totp", new { password });
        begun.StatusCode.ShouldBe(HttpStatusCode.OK, await begun.Content.ReadAsStringAsync());
        var secret = TestTotp.Base32Decode((await begun.ReadJsonAsync()).Str("secret"));
        var confirmed = await bearer.PostAsJsonAsync("/user/mfa/totp/confirm", new { code = TestTotp.CodeAt(secret, now) });
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        var codes = (await confirmed.ReadJsonAsync()).GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return new TwoFactorEnrolment(secret, codes);
    }
}
