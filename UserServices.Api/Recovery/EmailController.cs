using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using UserServices.Api.Hosting;
using UserServices.Api.Passwords;
using UserServices.Api.RateLimits;
using UserServices.Api.Users;

namespace UserServices.Api.Recovery;

[ApiController]
[Route("user/email")]
[Tags("Account recovery")]
public sealed class EmailController(EmailConfirmation confirmation, EmailChange change) : ControllerBase
{
    public const string InvalidDetail = "The request has invalid fields; see 'errors'.";
    public const string AlreadyConfirmedDetail = EmailConfirmation.AlreadyConfirmedDetail;
    public const string TakenDetail = EmailConfirmation.TakenDetail;

    /// <summary>Send a confirmation link to the bearer's email address.</summary>
    /// <remarks>Registration sends one by itself when mail is configured; this sends a new one (the older link stops working).</remarks>
    [HttpPost("confirm/request")]
    [Authorize]
    [EnableRateLimiting(AuthRateLimiting.MailPolicy)]
    [ProducesResponseType<MailAccepted>(StatusCodes.Status202Accepted, "application/json")]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    [ErrorResponse(StatusCodes.Status409Conflict, "The address is already confirmed.", ExampleDetail = AlreadyConfirmedDetail)]
    [ErrorResponse(StatusCodes.Status503ServiceUnavailable, PasswordRecoveryController.MailOffDescription, ExampleDetail = ProblemResponses.MailNotConfiguredDetail)]
    public async Task<IActionResult> RequestConfirmation(CancellationToken cancellationToken) =>
        (await confirmation.RequestAsync(cancellationToken)).ToResult(InvalidDetail, () => StatusCode(StatusCodes.Status202Accepted, MailAccepted.ConfirmationRequested));

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
        typeof(ValidationProblemDetails), OAuthError = "invalid_token", ExampleDetail = ProblemResponses.InvalidAccountTokenDetail)]
    [ErrorResponse(StatusCodes.Status409Conflict, "An email change whose new address another account has taken meanwhile.", ExampleDetail = TakenDetail)]
    public async Task<IActionResult> Confirm(ConfirmEmailRequest request, CancellationToken cancellationToken) =>
        (await confirmation.ConfirmAsync(request, cancellationToken)).ToResult(InvalidDetail, NoContent);

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
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "password", ExampleFieldError = PasswordConfirmation.WrongPassword)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    [ErrorResponse(StatusCodes.Status409Conflict, "Another account has the new address.", ExampleDetail = TakenDetail)]
    [ErrorResponse(StatusCodes.Status503ServiceUnavailable,
        PasswordRecoveryController.MailOffDescription + " Or too many password checks are queued already; retry after the seconds in `Retry-After`.",
        ExampleDetail = ProblemResponses.MailNotConfiguredDetail)]
    public async Task<IActionResult> Change(ChangeEmailRequest request, CancellationToken cancellationToken) =>
        (await change.RequestAsync(request, cancellationToken)).ToResult(InvalidDetail, () => StatusCode(StatusCodes.Status202Accepted, MailAccepted.ChangeRequested));
}
