using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Hosting;
using UserServices.Data.Audit;

namespace UserServices.Api.Admin;

[ApiController]
[Route("admin/audit")]
[Tags("Admin")]
[Authorize(Policy = CurrentAdminRequirement.Policy)]
public sealed class AdminAuditController(AuditSearch audit) : ControllerBase
{
    /// <summary>Read the audit log.</summary>
    /// <remarks>
    /// Newest first, paged by keyset: pass <c>next_cursor</c> as <c>cursor</c> for older events. Filters:
    /// <c>user_id</c>, <c>action</c> (e.g. <c>login.failed</c>), <c>since</c> (inclusive) and <c>until</c> (exclusive), ISO 8601.
    /// </remarks>
    [HttpGet]
    [ProducesResponseType<AuditPage>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest, "A parameter is malformed (`user_id`, `since`, `until`, `limit`, `cursor`); named in `errors`.",
        typeof(ValidationProblemDetails), ExampleDetail = PagingQuery.InvalidDetail, ExampleField = "cursor", ExampleFieldError = PagingQuery.BadCursor)]
    public async Task<IActionResult> List(
        [FromQuery(Name = "user_id")] string? userId,
        [FromQuery] string? action,
        [FromQuery] string? since,
        [FromQuery] string? until,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        int? user = null;
        if (userId is not null)
        {
            if (int.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                user = id;
            }
            else
            {
                errors["user_id"] = ["user_id must be an account id."];
            }
        }

        if (action is { Length: > AuditEvent.MaxActionLength })
        {
            errors["action"] = [$"action must be at most {AuditEvent.MaxActionLength} characters."];
        }

        var from = PagingQuery.ReadTime("since", since, errors);
        var to = PagingQuery.ReadTime("until", until, errors);
        PagingQuery.ReadLimit(limit, errors, out var size);
        PagingQuery.ReadCursor(cursor, errors, out var before);
        return errors.Count > 0
            ? ProblemResponses.InvalidFields(errors, PagingQuery.InvalidDetail).ToResult()
            : Ok(await audit.FindAsync(user, action, from, to, size, before, cancellationToken));
    }
}
