using Microsoft.AspNetCore.Authorization;

namespace UserServices.Api.Mfa;

/// <summary>
/// <c>Mfa:RequiredForRoles</c>: an account holding one of those roles uses the endpoints the role opens only with a
/// token whose sign-in showed a second factor (<c>mfa</c> in <c>amr</c>). Refused: 403 with RFC 9470's
/// <c>insufficient_user_authentication</c>, so a client knows to sign in again with a code.
/// </summary>
public sealed class MfaPolicyRequirement : IAuthorizationRequirement
{
    public static readonly MfaPolicyRequirement Instance = new();
}
