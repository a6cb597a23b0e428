using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Hosting;
using UserServices.Api.Passkeys;

namespace UserServices.Api.Admin;

/// <summary>An account's passkeys, as an operator sees and removes them (a lost device, a departing person).</summary>
[ApiController]
[Route("admin/users/{id:int}/passkeys")]
[Tags("Admin")]
[Authorize(Policy = CurrentAdminRequirement.Policy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class AdminPasskeysController(AccountPasskeys passkeys) : ControllerBase
{
    public const string PasskeyNotFoundDetail = "This account has no passkey with this id.";

    /// <summary>List an account's passkeys, oldest first.</summary>
    [HttpGet]
    [ProducesResponseType<PasskeyList>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id.", ExampleDetail = AdminUsersController.NotFoundDetail)]
    public async Task<IActionResult> List(int id, CancellationToken cancellationToken) =>
        await passkeys.ListAsync(id, cancellationToken) is { } list
            ? Ok(list)
            : ProblemResponses.NotFound(AdminUsersController.NotFoundDetail).ToResult();

    /// <summary>Remove one passkey of an account; it can sign in no more.</summary>
    [HttpDelete("{passkeyId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id, or it has no passkey with this id.", ExampleDetail = PasskeyNotFoundDetail)]
    public async Task<IActionResult> Remove(int id, string passkeyId, CancellationToken cancellationToken) =>
        await passkeys.RemoveAsync(id, passkeyId, cancellationToken)
            ? NoContent()
            : ProblemResponses.NotFound(PasskeyNotFoundDetail).ToResult();
}
