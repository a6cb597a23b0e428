using UserServices.Api.Sessions;

namespace UserServices.Api.Mfa;

/// <summary>
/// RFC 8176 <c>amr</c> values a sign-in records (on its session, then in every access token of it). A recovery
/// code is <c>["pwd","mfa"]</c>: a second factor was shown (so <c>Mfa:RequiredForRoles</c> is met), but not the
/// authenticator app, whose own value <c>otp</c> would claim it was.
/// </summary>
public static class AuthMethods
{
    public const string Claim = "amr";
    public const string Password = SessionStore.PasswordMethod;
    public const string OneTimePassword = "otp";
    public const string MultipleFactors = "mfa";

    /// <summary>As stored on the session row: the values separated by spaces.</summary>
    public const string PasswordAndTotp = $"{Password} {OneTimePassword} {MultipleFactors}";

    public const string PasswordAndRecoveryCode = $"{Password} {MultipleFactors}";

    /// <summary>The stored form as the claim's array.</summary>
    public static string[] Split(string? stored) =>
        string.IsNullOrWhiteSpace(stored) ? [Password] : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
