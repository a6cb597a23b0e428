using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Hosting;
using UserServices.Api.Passwords;

namespace UserServices.Api.Users;

[ApiController]
[Route("user")]
[Tags("User")]
public sealed class AccountClosureController(AccountClosure closure) : ControllerBase
{
    public const string LastAdminDetail = AccountClosure.LastAdminDetail;

    public const string InvalidDetail = "The account was not closed; see 'errors'.";

    /// <summary>Close the bearer's own account.</summary>
    /// <remarks>
    /// Deletes the account with its refresh tokens, roles and mailed tokens. Its access tokens stop working at once
    /// (the account they name is gone). A wrong password counts towards lockout.
    /// </remarks>
    [HttpDelete("user")]
    [Authorize]
    [RunsBcrypt]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status400BadRequest, "The password is missing or wrong (a wrong one counts towards lockout).",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "password", ExampleFieldError = PasswordConfirmation.WrongPassword)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    [ErrorResponse(StatusCodes.Status409Conflict, "The account is the last admin that can sign in; make another account an admin first.",
        ExampleDetail = LastAdminDetail)]
    public async Task<IActionResult> Close([FromBody] CloseAccountRequest request, CancellationToken cancellationToken) =>
        (await closure.CloseAsync(request, cancellationToken)).ToResult(InvalidDetail, NoContent);
}
