using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Audit;
using UserServices.Api.Hosting;
using UserServices.Api.Passwords;
using UserServices.Api.Sessions;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

[ApiController]
[Route("user")]
[Tags("User")]
public sealed class PasswordController(
    UserManager<User> users, FailedLoginCounter failures, CurrentAccount current, RefreshTokenStore refreshTokens, PasswordWork passwords,
    AuditLog audit) : ControllerBase
{
    public const string InvalidDetail = "The password change has invalid fields; see 'errors'.";

    /// <summary>Change the bearer's password.</summary>
    /// <remarks>Same policy as registration. Ends every access and refresh token of the account, this one included.</remarks>
    [HttpPut("password")]
    [Authorize]
    [RunsBcrypt]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status400BadRequest,
        "A field is missing, the current password is wrong (it counts towards lockout), or the new password breaks the policy; every problem, by field, in `errors`.",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    public async Task<IActionResult> ChangePassword(ChangePasswordRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.CurrentPassword) || string.IsNullOrEmpty(request.NewPassword))
        {
            var missing = new Dictionary<string, string[]>();
            if (string.IsNullOrEmpty(request.CurrentPassword))
            {
                missing["current_password"] = ["The current password is required."];
            }

            if (string.IsNullOrEmpty(request.NewPassword))
            {
                missing["new_password"] = ["The new password is required."];
            }

            return ProblemResponses.InvalidFields(missing, InvalidDetail).ToResult();
        }

        var user = current.Account is { } account ? await users.FindByIdAsync(account.Id.ToString(CultureInfo.InvariantCulture)) : null;
        if (user is null)
        {
            return ProblemResponses.AccountGone().ToResult();
        }

        IdentityResult result;
        if (request.CurrentPassword.Length > PasswordLimits.MaxFieldLength)
        {
            result = IdentityResult.Failed(new IdentityErrorDescriber().PasswordMismatch());
        }
        else
        {
            // The bcrypt of both passwords on the password threads; the new hash only once the current one is right.
            var verdict = await passwords.VerifyAsync(user, request.CurrentPassword, cancellationToken, upgrade: false);
            // A new password the policy refuses is never hashed: Identity refuses it before it would ask for the hash.
            if (verdict == PasswordVerdict.Busy
                || (verdict == PasswordVerdict.Matches && await PassesPolicyAsync(user, request.NewPassword)
                    && !await passwords.TryHashAsync(user, request.NewPassword, cancellationToken)))
            {
                return ProblemResponses.Busy().ToResult(ProblemResponses.BusyRetryAfter);
            }

            // Verifies the current password, validates the new one, re-hashes and rotates the security stamp in one save,
            // which writes the event too.
            audit.Record(AuditActions.PasswordChanged, user);
            result = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        }

        if (!result.Succeeded)
        {
            // No change, no event: it must not ride along with the failed-attempt count saved next.
            audit.Discard();
            if (result.Errors.Any(e => e.Code == "PasswordMismatch"))
            {
                // A wrong current password counts towards lockout, so this endpoint cannot be used to guess it.
                var locked = await failures.CountAsync(user, cancellationToken);
                await audit.WriteNowAsync(AuditActions.PasswordCheckFailed, user, "wrong password for changing the password");
                if (locked)
                {
                    await audit.WriteNowAsync(AuditActions.AccountLocked, user, $"by the lockout policy until {user.LockoutEnd:O}");
                }
            }

            var errors = result.Errors
                .GroupBy(e => e.Code == "PasswordMismatch" ? "current_password" : "new_password")
                .ToDictionary(
                    g => g.Key,
                    g => g.Select(e => e.Code == "PasswordMismatch" ? "The current password is incorrect." : e.Description).ToArray());
            return ProblemResponses.InvalidFields(errors, InvalidDetail).ToResult();
        }

        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
        return NoContent();
    }

    private async Task<bool> PassesPolicyAsync(User user, string password)
    {
        foreach (var validator in users.PasswordValidators)
        {
            if (!(await validator.ValidateAsync(users, user, password)).Succeeded)
            {
                return false;
            }
        }

        return true;
    }
}
