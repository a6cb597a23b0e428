using System.Text;
using Microsoft.AspNetCore.Identity;
using UserServices.Data.Users;

namespace UserServices.Api.Passwords;

/// <summary>
/// NIST SP 800-63B: a minimum length, bcrypt's 72-byte ceiling, no composition rules, and no passwords that are
/// common or guessable from the account itself. "Common" is zxcvbn's judgement (its dictionaries of leaked
/// passwords, words, names, keyboard walks and sequences): score 0 means guessed in well under a thousand tries.
/// </summary>
public sealed class PasswordPolicy
{
    public const int MinimumLength = 8;

    // Its dictionaries take tens of megabytes; a replica that only serves logins and profiles never loads them.
    private readonly Lazy<Zxcvbn.Zxcvbn> _estimator = new(() => new Zxcvbn.Zxcvbn(Zxcvbn.Translation.English));

    public IReadOnlyList<IdentityError> Check(string password, string? userName, string? email)
    {
        var errors = new List<IdentityError>();
        var length = password.EnumerateRunes().Count();
        var bytes = Encoding.UTF8.GetByteCount(password);
        if (length < MinimumLength)
        {
            errors.Add(new IdentityError { Code = "PasswordTooShort", Description = $"Password must be at least {MinimumLength} characters." });
        }

        // A control character (C0 such as NUL, DEL, C1) is refused where a password is set, because the token
        // endpoint's form reader refuses NUL: what can be set must be usable where it is checked. NIST SP 800-63B
        // asks for printing characters and spaces, not control codes.
        if (password.Any(char.IsControl))
        {
            errors.Add(new IdentityError { Code = "PasswordHasControlCharacters", Description = "Password must not contain control characters (such as NUL, tab or newline)." });
            return errors;
        }

        if (bytes > BcryptPasswordHasher.MaxPasswordBytes)
        {
            errors.Add(new IdentityError
            {
                Code = "PasswordTooLong",
                Description = $"Password must be at most {BcryptPasswordHasher.MaxPasswordBytes} bytes in UTF-8 (bcrypt's limit); it is {bytes}.",
            });
            return errors;
        }

        if (IsSameAs(password, userName) || IsSameAs(password, email) || IsSameAs(password, email?.Split('@')[0]))
        {
            errors.Add(new IdentityError { Code = "PasswordMatchesAccount", Description = "Password must not be the username or the email address." });
        }
        else if (length >= MinimumLength && IsGuessable(password, userName, email))
        {
            errors.Add(new IdentityError { Code = "PasswordTooCommon", Description = "Password is too common or too easy to guess; choose a longer or less predictable one." });
        }

        return errors;
    }

    /// <summary>The policy's complaints as sentences, for callers outside Identity (the admin seed).</summary>
    public IReadOnlyList<string> Problems(User user, string password) =>
        Check(password, user.UserName, user.Email).Select(e => e.Description).ToList();

    private bool IsGuessable(string password, string? userName, string? email)
    {
        string[] context = [.. new[] { userName, email, email?.Split('@')[0] }.OfType<string>().Where(s => s.Length > 0)];
        return _estimator.Value.EvaluatePassword(password, context).Score == 0;
    }

    private static bool IsSameAs(string password, string? value) =>
        !string.IsNullOrEmpty(value) && string.Equals(password, value, StringComparison.OrdinalIgnoreCase);
}
