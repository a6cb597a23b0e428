using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace UserServices.Api.Mfa;

/// <summary>
/// Reads the token's roles and <c>amr</c>: a role change rotates the security stamp, so a token's roles are the
/// account's as long as the bearer check lets the token through.
/// </summary>
public sealed class MfaPolicyHandler(IOptions<MfaOptions> options) : AuthorizationHandler<MfaPolicyRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MfaPolicyRequirement requirement)
    {
        var needsMfa = options.Value.RequiredForRoles.Any(context.User.IsInRole);
        if (!needsMfa || context.User.HasClaim(AuthMethods.Claim, AuthMethods.MultipleFactors))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
