using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using UserServices.Api.Hosting;
using UserServices.Api.Passwords;
using UserServices.Api.RateLimits;
using UserServices.Api.Users;

namespace UserServices.Api.Recovery;

[ApiController]
[Route("user/password")]
[Tags("Account recovery")]
[RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
[Consumes("application/json")]
public sealed class PasswordRecoveryController(PasswordRecovery recovery) : ControllerBase
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
        typeof(ValidationProblemDetails), ExampleDetail = InvalidForgotDetail, ExampleField = "email", ExampleFieldError = "The 'email' field is not an email address.")]
    [ErrorResponse(StatusCodes.Status503ServiceUnavailable, MailOffDescription, ExampleDetail = ProblemResponses.MailNotConfiguredDetail)]
    public async Task<IActionResult> Forgot(ForgotPasswordRequest request, CancellationToken cancellationToken) =>
        (await recovery.ForgotAsync(request, cancellationToken)).ToResult(InvalidForgotDetail, () => StatusCode(StatusCodes.Status202Accepted, MailAccepted.ResetRequested));

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
        typeof(ValidationProblemDetails), OAuthError = "invalid_token", ExampleDetail = ProblemResponses.InvalidAccountTokenDetail)]
    public async Task<IActionResult> Reset(ResetPasswordRequest request, CancellationToken cancellationToken) =>
        (await recovery.ResetAsync(request, cancellationToken)).ToResult(InvalidResetDetail, NoContent);
}
