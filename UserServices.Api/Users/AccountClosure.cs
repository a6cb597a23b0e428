using Microsoft.AspNetCore.Identity;
using UserServices.Api.Audit;
using UserServices.Api.Passwords;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

/// <summary>The bearer closes their own account, confirming it with their password; never the last admin who can sign in.</summary>
public sealed class AccountClosure(
    UserManager<User> users, UserServicesDbContext db, CurrentAccount current, PasswordConfirmation confirmation, AuditLog audit, TimeProvider time)
{
    public const string LastAdminDetail = "This is the last admin account that can sign in; make another account an admin first.";

    public async Task<AccountOutcome> CloseAsync(CloseAccountRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Password))
        {
            return new AccountOutcome.Invalid("password", "The 'password' field is required.");
        }

        if (await users.FindCurrentAsync(current) is not { } user)
        {
            return new AccountOutcome.Gone();
        }

        switch (await confirmation.CheckAsync(user, request.Password, "closing the account", cancellationToken))
        {
            case PasswordVerdict.Busy:
                return new AccountOutcome.Busy();
            case PasswordVerdict.DoesNotMatch:
                return new AccountOutcome.Invalid("password", PasswordConfirmation.WrongPassword);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The last admin who can sign in may not leave: the service would have nobody to administer it. Under the
        // admin role's lock, as the admin API's removals, so two admins closing their accounts at once run in turn.
        if (await AdminRoles.HoldsAdminAsync(db, user.Id, cancellationToken))
        {
            await AdminRoles.SerializeAsync(db, cancellationToken);
            if (!await AdminRoles.AnotherActiveAdminAsync(db, user.Id, time.GetUtcNow(), cancellationToken))
            {
                return new AccountOutcome.Conflict(LastAdminDetail);
            }
        }

        // The actor is the user: an admin's deletion records the admin instead. Saved by the delete's own save.
        audit.AddTo(db, AuditActions.UserDeleted, user, $"closed by the user; email was {user.Email}");
        // Refresh tokens, roles and mailed tokens go with the row (cascading deletes), in the same transaction.
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            throw new InvalidOperationException($"The account could not be deleted: {string.Join(", ", deleted.Errors.Select(e => e.Code))}.");
        }

        await transaction.CommitAsync(cancellationToken);
        return AccountOutcome.Completed;
    }
}
