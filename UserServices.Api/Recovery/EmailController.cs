using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Audit;
using UserServices.Api.Hosting;
using UserServices.Api.Mail;
using UserServices.Api.Passwords;
using UserServices.Api.RateLimits;
using UserServices.Api.Sessions;
using UserServices.Api.Users;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Recovery;

[ApiController]
[Route("user/email")]
[Tags("Account recovery")]
public sealed class EmailController(
    UserServicesDbContext db,
    UserManager<User> users,
    CurrentAccount current,
    MailDelivery mail,
    MailOutbox outbox,
    MailAddressThrottle throttle,
    AccountTokens tokens,
    PasswordConfirmation confirmation,
    AuditLog audit) : ControllerBase
{
    public const string InvalidDetail = "The request has invalid fields; see 'errors'.";
    public const string AlreadyConfirmedDetail = "The account's email address is already confirmed.";
    public const string TakenDetail = "That email is already registered.";

    /// <summary>Send a confirmation link to the bearer's email address.</summary>
    /// <remarks>Registration sends one by itself when mail is configured; this sends a new one (the older link stops working).</remarks>
    [HttpPost("confirm/request")]
    [Authorize]
    [EnableRateLimiting(AuthRateLimiting.MailPolicy)]
    [ProducesResponseType<MailAccepted>(StatusCodes.Status202Accepted, "application/json")]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    [ErrorResponse(StatusCodes.Status409Conflict, "The address is already confirmed.", ExampleDetail = AlreadyConfirmedDetail)]
    [ErrorResponse(StatusCodes.Status503ServiceUnavailable, PasswordRecoveryController.MailOffDescription, ExampleDetail = ProblemResponses.MailNotConfiguredDetail)]
    public async Task<IActionResult> RequestConfirmation(CancellationToken cancellationToken)
    {
        if (!mail.IsConfigured)
        {
            return ProblemResponses.MailNotConfigured().ToResult();
        }

        var user = await CurrentUserAsync();
        if (user is null || string.IsNullOrEmpty(user.Email))
        {
            return ProblemResponses.AccountGone().ToResult();
        }

        if (user.EmailConfirmed)
        {
            return ProblemResponses.Conflict(AlreadyConfirmedDetail).ToResult();
        }

        using var perAddress = await throttle.AcquireAsync(user.Email, cancellationToken);
        if (!perAddress.IsAcquired)
        {
            return AuthRateLimiting.TooManyRequests(perAddress);
        }

        outbox.Add(MailKind.EmailConfirmation, user.Email, user.Id);
        audit.Record(AuditActions.EmailConfirmationRequested, user, $"to {user.Email}");
        await db.SaveChangesAsync(cancellationToken);
        outbox.Wake();
        return StatusCode(StatusCodes.Status202Accepted, MailAccepted.ConfirmationRequested);
    }

    /// <summary>Confirm an email address with the token from a confirmation mail.</summary>
    /// <remarks>
    /// A confirmation token marks the account's address confirmed; an email-change token makes the new address the
    /// account's (confirmed), which ends the account's sessions like a password change. Either works once.
    /// </remarks>
    [HttpPost("confirm")]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status400BadRequest,
        "`token` is missing (by field, in `errors`), or unknown, used, replaced by a newer one or expired (`error: invalid_token`).",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail)]
    [ErrorResponse(StatusCodes.Status409Conflict, "An email change whose new address another account has taken meanwhile.", ExampleDetail = TakenDetail)]
    public async Task<IActionResult> Confirm(ConfirmEmailRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Token))
        {
            return ProblemResponses.InvalidFields(new Dictionary<string, string[]> { ["token"] = ["The 'token' field is required."] }, InvalidDetail).ToResult();
        }

        var found = await tokens.FindUsableAsync(request.Token, [TokenPurpose.ConfirmEmail, TokenPurpose.ChangeEmail], cancellationToken);
        var user = found is null ? null : await users.FindByIdAsync(found.UserId.ToString(CultureInfo.InvariantCulture));
        if (found is null || user is null || string.IsNullOrEmpty(found.Email))
        {
            return ProblemResponses.InvalidAccountToken().ToResult();
        }

        var change = found.Purpose == TokenPurpose.ChangeEmail;
        // A change of address asked for before a password change, reset or lock must not outlive it: it may have
        // been asked by whoever the password change was meant to shut out.
        if (change && found.StampDigest != SessionBinding.DigestOf(user.SecurityStamp))
        {
            return ProblemResponses.InvalidAccountToken().ToResult();
        }

        // A confirmation proves the address it was sent to; after a change of address it proves nothing.
        if (!change && !string.Equals(user.Email, found.Email, StringComparison.OrdinalIgnoreCase))
        {
            return ProblemResponses.InvalidAccountToken().ToResult();
        }

        if (change && await users.FindByEmailAsync(found.Email) is { } holder && holder.Id != user.Id)
        {
            return ProblemResponses.Conflict(TakenDetail).ToResult();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await tokens.TryUseAsync(found, cancellationToken))
        {
            return ProblemResponses.InvalidAccountToken().ToResult();
        }

        try
        {
            // Saved by the account's save below, in the transaction that uses the token.
            audit.Record(change ? AuditActions.EmailChanged : AuditActions.EmailConfirmed, user,
                change ? $"{user.Email} -> {found.Email}" : user.Email);
            if (change)
            {
                // Identity's own way: new address and normalized address, unconfirmed, new security stamp.
                var set = await users.SetEmailAsync(user, found.Email);
                if (!set.Succeeded)
                {
                    audit.Discard();
                    return set.Errors.Any(e => e.Code == "DuplicateEmail")
                        ? ProblemResponses.Conflict(TakenDetail).ToResult()
                        : throw new InvalidOperationException($"The email change could not be saved: {string.Join(", ", set.Errors.Select(e => e.Code))}.");
                }
            }

            user.EmailConfirmed = true;
            var saved = await users.UpdateAsync(user);
            if (!saved.Succeeded)
            {
                throw new InvalidOperationException($"The confirmation could not be saved: {string.Join(", ", saved.Errors.Select(e => e.Code))}.");
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            audit.Discard();
            // Two accounts raced for the same new address; the unique index decided.
            return ProblemResponses.Conflict(TakenDetail).ToResult();
        }

        return NoContent();
    }

    /// <summary>Change the bearer's email address.</summary>
    /// <remarks>
    /// A confirmation link goes to the new address and a notice to the old one. The address changes only when the
    /// new one is confirmed (<c>POST /user/email/confirm</c>); until then the account, and its access tokens, keep the old one.
    /// </remarks>
    [HttpPut("")]
    [Authorize]
    [RunsBcrypt]
    [EnableRateLimiting(AuthRateLimiting.MailPolicy)]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType<MailAccepted>(StatusCodes.Status202Accepted, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest,
        "A field is missing, `new_email` is not an address or is the current one, or the password is wrong (it counts towards lockout); by field, in `errors`.",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    [ErrorResponse(StatusCodes.Status409Conflict, "Another account has the new address.", ExampleDetail = TakenDetail)]
    [ErrorResponse(StatusCodes.Status503ServiceUnavailable,
        PasswordRecoveryController.MailOffDescription + " Or too many password checks are queued already; retry after the seconds in `Retry-After`.",
        ExampleDetail = ProblemResponses.MailNotConfiguredDetail)]
    public async Task<IActionResult> Change(ChangeEmailRequest request, CancellationToken cancellationToken)
    {
        if (!mail.IsConfigured)
        {
            return ProblemResponses.MailNotConfigured().ToResult();
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
            return ProblemResponses.InvalidFields(invalid, InvalidDetail).ToResult();
        }

        var user = await CurrentUserAsync();
        if (user is null)
        {
            return ProblemResponses.AccountGone().ToResult();
        }

        switch (await confirmation.CheckAsync(user, request.Password!, "changing the email", cancellationToken))
        {
            case PasswordVerdict.Busy:
                return ProblemResponses.Busy().ToResult(ProblemResponses.BusyRetryAfter);
            case PasswordVerdict.DoesNotMatch:
                return ProblemResponses.InvalidFields(new Dictionary<string, string[]> { ["password"] = ["The password is incorrect."] }, InvalidDetail).ToResult();
        }

        if (string.Equals(user.Email, newEmail, StringComparison.OrdinalIgnoreCase))
        {
            return ProblemResponses.InvalidFields(new Dictionary<string, string[]> { ["new_email"] = ["The new address is the account's current one."] }, InvalidDetail).ToResult();
        }

        // As registration does, a taken address is said: the password asked above bounds who can probe.
        if (await users.FindByEmailAsync(newEmail!) is not null)
        {
            return ProblemResponses.Conflict(TakenDetail).ToResult();
        }

        using var perAddress = await throttle.AcquireAsync(newEmail!, cancellationToken);
        if (!perAddress.IsAcquired)
        {
            return AuthRateLimiting.TooManyRequests(perAddress);
        }

        outbox.Add(MailKind.EmailChange, newEmail!, user.Id);
        if (!string.IsNullOrEmpty(user.Email))
        {
            outbox.Add(MailKind.EmailChangeNotice, user.Email, user.Id);
        }

        // The new address is no secret and says where the account may move; the change itself is email.changed.
        audit.Record(AuditActions.EmailChangeRequested, user, $"{user.Email} -> {newEmail}");
        await db.SaveChangesAsync(cancellationToken);
        outbox.Wake();
        return StatusCode(StatusCodes.Status202Accepted, MailAccepted.ChangeRequested);
    }

    private async Task<User?> CurrentUserAsync() =>
        current.Account is { } account ? await users.FindByIdAsync(account.Id.ToString(CultureInfo.InvariantCulture)) : null;
}
