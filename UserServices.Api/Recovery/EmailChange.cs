using Microsoft.AspNetCore.Identity;
using UserServices.Api.Audit;
using UserServices.Api.Mail;
using UserServices.Api.Passwords;
using UserServices.Api.RateLimits;
using UserServices.Api.Users;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Recovery;

/// <summary>
/// The bearer asks for a new address, confirming it with their password: a link goes to the new address and a
/// notice to the old one. The address changes only when the link is used (<see cref="EmailConfirmation"/>).
/// </summary>
public sealed class EmailChange(
    UserServicesDbContext db,
    UserManager<User> users,
    CurrentAccount current,
    MailDelivery mail,
    MailOutbox outbox,
    MailAddressThrottle throttle,
    PasswordConfirmation confirmation,
    AuditLog audit)
{
    public async Task<AccountOutcome> RequestAsync(ChangeEmailRequest request, CancellationToken cancellationToken)
    {
        if (!mail.IsConfigured)
        {
            return new AccountOutcome.MailOff();
        }

        var newEmail = request.NewEmail?.Trim();
        var invalid = new Dictionary<string, string[]>();
        if (RecoveryFields.EmailProblem(newEmail, "new_email") is { } problem)
        {
            invalid["new_email"] = [problem];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            invalid["password"] = ["The 'password' field is required."];
        }

        if (invalid.Count > 0)
        {
            return new AccountOutcome.Invalid(invalid);
        }

        if (await users.FindCurrentAsync(current) is not { } user)
        {
            return new AccountOutcome.Gone();
        }

        switch (await confirmation.CheckAsync(user, request.Password!, "changing the email", cancellationToken))
        {
            case PasswordVerdict.Busy:
                return new AccountOutcome.Busy();
            case PasswordVerdict.DoesNotMatch:
                return new AccountOutcome.Invalid("password", PasswordConfirmation.WrongPassword);
        }

        return await QueueAsync(user, newEmail!, cancellationToken);
    }

    private async Task<AccountOutcome> QueueAsync(User user, string newEmail, CancellationToken cancellationToken)
    {
        if (string.Equals(user.Email, newEmail, StringComparison.OrdinalIgnoreCase))
        {
            return new AccountOutcome.Invalid("new_email", "The new address is the account's current one.");
        }

        // As registration does, a taken address is said: the password asked before bounds who can probe.
        if (await users.FindByEmailAsync(newEmail) is not null)
        {
            return new AccountOutcome.Conflict(EmailConfirmation.TakenDetail);
        }

        using var perAddress = await throttle.AcquireAsync(newEmail, cancellationToken);
        if (!perAddress.IsAcquired)
        {
            return new AccountOutcome.Throttled(AuthRateLimiting.RetryAfter(perAddress));
        }

        outbox.Add(MailKind.EmailChange, newEmail, user.Id);
        if (!string.IsNullOrEmpty(user.Email))
        {
            outbox.Add(MailKind.EmailChangeNotice, user.Email, user.Id);
        }

        // The new address is no secret and says where the account may move; the change itself is email.changed.
        audit.AddTo(db, AuditActions.EmailChangeRequested, user, $"{user.Email} -> {newEmail}");
        await db.SaveChangesAsync(cancellationToken);
        outbox.Wake();
        return AccountOutcome.Completed;
    }
}
