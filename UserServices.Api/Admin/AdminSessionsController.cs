using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Hosting;
using UserServices.Api.Sessions;

namespace UserServices.Api.Admin;

/// <summary>An account's sessions, as an operator sees and ends them. Ending them all is <c>POST /admin/users/{id}/logout</c>.</summary>
[ApiController]
[Route("admin/users/{id:int}/sessions")]
[Tags("Admin")]
[Authorize(Policy = CurrentAdminRequirement.Policy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class AdminSessionsController(AdminSessions sessions) : ControllerBase
{
    public const string SessionNotFoundDetail = "This account has no live session with this id.";

    /// <summary>List an account's live sessions, most recently used first.</summary>
    [HttpGet]
    [ProducesResponseType<SessionList>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id.", ExampleDetail = AdminUsersController.NotFoundDetail)]
    public async Task<IActionResult> List(int id, CancellationToken cancellationToken) =>
        await sessions.ListAsync(id, cancellationToken) is { } list
            ? Ok(list)
            : ProblemResponses.NotFound(AdminUsersController.NotFoundDetail).ToResult();

    /// <summary>End one session of an account.</summary>
    /// <remarks>Its refresh token and its access tokens stop working at once, on every replica; the account's other sessions go on.</remarks>
    [HttpDelete("{sid}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id, or no live session of it with this id.",
        ExampleDetail = SessionNotFoundDetail)]
    public async Task<IActionResult> End(int id, string sid, CancellationToken cancellationToken) =>
        await sessions.EndAsync(id, sid, cancellationToken)
            ? NoContent()
            : ProblemResponses.NotFound(SessionNotFoundDetail).ToResult();
}
