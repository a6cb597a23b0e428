using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Hosting;
using UserServices.Api.Users;

namespace UserServices.Api.Passkeys;

/// <summary>The caller's passkeys: add one (two steps), list, rename and remove them.</summary>
[ApiController]
[Route("user/passkeys")]
[Tags("Passkeys")]
[Authorize]
[RequiresPasskeys]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class PasskeysController(PasskeyRegistration registration, AccountPasskeys passkeys, CurrentAccount current) : ControllerBase
{
    public const string InvalidDetail = "The passkey request has invalid fields; see 'errors'.";
    public const string NotFoundDetail = "You have no passkey with this id.";

    private const string Off = "The token's account no longer exists, or passkeys are not enabled on this service (no relying-party id " +
        "is configured; `detail` says which setting turns them on).";

    /// <summary>Begin adding a passkey: creation options for the caller's account.</summary>
    /// <remarks>
    /// Needs a sign-in from the last 10 minutes (the token's <c>auth_time</c>). Pass <c>options</c> to
    /// <c>PublicKeyCredential.parseCreationOptionsFromJSON</c> and <c>navigator.credentials.create</c>, then send the
    /// credential's JSON with <c>ceremony_id</c> to <c>POST /user/passkeys</c> within 5 minutes. The options ask for a
    /// discoverable credential (resident key required), prefer user verification, and exclude the account's passkeys.
    /// </remarks>
    [HttpPost("options")]
    [ProducesResponseType<PasskeyCeremonyResponse>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status403Forbidden,
        "The token's sign-in (`auth_time`) is older than 10 minutes: sign in again and retry (`detail` says so); or the token is a " +
        "client's own (client credentials), which names no account (`error: insufficient_scope`).", OAuthError = "insufficient_scope")]
    [ErrorResponse(StatusCodes.Status404NotFound, Off)]
    public async Task<IActionResult> BeginRegistration(CancellationToken cancellationToken) =>
        Map(await registration.BeginAsync(User, HttpContext, cancellationToken));

    /// <summary>Finish adding a passkey: the credential <c>navigator.credentials.create</c> made.</summary>
    /// <remarks>The ceremony is used once, whatever the result. <c>name</c> is optional (default <c>Passkey</c>, at most 64 characters).</remarks>
    [HttpPost]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType<PasskeyCreated>(StatusCodes.Status201Created, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest,
        "A field is missing or malformed, the ceremony is unknown, used, expired or another account's, or the credential was " +
        "not accepted (wrong origin or relying party, wrong challenge, already registered); by field, in `errors`.",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "ceremony_id", ExampleFieldError = PasskeyRegistration.CeremonyRefused)]
    [ErrorResponse(StatusCodes.Status404NotFound, Off)]
    public async Task<IActionResult> CompleteRegistration(PasskeyRegistrationRequest request, CancellationToken cancellationToken) =>
        Map(await registration.CompleteAsync(User, request, HttpContext, cancellationToken));

    /// <summary>List the caller's passkeys, oldest first.</summary>
    [HttpGet]
    [ProducesResponseType<PasskeyList>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status404NotFound, Off)]
    public async Task<IActionResult> List(CancellationToken cancellationToken) =>
        current.Account is { } account && await passkeys.ListAsync(account.Id, cancellationToken) is { } list
            ? Ok(list)
            : ProblemResponses.AccountGone().ToResult();

    /// <summary>Rename one of the caller's passkeys.</summary>
    [HttpPatch("{id}")]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status400BadRequest, "The name is missing, blank, longer than 64 characters or has control characters.",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "name", ExampleFieldError = "The 'name' field is required.")]
    [ErrorResponse(StatusCodes.Status404NotFound, "The caller has no passkey with this id (also when it is another account's), or passkeys are not enabled on this service.", ExampleDetail = NotFoundDetail)]
    public async Task<IActionResult> Rename(string id, PasskeyRenameRequest request, CancellationToken cancellationToken)
    {
        if (PasskeyNames.Problem(request.Name) is { } problem)
        {
            return ProblemResponses.InvalidFields(new Dictionary<string, string[]> { ["name"] = [problem] }, InvalidDetail).ToResult();
        }

        return current.Account is { } account && await passkeys.RenameAsync(account.Id, id, request.Name!.Trim(), cancellationToken)
            ? NoContent()
            : ProblemResponses.NotFound(NotFoundDetail).ToResult();
    }

    /// <summary>Remove one of the caller's passkeys; it can sign in no more.</summary>
    [HttpDelete("{id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The caller has no passkey with this id (also when it is another account's), or passkeys are not enabled on this service.", ExampleDetail = NotFoundDetail)]
    public async Task<IActionResult> Remove(string id, CancellationToken cancellationToken) =>
        current.Account is { } account && await passkeys.RemoveAsync(account.Id, id, cancellationToken)
            ? NoContent()
            : ProblemResponses.NotFound(NotFoundDetail).ToResult();

    private IActionResult Map(PasskeyRegistrationOutcome outcome) => outcome switch
    {
        PasskeyRegistrationOutcome.Begun(var ceremony) => Ok(ceremony),
        PasskeyRegistrationOutcome.Added(var created) => StatusCode(StatusCodes.Status201Created, created),
        PasskeyRegistrationOutcome.SignInAgain => ProblemResponses.Forbidden(PasskeyRegistration.SignInAgainDetail).ToResult(),
        PasskeyRegistrationOutcome.Invalid(var errors) => ProblemResponses.InvalidFields(errors, InvalidDetail).ToResult(),
        _ => ProblemResponses.AccountGone().ToResult(),
    };
}
