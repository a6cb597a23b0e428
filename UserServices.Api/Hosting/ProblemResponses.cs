using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace UserServices.Api.Hosting;

/// <summary>
/// Every error body the service writes, built here and nowhere else: RFC 9457 ProblemDetails with a <c>traceId</c>.
/// OAuth2 errors add RFC 6749's <c>error</c> and <c>error_description</c>, so OAuth2 libraries and the original's
/// clients (which read <c>detail</c>) both understand them. The API reference shows these same bodies as examples.
/// </summary>
public static partial class ProblemResponses
{
    public const string MediaType = "application/problem+json";

    public const string AccountGoneDetail = "The account this token was issued for no longer exists.";

    /// <summary>An OAuth2 error of the token or revocation endpoint (RFC 6749 §5.2).</summary>
    public static ProblemDetails OAuth(int status, string error, string detail) =>
        OAuth(status, error, detail, "https://www.rfc-editor.org/rfc/rfc6749#section-5.2");

    /// <summary>
    /// RFC 6749 §5.2: the client is unknown, its secret is wrong, or it did not authenticate where it must. The
    /// caller adds <c>WWW-Authenticate: Basic</c>.
    /// </summary>
    public static ProblemDetails InvalidClient(string detail) => OAuth(StatusCodes.Status401Unauthorized, "invalid_client", detail);

    /// <summary>RFC 6750 §3.1: a bearer token that is missing, malformed, expired or no longer valid.</summary>
    public static ProblemDetails InvalidToken() => OAuth(
        StatusCodes.Status401Unauthorized,
        "invalid_token",
        "The access token is missing, malformed, expired or no longer valid.",
        "https://www.rfc-editor.org/rfc/rfc6750#section-3.1");

    public const string MachineTokenDetail = "This endpoint acts on an account; a client's own token (client credentials) names none. Sign in as a user.";

    /// <summary>
    /// RFC 6750 §3.1: a valid token that cannot do this. A client's own token (client credentials) is for resource
    /// servers, never for the endpoints that act on an account. The caller adds <c>WWW-Authenticate</c>.
    /// </summary>
    public static ProblemDetails InsufficientScope() => OAuth(
        StatusCodes.Status403Forbidden,
        "insufficient_scope",
        MachineTokenDetail,
        "https://www.rfc-editor.org/rfc/rfc6750#section-3.1");

    public const string InsufficientUserAuthenticationDetail =
        "Accounts with this role must sign in with a second factor (Mfa:RequiredForRoles); sign in again with a one-time code or a passkey.";

    /// <summary>
    /// RFC 9470 §3: the token's sign-in does not meet what the endpoint asks (here: a second factor, <c>mfa</c> in
    /// <c>amr</c>). The caller adds <c>WWW-Authenticate: Bearer error="insufficient_user_authentication"</c>.
    /// </summary>
    public static ProblemDetails InsufficientUserAuthentication() => OAuth(
        StatusCodes.Status403Forbidden,
        "insufficient_user_authentication",
        InsufficientUserAuthenticationDetail,
        "https://www.rfc-editor.org/rfc/rfc9470#section-3");

    public const string MfaRequiredDetail = "The password is correct; this account also needs a one-time code. Send it with the mfa_token.";

    /// <summary>
    /// The password grant of an account with two-factor sign-in on and no code (Auth0's <c>mfa_required</c>): the
    /// <paramref name="mfaToken"/> completes it with the <c>mfa-otp</c> or <c>mfa-recovery-code</c> grant.
    /// </summary>
    public static ProblemDetails MfaRequired(string mfaToken)
    {
        var problem = OAuth(StatusCodes.Status403Forbidden, "mfa_required", MfaRequiredDetail);
        problem.Extensions["mfa_token"] = mfaToken;
        return problem;
    }

    public const string MfaNotConfiguredDetail =
        "Two-factor sign-in is not configured on this service: set MFA_ENCRYPTION_KEY (or SECRET_KEY), which encrypts the authenticator secrets.";

    /// <summary>No key to encrypt authenticator secrets with (an RS256/ES256 service without MFA_ENCRYPTION_KEY).</summary>
    public static ProblemDetails MfaNotConfigured() =>
        Problem(StatusCodes.Status503ServiceUnavailable, MfaNotConfiguredDetail, "https://tools.ietf.org/html/rfc9110#section-15.6.4");

    /// <summary>The token is valid, but its account was deleted after it was issued.</summary>
    public static ProblemDetails AccountGone() =>
        Problem(StatusCodes.Status404NotFound, AccountGoneDetail, "https://tools.ietf.org/html/rfc9110#section-15.5.5");

    /// <summary>The token is valid, but its account may not do this (it lacks the role the endpoint needs).</summary>
    public static ProblemDetails Forbidden(string detail) =>
        Problem(StatusCodes.Status403Forbidden, detail, "https://tools.ietf.org/html/rfc9110#section-15.5.4");

    /// <summary>The resource the path names does not exist.</summary>
    public static ProblemDetails NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, detail, "https://tools.ietf.org/html/rfc9110#section-15.5.5");

    public static ProblemDetails Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, detail, "https://tools.ietf.org/html/rfc9110#section-15.5.10");

    public const string InvalidRequestDetail = "The request has invalid fields; 'errors' says what is wrong with each.";

    /// <summary>Every invalid field at once, by field name.</summary>
    public static ProblemDetails InvalidFields(IDictionary<string, string[]> errors, string detail) =>
        new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Detail = detail,
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        };

    /// <summary>A body whose declared length is over the endpoint's limit, refused before it is read.</summary>
    public static ProblemDetails BodyTooLarge(long length, long limit) =>
        BodyTooLarge($"The request body is {length} bytes; this endpoint accepts at most {limit}.");

    /// <summary>A body that grew past the limit while it was being read (no declared length).</summary>
    public static ProblemDetails BodyTooLarge() => BodyTooLarge("The request body is too large.");

    /// <summary>A body in a charset other than UTF-8, refused before it is decoded.</summary>
    public static ProblemDetails UnsupportedCharset(string charset) => Problem(
        StatusCodes.Status415UnsupportedMediaType,
        $"The request body's charset '{charset}' is not supported; send UTF-8.",
        "https://tools.ietf.org/html/rfc9110#section-15.5.16");

    /// <summary>A body that cannot be read; the status is the server's (400, or 408 for a body that stalls).</summary>
    public static ProblemDetails Unreadable(int status, string detail) => Problem(status, detail, type: null);

    public const string MailNotConfiguredDetail = "Mail is not configured on this service (SMTP_URL is unset), so it cannot send this mail.";

    /// <summary>An endpoint that would send mail, on a service without SMTP_URL outside Development.</summary>
    public static ProblemDetails MailNotConfigured() =>
        Problem(StatusCodes.Status503ServiceUnavailable, MailNotConfiguredDetail, "https://tools.ietf.org/html/rfc9110#section-15.6.4");

    public const string InvalidAccountTokenDetail = "The token is unknown, already used, replaced by a newer one or expired.";

    /// <summary>A mailed token (reset, confirmation) that does not work; the answer does not say why.</summary>
    public static ProblemDetails InvalidAccountToken() => OAuth(
        StatusCodes.Status400BadRequest, "invalid_token", InvalidAccountTokenDetail, "https://tools.ietf.org/html/rfc9110#section-15.5.1");

    public const string EmailNotConfirmedDetail = "The password is correct, but the account's email address is not confirmed yet.";

    /// <summary>A correct password on an unconfirmed account, when confirmation is required; never for a wrong password.</summary>
    public static ProblemDetails EmailNotConfirmed() => OAuth(
        StatusCodes.Status403Forbidden, "email_not_confirmed", EmailNotConfirmedDetail, "https://tools.ietf.org/html/rfc9110#section-15.5.4");

    /// <summary>A rate limit was hit; Retry-After says when to come back.</summary>
    public static ProblemDetails TooManyRequests() => Problem(
        StatusCodes.Status429TooManyRequests,
        "Too many requests; retry after the number of seconds in Retry-After.",
        "https://www.rfc-editor.org/rfc/rfc6585#section-4");

    /// <summary>How long a client turned away by <see cref="Busy"/> should wait: about four bcrypt verifications.</summary>
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>The service is saturated with password checks and sheds load instead of queueing forever.</summary>
    public static ProblemDetails Busy() => Problem(
        StatusCodes.Status503ServiceUnavailable,
        "Too many sign-ins are in progress; retry after the number of seconds in Retry-After.",
        "https://tools.ietf.org/html/rfc9110#section-15.6.4");

    /// <summary>How long a client turned away by <see cref="DatabaseUnavailable"/> should wait: long enough for a restart or fail-over.</summary>
    public static readonly TimeSpan DatabaseRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>The database does not answer (down, restarting, out of connections, timing out); nothing was changed.</summary>
    public static ProblemDetails DatabaseUnavailable() => Problem(
        StatusCodes.Status503ServiceUnavailable,
        "The service cannot reach its database; nothing was changed. Retry after the number of seconds in Retry-After.",
        "https://tools.ietf.org/html/rfc9110#section-15.6.4");

    // A null type is filled in from the status by the framework's defaults.
    private static ProblemDetails Problem(int status, string detail, string? type) => new()
    {
        Status = status,
        Title = ReasonPhrases.GetReasonPhrase(status),
        Detail = detail,
        Type = type,
    };

    private static ProblemDetails BodyTooLarge(string detail) =>
        Problem(StatusCodes.Status413PayloadTooLarge, detail, "https://tools.ietf.org/html/rfc9110#section-15.5.14");

    private static ProblemDetails OAuth(int status, string error, string detail, string type)
    {
        var problem = Problem(status, detail, type);
        problem.Extensions["error"] = error;
        problem.Extensions["error_description"] = detail;
        return problem;
    }
}
