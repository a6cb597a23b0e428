using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Audit;
using UserServices.Api.Mail;
using UserServices.Api.Passwords;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

/// <summary>Creates an account with the <c>user</c> role, all or nothing.</summary>
public sealed class UserRegistration(
    UserManager<User> users, UserServicesDbContext db, PasswordWork passwords, PasswordPolicy policy, AuditLog audit, MailOutbox outbox, MailDelivery mail)
{
    public const string TakenDetail = "That username or email is already registered.";
    public const string UserNameRequired = "Username is required.";

    public async Task<RegistrationOutcome> RegisterAsync(RegisterRequest request, CancellationToken cancellationToken)
    {
        var user = new User { UserName = request.Username?.Trim(), Email = request.Email?.Trim(), LockoutEnabled = true };
        var errors = await ValidateAsync(user, request);
        if (errors.Invalid.Count > 0)
        {
            return new RegistrationOutcome.Invalid(errors.Invalid.ToDictionary(e => e.Key, e => e.Value.Distinct().ToArray()));
        }

        if (errors.Duplicate)
        {
            return new RegistrationOutcome.Taken(TakenDetail);
        }

        // Hashing the new password is a bcrypt like a login's, on the same password threads; Identity gets the hash.
        user.PasswordHash = await passwords.HashAsync(request.Password!, cancellationToken);
        if (user.PasswordHash is null)
        {
            return new RegistrationOutcome.Busy();
        }

        // One transaction for the account and its role: a failure leaves no half-made user behind.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                return created.Errors.Any(IsDuplicate)
                    ? new RegistrationOutcome.Taken(TakenDetail)
                    : new RegistrationOutcome.Invalid(ByField(created.Errors));
            }

            // Saved with the role, inside the transaction.
            audit.AddTo(db, AuditActions.UserRegistered, user);
            await users.AddToRoleAsync(user, Role.Member);
            if (mail.IsConfigured)
            {
                // With the account, or not at all; without mail, registration works as it always did.
                outbox.Add(MailKind.EmailConfirmation, user.Email!, user.Id);
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            outbox.Wake();
            return new RegistrationOutcome.Created(user);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Two registrations raced past the validator; the unique index decided.
            return new RegistrationOutcome.Taken(TakenDetail);
        }
    }

    private async Task<(Dictionary<string, List<string>> Invalid, bool Duplicate)> ValidateAsync(User user, RegisterRequest request)
    {
        var invalid = new Dictionary<string, List<string>>();
        void Add(string field, string message) => (invalid.TryGetValue(field, out var list) ? list : invalid[field] = []).Add(message);

        if (string.IsNullOrWhiteSpace(request.Username))
        {
            Add("username", UserNameRequired);
        }

        if (string.IsNullOrWhiteSpace(request.Email))
        {
            Add("email", "Email is required.");
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            Add("password", "Password is required.");
        }

        var identityErrors = new List<IdentityError>();
        if (!string.IsNullOrWhiteSpace(request.Username) || !string.IsNullOrWhiteSpace(request.Email))
        {
            foreach (var validator in users.UserValidators)
            {
                identityErrors.AddRange((await validator.ValidateAsync(users, user)).Errors);
            }
        }

        if (!string.IsNullOrEmpty(request.Password))
        {
            identityErrors.AddRange(policy.Check(request.Password, user.UserName, user.Email));
        }

        foreach (var (field, messages) in ByField(identityErrors.Where(e => !IsDuplicate(e) && !IsMissingField(e, request))))
        {
            foreach (var message in messages)
            {
                Add(field, message);
            }
        }

        return (invalid, identityErrors.Any(IsDuplicate));
    }

    private static Dictionary<string, string[]> ByField(IEnumerable<IdentityError> errors) => errors
        .GroupBy(e => FieldOf(e.Code))
        .ToDictionary(g => g.Key, g => g.Select(e => e.Description).Distinct().ToArray());

    private static string FieldOf(string code) =>
        code.Contains("UserName", StringComparison.Ordinal) ? "username"
        : code.Contains("Email", StringComparison.Ordinal) ? "email"
        : code.StartsWith("Password", StringComparison.Ordinal) ? "password"
        : "account";

    private static bool IsDuplicate(IdentityError error) => error.Code is "DuplicateUserName" or "DuplicateEmail";

    // Identity reports an empty username or email as "invalid"; the required-field message already says it.
    private static bool IsMissingField(IdentityError error, RegisterRequest request) =>
        (FieldOf(error.Code) == "username" && string.IsNullOrWhiteSpace(request.Username))
        || (FieldOf(error.Code) == "email" && string.IsNullOrWhiteSpace(request.Email));
}
