using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Audit;
using UserServices.Api.Mail;
using UserServices.Api.RateLimits;
using UserServices.Api.Sessions;
using UserServices.Api.Users;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Recovery;

/// <summary>Proving an address: a confirmation link asked for, and a mailed token (confirmation or change of address) used.</summary>
public sealed class EmailConfirmation(
    UserServicesDbContext db,
    UserManager<User> users,
    CurrentAccount current,
    MailDelivery mail,
    MailOutbox outbox,
    MailAddressThrottle throttle,
    AccountTokens tokens,
    AuditLog audit)
{
    public const string AlreadyConfirmedDetail = "The account's email address is already confirmed.";
    public const string TakenDetail = "That email is already registered.";

    /// <summary>Queues a new confirmation link to the bearer's address (the older link stops working when it is minted).</summary>
    public async Task<AccountOutcome> RequestAsync(CancellationToken cancellationToken)
    {
        if (!mail.IsConfigured)
        {
            return new AccountOutcome.MailOff();
        }

        var user = await users.FindCurrentAsync(current);
        if (user is null || string.IsNullOrEmpty(user.Email))
        {
            return new AccountOutcome.Gone();
        }

        if (user.EmailConfirmed)
        {
            return new AccountOutcome.Conflict(AlreadyConfirmedDetail);
        }

        using var perAddress = await throttle.AcquireAsync(user.Email, cancellationToken);
        if (!perAddress.IsAcquired)
        {
            return new AccountOutcome.Throttled(AuthRateLimiting.RetryAfter(perAddress));
        }

        outbox.Add(MailKind.EmailConfirmation, user.Email, user.Id);
        audit.AddTo(db, AuditActions.EmailConfirmationRequested, user, $"to {user.Email}");
        await db.SaveChangesAsync(cancellationToken);
        outbox.Wake();
        return AccountOutcome.Completed;
    }

    /// <summary>
    /// Uses a mailed token: a confirmation marks the account's address confirmed; a change of address makes the new
    /// address the account's (confirmed) and rotates the security stamp, ending the account's sessions.
    /// </summary>
    public async Task<AccountOutcome> ConfirmAsync(ConfirmEmailRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Token))
        {
            return new AccountOutcome.Invalid("token", "The 'token' field is required.");
        }

        var found = await tokens.FindUsableAsync(request.Token, [TokenPurpose.ConfirmEmail, TokenPurpose.ChangeEmail], cancellationToken);
        var user = found is null ? null : await users.FindByIdAsync(found.UserId.ToString(CultureInfo.InvariantCulture));
        if (found is null || user is null || string.IsNullOrEmpty(found.Email))
        {
            return new AccountOutcome.InvalidToken();
        }

        var change = found.Purpose == TokenPurpose.ChangeEmail;
        // A change of address asked for before a password change, reset or lock must not outlive it: it may have
        // been asked by whoever the password change was meant to shut out.
        if (change && found.StampDigest != SessionBinding.DigestOf(user.SecurityStamp))
        {
            return new AccountOutcome.InvalidToken();
        }

        // A confirmation proves the address it was sent to; after a change of address it proves nothing.
        if (!change && !string.Equals(user.Email, found.Email, StringComparison.OrdinalIgnoreCase))
        {
            return new AccountOutcome.InvalidToken();
        }

        if (change && await users.FindByEmailAsync(found.Email) is { } holder && holder.Id != user.Id)
        {
            return new AccountOutcome.Conflict(TakenDetail);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await tokens.TryUseAsync(found, cancellationToken))
        {
            return new AccountOutcome.InvalidToken();
        }

        try
        {
            if (await SaveConfirmedAsync(user, change ? found.Email : null, cancellationToken) is { } refused)
            {
                return refused;
            }

            await transaction.CommitAsync(cancellationToken);
            return AccountOutcome.Completed;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Two accounts raced for the same new address; the unique index decided.
            return new AccountOutcome.Conflict(TakenDetail);
        }
    }

    /// <summary>The address confirmed (and changed to <paramref name="newEmail"/>), with its event, in one save; null when saved.</summary>
    private async Task<AccountOutcome?> SaveConfirmedAsync(User user, string? newEmail, CancellationToken cancellationToken)
    {
        var detail = newEmail is null ? user.Email : $"{user.Email} -> {newEmail}";
        if (newEmail is not null)
        {
            // Identity normalizes the address and validates it (a taken one is DuplicateEmail) on the save below.
            user.Email = newEmail;
        }

        user.EmailConfirmed = true;
        audit.AddTo(db, newEmail is null ? AuditActions.EmailConfirmed : AuditActions.EmailChanged, user, detail);
        // A new address gets a new stamp, as Identity's SetEmailAsync gives it: every token of the account stops.
        var saved = newEmail is null ? await users.UpdateAsync(user) : await users.UpdateSecurityStampAsync(user);
        if (saved.Succeeded)
        {
            return null;
        }

        return saved.Errors.Any(e => e.Code == "DuplicateEmail")
            ? new AccountOutcome.Conflict(TakenDetail)
            : throw new InvalidOperationException($"The confirmation could not be saved: {string.Join(", ", saved.Errors.Select(e => e.Code))}.");
    }
}
