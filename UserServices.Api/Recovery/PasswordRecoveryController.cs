using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
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
[Route("user/password")]
[Tags("Account recovery")]
[RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
[Consumes("application/json")]
public sealed class PasswordRecoveryController(
    UserServicesDbContext db,
    UserManager<User> users,
    MailDelivery mail,
    MailOutbox outbox,
    MailAddressThrottle throttle,
    AccountTokens tokens,
    PasswordWork passwords,
    RefreshTokenStore refreshTokens,
    AuditLog audit,
    IOptions<LockoutPolicyOptions> lockout,
    TimeProvider time) : ControllerBase
{
    public const string InvalidForgotDetail = "The request has invalid fields; see 'errors'.";
    public const string InvalidResetDetail = "The password reset has invalid fields; see 'errors'.";
    public const string MailOffDescription = "Mail is not configured on this service (no `SMTP_URL`, outside Development).";

    /// <summary>Ask for a password reset link.</summary>
    /// <remarks>
    /// Always 202 with the same body, whether or not an account has the address: the request only queues the job,
    /// and the mail sender alone looks the address up and mails a reset link when an account has it. The link
    /// works once and expires after <c>Mail:PasswordResetMinutes</c>.
    /// </remarks>
    [HttpPost("forgot")]
    [EnableRateLimiting(AuthRateLimiting.MailPolicy)]
    [ProducesResponseType<MailAccepted>(StatusCodes.Status202Accepted, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest, "`email` is missing, too long or not an address.",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidForgotDetail)]
    [ErrorResponse(StatusCodes.Status503ServiceUnavailable, MailOffDescription, ExampleDetail = ProblemResponses.MailNotConfiguredDetail)]
    public async Task<IActionResult> Forgot(ForgotPasswordRequest request, CancellationToken cancellationToken)
    {
        if (!mail.IsConfigured)
        {
            return ProblemResponses.MailNotConfigured().ToResult();
        }

        var email = request.Email?.Trim();
        if (RecoveryFields.EmailProblem(email, "email") is { } problem)
        {
            return ProblemResponses.InvalidFields(new Dictionary<string, string[]> { ["email"] = [problem] }, InvalidForgotDetail).ToResult();
        }

        using var perAddress = await throttle.AcquireAsync(email!, cancellationToken);
        if (!perAddress.IsAcquired)
        {
            return AuthRateLimiting.TooManyRequests(perAddress);
        }

        // The same work for every address: one row, one insert. Whether an account has it is not asked here.
        outbox.Add(MailKind.PasswordReset, email!, userId: null);
        await db.SaveChangesAsync(cancellationToken);
        outbox.Wake();
        return StatusCode(StatusCodes.Status202Accepted, MailAccepted.ResetRequested);
    }

    /// <summary>Set a new password with the token from a reset mail.</summary>
    /// <remarks>
    /// The token works once. The new password follows the registration policy. The reset ends every access and
    /// refresh token of the account and clears a lockout.
    /// </remarks>
    [HttpPost("reset")]
    [RunsBcrypt]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status400BadRequest,
        "A field is missing or the new password breaks the policy (by field, in `errors`); or the token is unknown, " +
        "used, replaced by a newer one, expired, or the password changed since it was sent (`error: invalid_token`).",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidResetDetail)]
    public async Task<IActionResult> Reset(ResetPasswordRequest request, CancellationToken cancellationToken)
    {
        var missing = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.Token))
        {
            missing["token"] = ["The 'token' field is required."];
        }

        if (string.IsNullOrEmpty(request.NewPassword))
        {
            missing["new_password"] = ["The 'new_password' field is required."];
        }

        if (missing.Count > 0)
        {
            return ProblemResponses.InvalidFields(missing, InvalidResetDetail).ToResult();
        }

        var found = await tokens.FindUsableAsync(request.Token, [TokenPurpose.PasswordReset], cancellationToken);
        var user = found is null ? null : await users.FindByIdAsync(found.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Minted against the stamp of its time: any password change since (another reset, PUT /user/password) ends it.
        if (found is null || user is null || found.StampDigest != SessionBinding.DigestOf(user.SecurityStamp))
        {
            return ProblemResponses.InvalidAccountToken().ToResult();
        }

        var policy = await RecoveryFields.PolicyProblemsAsync(users, user, request.NewPassword!);
        if (policy.Length > 0)
        {
            // The token stays usable: the user may try a better password with the same link.
            return ProblemResponses.InvalidFields(new Dictionary<string, string[]> { ["new_password"] = policy }, InvalidResetDetail).ToResult();
        }

        if (!await passwords.TryHashAsync(user, request.NewPassword!, cancellationToken))
        {
            return ProblemResponses.Busy().ToResult(ProblemResponses.BusyRetryAfter);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await tokens.TryUseAsync(found, cancellationToken))
        {
            return ProblemResponses.InvalidAccountToken().ToResult();
        }

        user.PasswordHash = users.PasswordHasher.HashPassword(user, request.NewPassword!);
        user.AccessFailedCount = 0;
        // A lockout the policy set (never longer than Lockout:LockoutMinutes) ends with a reset; a longer one was an
        // admin's, and a reset link must not undo an admin's decision.
        var policyLockout = user.LockoutEnd is { } end && end <= time.GetUtcNow().AddMinutes(lockout.Value.LockoutMinutes);
        if (policyLockout)
        {
            user.LockoutEnd = null;
        }

        // Saved by the stamp's save below, in the transaction that uses the token.
        audit.Record(AuditActions.PasswordReset, user, policyLockout ? "by mailed link; sessions ended, lockout cleared" : "by mailed link; sessions ended");
        // A new stamp ends every access token (and refresh family) issued with the old one, as a password change does.
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded)
        {
            // Only a concurrent write to the same row gets here; the transaction rolls back and the token stays usable.
            throw new InvalidOperationException($"The password reset could not be saved: {string.Join(", ", saved.Errors.Select(e => e.Code))}.");
        }

        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return NoContent();
    }
}
