using Microsoft.AspNetCore.Authorization;

namespace UserServices.Api.Tokens;

/// <summary>
/// Part of every authorization policy: the token is a user's. A client's own token (client credentials) is valid,
/// but names no account, so the endpoints that act on one answer it 403 <c>insufficient_scope</c> (RFC 6750 §3.1).
/// </summary>
public sealed class AccountHolderRequirement : AuthorizationHandler<AccountHolderRequirement>, IAuthorizationRequirement
{
    public static AccountHolderRequirement Instance { get; } = new();

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccountHolderRequirement requirement)
    {
        if (!MachineTokens.Is(context.User))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
