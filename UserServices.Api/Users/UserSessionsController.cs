using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Hosting;
using UserServices.Api.Sessions;

namespace UserServices.Api.Users;

/// <summary>
/// The caller's own sessions (sign-ins): where they are signed in, and ending one or all the others. Here rather than in
/// Sessions because it answers from the caller's account as the bearer check read it (<see cref="CurrentAccount"/>).
/// </summary>
[ApiController]
[Route("user/sessions")]
[Tags("Sessions")]
[Authorize]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class UserSessionsController(SessionStore sessions, CurrentAccount current) : ControllerBase
{
    public const string NotFoundDetail = "You have no live session with this id.";

    /// <summary>List the caller's live sessions, most recently used first.</summary>
    /// <remarks>
    /// A session is one sign-in, from the password login through every refresh. <c>last_used_at</c>, <c>ip</c> and
    /// <c>user_agent</c> are those of its latest use (the login or the latest refresh); <c>current</c> marks the session
    /// of the presented token.
    /// </remarks>
    [HttpGet]
    [ProducesResponseType<SessionList>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    public async Task<IActionResult> List(CancellationToken cancellationToken) => current.Account is { } account
        ? Ok(await sessions.ListAsync(account.Id, CurrentSession(), cancellationToken))
        : ProblemResponses.AccountGone().ToResult();

    /// <summary>End one of the caller's sessions.</summary>
    /// <remarks>Its refresh token and its access tokens stop working at once, on every replica. The current session may be ended too (as a logout).</remarks>
    [HttpDelete("{id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status404NotFound, "No live session of the caller has this id (also when it is another account's).", ExampleDetail = NotFoundDetail)]
    public async Task<IActionResult> End(string id, CancellationToken cancellationToken) =>
        current.Account is { } account && Guid.TryParseExact(id, "N", out var sessionId)
        && await sessions.EndAuditedAsync(account.Id, account.UserName, sessionId, SessionEndCause.EndedByUser, cancellationToken)
            ? NoContent()
            : ProblemResponses.NotFound(NotFoundDetail).ToResult();

    /// <summary>End every session of the caller except the current one ("sign out everywhere else").</summary>
    [HttpDelete]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    public async Task<IActionResult> EndOthers(CancellationToken cancellationToken)
    {
        if (current.Account is not { } account)
        {
            return ProblemResponses.AccountGone().ToResult();
        }

        await sessions.EndAllAuditedAsync(account.Id, account.UserName, CurrentSession(), SessionEndCause.EndedByUser, cancellationToken);
        return NoContent();
    }

    private Guid? CurrentSession() =>
        Guid.TryParseExact(User.FindFirst(SessionBinding.SessionIdClaim)?.Value, "N", out var id) ? id : null;
}
