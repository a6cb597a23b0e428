using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Hosting;
using UserServices.Api.Passwords;

namespace UserServices.Api.Users;

[ApiController]
[Route("user")]
[Tags("User")]
public sealed class PasswordController(PasswordChange change) : ControllerBase
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
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "current_password", ExampleFieldError = PasswordChange.WrongPassword)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    public async Task<IActionResult> ChangePassword(ChangePasswordRequest request, CancellationToken cancellationToken) =>
        (await change.ChangeAsync(request, cancellationToken)).ToResult(InvalidDetail, NoContent);
}
