using System.Globalization;
using System.Security.Claims;

namespace UserServices.Api.Hosting;

/// <summary>
/// Who a request's principal is, read from its access token's <c>sub</c> claim (RFC 9068 §2.2: the account id). Here,
/// the lowest folder, because every folder reads it (the audit log's actor, the admin check, logout).
/// </summary>
public static class CallerClaims
{
    public const string Subject = "sub";

    /// <summary>The account id in the token's subject, or null when the principal has none (or not a number).</summary>
    public static int? UserId(this ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(Subject), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
