using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Auth;
using UserServices.Api.Errors;
using UserServices.Api.Security;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

public sealed record ChangePasswordRequest(
    [property: JsonPropertyName("current_password")] string? CurrentPassword,
    [property: JsonPropertyName("new_password")] string? NewPassword);

[ApiController]
[Route("user")]
[Tags("User")]
public sealed class PasswordController(
    UserManager<User> users, CurrentAccount current, RefreshTokenStore refreshTokens, PasswordCheckGate gate) : ControllerBase
{
    /// <summary>Change the bearer's password.</summary>
    /// <remarks>Same policy as registration. Ends every access and refresh token of the account, this one included.</remarks>
    [HttpPut("password")]
    [Authorize]
    [RequestBodyLimit(16 * 1024)]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> ChangePassword(ChangePasswordRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.CurrentPassword) || string.IsNullOrEmpty(request.NewPassword))
        {
            if (string.IsNullOrEmpty(request.CurrentPassword))
            {
                ModelState.AddModelError("current_password", "The current password is required.");
            }

            if (string.IsNullOrEmpty(request.NewPassword))
            {
                ModelState.AddModelError("new_password", "The new password is required.");
            }

            return ValidationProblem();
        }

        var user = current.Account is { } account ? await users.FindByIdAsync(account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
        if (user is null)
        {
            return Problem("The account this token was issued for no longer exists.", statusCode: StatusCodes.Status404NotFound, title: "Not Found");
        }

        IdentityResult result;
        using (var slot = await gate.EnterAsync(cancellationToken))
        {
            if (!slot.IsAcquired)
            {
                return this.Busy();
            }

            // Verifies the current password, validates the new one, re-hashes and rotates the security stamp in one save.
            result = request.CurrentPassword.Length > TokenController.MaxPasswordLength
                ? IdentityResult.Failed(new IdentityErrorDescriber().PasswordMismatch())
                : await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        }

        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? "current_password" : "new_password",
                    error.Code == "PasswordMismatch" ? "The current password is incorrect." : error.Description);
            }

            if (result.Errors.Any(e => e.Code == "PasswordMismatch"))
            {
                // A wrong current password counts towards lockout, so this endpoint cannot be used to guess it.
                await users.AccessFailedAsync(user);
            }

            return ValidationProblem();
        }

        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);
        return NoContent();
    }
}
