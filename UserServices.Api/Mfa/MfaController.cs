using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Hosting;
using UserServices.Api.Passwords;
using UserServices.Api.Sessions;
using UserServices.Api.Users;

namespace UserServices.Api.Mfa;

/// <summary>The bearer's own two-factor sign-in: enrol an authenticator app, confirm it, see it, replace the recovery codes, turn it off.</summary>
[ApiController]
[Route("user/mfa")]
[Tags("Two-factor sign-in")]
[Authorize]
public sealed class MfaController(MfaEnrolment enrolment, TotpSecretCipher cipher) : ControllerBase
{
    public const string InvalidDetail = "The request has invalid fields; see 'errors'.";

    /// <summary>Start enrolling an authenticator app.</summary>
    /// <remarks>
    /// A new 160-bit secret (base32) and its <c>otpauth://totp/…</c> URI (SHA-1, 6 digits, 30 s) to scan or type into
    /// the app. Nothing changes at sign-in until a code confirms it; asking again replaces the pending secret. A wrong
    /// password counts towards lockout.
    /// </remarks>
    [HttpPost("totp")]
    [RunsBcrypt]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType<TotpEnrolment>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest, "The password is missing or wrong (a wrong one counts towards lockout).",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "password", ExampleFieldError = PasswordConfirmation.WrongPassword)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    [ErrorResponse(StatusCodes.Status409Conflict, "Two-factor sign-in is already on.", ExampleDetail = MfaEnrolment.AlreadyOn)]
    public async Task<IActionResult> Begin(BeginTotpRequest request, CancellationToken cancellationToken)
    {
        if (!cipher.IsConfigured)
        {
            return ProblemResponses.MfaNotConfigured().ToResult(ProblemResponses.DatabaseRetryAfter);
        }

        var (outcome, enrolled) = await enrolment.BeginAsync(request, cancellationToken);
        return outcome.ToResult(InvalidDetail, () => Ok(enrolled));
    }

    /// <summary>Confirm the authenticator with its first code: two-factor sign-in is on.</summary>
    /// <remarks>
    /// Answers ten recovery codes, shown this once. The confirming code cannot sign in afterwards. Every other session
    /// of the account ends (they were signed in with the password alone); this one stays.
    /// </remarks>
    [HttpPost("totp/confirm")]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType<RecoveryCodeList>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest, "The code is not a current code of the pending secret (or there is none).",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "code", ExampleFieldError = MfaEnrolment.WrongCode)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    [ErrorResponse(StatusCodes.Status409Conflict, "Two-factor sign-in is already on.", ExampleDetail = MfaEnrolment.AlreadyOn)]
    public async Task<IActionResult> Confirm(MfaCodeRequest request, CancellationToken cancellationToken)
    {
        var (outcome, codes) = await enrolment.ConfirmAsync(request, CurrentSession(), cancellationToken);
        return outcome.ToResult(InvalidDetail, () => Ok(codes));
    }

    /// <summary>Whether sign-in asks for a code, and how many recovery codes are left.</summary>
    [HttpGet]
    [ProducesResponseType<MfaStatus>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    public async Task<IActionResult> Status(CancellationToken cancellationToken) =>
        await enrolment.StatusAsync(cancellationToken) is { } status ? Ok(status) : ProblemResponses.AccountGone().ToResult();

    /// <summary>Replace the recovery codes.</summary>
    /// <remarks>For a current authenticator code; answers ten new codes, and the old ones stop working. A wrong code counts towards lockout.</remarks>
    [HttpPost("recovery-codes")]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType<RecoveryCodeList>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest, "The code is wrong or already used (it counts towards lockout).",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "code", ExampleFieldError = MfaEnrolment.WrongCode)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    [ErrorResponse(StatusCodes.Status409Conflict, "Two-factor sign-in is not on.", ExampleDetail = MfaEnrolment.NotOn)]
    public async Task<IActionResult> RegenerateRecoveryCodes(MfaCodeRequest request, CancellationToken cancellationToken)
    {
        var (outcome, codes) = await enrolment.RegenerateAsync(request, cancellationToken);
        return outcome.ToResult(InvalidDetail, () => Ok(codes));
    }

    /// <summary>Turn two-factor sign-in off.</summary>
    /// <remarks>For the password and a current code; the secret and the recovery codes are deleted. Wrong ones count towards lockout.</remarks>
    [HttpDelete("totp")]
    [RunsBcrypt]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status400BadRequest, "The password or the code is missing or wrong; named in `errors`.",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "code", ExampleFieldError = MfaEnrolment.WrongCode)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    [ErrorResponse(StatusCodes.Status409Conflict, "Two-factor sign-in is not on.", ExampleDetail = MfaEnrolment.NotOn)]
    public async Task<IActionResult> Disable(DisableTotpRequest request, CancellationToken cancellationToken) =>
        (await enrolment.DisableAsync(request, cancellationToken)).ToResult(InvalidDetail, NoContent);

    private Guid? CurrentSession() =>
        Guid.TryParseExact(User.FindFirst(SessionBinding.SessionIdClaim)?.Value, "N", out var id) ? id : null;
}
