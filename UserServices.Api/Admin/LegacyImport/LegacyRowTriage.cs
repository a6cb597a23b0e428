using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using UserServices.Api.Users;
using UserServices.Data.Users;

namespace UserServices.Api.Admin.LegacyImport;

/// <summary>
/// Turns a legacy row into an account, or says why it cannot be one. The decisions (README, "Moving from the
/// Python service"):
/// <list type="bullet">
/// <item>no username, or one longer than the column, or an id outside 1..int.MaxValue: rejected;</item>
/// <item>a username registration would refuse (<see cref="UserNameRule"/>: spaces, symbols): imported as is, with a warning —
/// login never re-validates it, and <see cref="ChangedFieldsUserValidator"/> lets Identity save the account;</item>
/// <item>an empty email: imported without one (NULL; PostgreSQL's unique index lets NULLs repeat), the profile
/// shows <c>""</c> as the old service did; an email registration would refuse: kept as is, with a warning; one
/// longer than the column: dropped, with a warning;</item>
/// <item>a hash that is not bcrypt (<c>$2a$</c>/<c>$2b$</c>/<c>$2y$</c>, cost 04–31, 53 characters): imported
/// without a password (NULL), with a warning. Such a hash can never verify here, so keeping it would only
/// disguise an account nobody can log in to; importing the account keeps its id and reserves its username.</item>
/// </list>
/// </summary>
internal sealed partial class LegacyRowTriage(ILookupNormalizer normalizer)
{
    // The Users.UserName / Email columns: Identity's default of 256 characters.
    private const int MaxColumnLength = 256;

    public TriagedRow Triage(LegacyRow row)
    {
        if (row.Id is < 1 or > int.MaxValue)
        {
            return new TriagedRow.Rejected(row, $"id {row.Id} is outside 1..{int.MaxValue}");
        }

        if (string.IsNullOrWhiteSpace(row.UserName))
        {
            return new TriagedRow.Rejected(row, "username is empty");
        }

        if (row.UserName.Length > MaxColumnLength)
        {
            return new TriagedRow.Rejected(row, $"username is longer than {MaxColumnLength} characters");
        }

        var warnings = new List<string>();
        // The rule registration applies (UserNameRule): an old name that breaks it is kept, so its owner can still
        // sign in, and said; an admin can rename the account, and the new name must then follow the rule.
        if (UserNameRule.Problem(row.UserName) is { } problem)
        {
            warnings.Add($"username is one registration refuses ({problem}); imported as is (login accepts it)");
        }

        var email = Email(row.Email, warnings);
        var hash = PasswordHash(row.PasswordHash, warnings);

        var user = new User
        {
            Id = (int)row.Id,
            UserName = row.UserName,
            NormalizedUserName = normalizer.NormalizeName(row.UserName),
            Email = email,
            NormalizedEmail = email is null ? null : normalizer.NormalizeEmail(email),
            PasswordHash = hash,
            LockoutEnabled = true,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
        };
        return new TriagedRow.ToImport(row, user, warnings);
    }

    /// <summary>The address to import, or null (said in <paramref name="warnings"/>) when there is none usable.</summary>
    private static string? Email(string? email, List<string> warnings)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            warnings.Add("email is empty; imported without an email");
            return null;
        }

        if (email.Length > MaxColumnLength)
        {
            warnings.Add($"email is longer than {MaxColumnLength} characters; imported without an email");
            return null;
        }

        if (!AccountFieldsValidator.IsAcceptableEmail(email))
        {
            warnings.Add($"email {LegacyImportReport.Show(email)} is not an address registration accepts; imported as is");
        }

        return email;
    }

    /// <summary>The bcrypt hash to import, or null (said in <paramref name="warnings"/>) when it is not one.</summary>
    private static string? PasswordHash(string? hash, List<string> warnings)
    {
        if (hash is null || !BcryptHash().IsMatch(hash))
        {
            warnings.Add("password hash is not bcrypt; imported without a password (the user cannot log in until one is set)");
            return null;
        }

        return hash;
    }

    [GeneratedRegex(@"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$")]
    private static partial Regex BcryptHash();
}
