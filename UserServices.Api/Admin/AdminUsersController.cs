using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Hosting;
using UserServices.Api.Mfa;
using UserServices.Api.Passwords;

namespace UserServices.Api.Admin;

/// <summary>Accounts, as an operator manages them. Every action needs the admin role, checked in the database.</summary>
[ApiController]
[Route("admin/users")]
[Tags("Admin")]
[Authorize(Policy = CurrentAdminRequirement.Policy)]
public sealed class AdminUsersController(
    UserDirectory directory, UserUpdate update, AdminPasswords passwords, UserAdministration administration, MfaReset mfa) : ControllerBase
{
    public const string NotFoundDetail = "There is no account with this id.";
    public const string InvalidDetail = "The change has invalid fields; see 'errors'.";
    public const string UntilInPast = "until must be in the future; send null to lock indefinitely.";

    /// <summary>Find accounts.</summary>
    /// <remarks>
    /// <c>search</c> matches the start of the username or the email, case-insensitively. Ordered by id and paged by
    /// keyset: pass <c>next_cursor</c> as <c>cursor</c> for the next page (null at the end); accounts created meanwhile
    /// never make a page repeat or skip one.
    /// </remarks>
    [HttpGet]
    [ProducesResponseType<AdminUserPage>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest, "`limit` is not 1–200, or `cursor` is not one the service handed out; named in `errors`.",
        typeof(ValidationProblemDetails), ExampleDetail = PagingQuery.InvalidDetail, ExampleField = "cursor", ExampleFieldError = PagingQuery.BadCursor)]
    public async Task<IActionResult> List(
        [FromQuery] string? search, [FromQuery] string? limit, [FromQuery] string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        PagingQuery.ReadLimit(limit, errors, out var size);
        PagingQuery.ReadCursor(cursor, errors, out var after);
        if (search is { Length: > 256 })
        {
            errors["search"] = ["search must be at most 256 characters."];
        }

        return errors.Count > 0
            ? ProblemResponses.InvalidFields(errors, PagingQuery.InvalidDetail).ToResult()
            : Ok(await directory.ListAsync(search, size, after, cancellationToken));
    }

    /// <summary>One account, with its live sign-in sessions.</summary>
    [HttpGet("{id:int}")]
    [ProducesResponseType<AdminUser>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id.", ExampleDetail = NotFoundDetail)]
    public async Task<IActionResult> Get(int id, CancellationToken cancellationToken) =>
        await directory.FindAsync(id, cancellationToken) is { } user ? Ok(user) : Missing();

    /// <summary>Change the username, email or roles.</summary>
    /// <remarks>
    /// A JSON merge: fields left out stay as they are; <c>roles</c> is the whole new set, from the existing roles.
    /// Same checks as registration. Any change ends the account's outstanding tokens. The last admin who is not
    /// locked cannot lose the <c>admin</c> role.
    /// </remarks>
    [HttpPatch("{id:int}")]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json", "application/merge-patch+json")]
    [ProducesResponseType<AdminUser>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest, "Invalid fields: every problem, by field, in `errors`.",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "email", ExampleFieldError = UserUpdate.EmailRequired)]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id.", ExampleDetail = NotFoundDetail)]
    [ErrorResponse(StatusCodes.Status409Conflict, "The username or email is taken, or this would take the `admin` role from the last admin.",
        ExampleDetail = UserUpdate.TakenDetail)]
    public async Task<IActionResult> Update(int id, UpdateUserRequest request, CancellationToken cancellationToken) =>
        Answer(await update.UpdateAsync(id, request, cancellationToken), InvalidDetail);

    /// <summary>Lock an account.</summary>
    /// <remarks>Until <c>until</c>, or indefinitely when it is null. Every access and refresh token of the account stops working at its next use.</remarks>
    [HttpPost("{id:int}/lock")]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status400BadRequest, "`until` is in the past, or `reason` is too long; named in `errors`.",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "until", ExampleFieldError = UntilInPast)]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id.", ExampleDetail = NotFoundDetail)]
    [ErrorResponse(StatusCodes.Status409Conflict, "The account is the caller's own, or the last admin who is not locked.",
        ExampleDetail = UserAdministration.SelfDetail)]
    public async Task<IActionResult> Lock(int id, LockRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Until is { } until && until <= time.GetUtcNow())
        {
            errors["until"] = [UntilInPast];
        }

        if (request.Reason is { Length: > LockRequest.MaxReasonLength })
        {
            errors["reason"] = [$"reason must be at most {LockRequest.MaxReasonLength} characters."];
        }

        return errors.Count > 0
            ? ProblemResponses.InvalidFields(errors, InvalidDetail).ToResult()
            : Answer(await administration.LockAsync(CallerId(), id, request.Until, request.Reason, cancellationToken), InvalidDetail);
    }

    /// <summary>Unlock an account and reset its failed-login count.</summary>
    [HttpPost("{id:int}/unlock")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id.", ExampleDetail = NotFoundDetail)]
    public async Task<IActionResult> Unlock(int id, CancellationToken cancellationToken) =>
        Answer(await administration.UnlockAsync(id, cancellationToken), InvalidDetail);

    /// <summary>End every session of an account without locking it.</summary>
    /// <remarks>Its refresh tokens are revoked and its access tokens stop working at their next use.</remarks>
    [HttpPost("{id:int}/logout")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id.", ExampleDetail = NotFoundDetail)]
    public async Task<IActionResult> Logout(int id, CancellationToken cancellationToken) =>
        Answer(await administration.EndSessionsAsync(id, cancellationToken), InvalidDetail);

    /// <summary>Turn an account's two-factor sign-in off.</summary>
    /// <remarks>For a person who lost both their authenticator and their recovery codes: the secret and the codes are deleted, and every session ends.</remarks>
    [HttpDelete("{id:int}/mfa")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id.", ExampleDetail = NotFoundDetail)]
    public async Task<IActionResult> ResetMfa(int id, CancellationToken cancellationToken) =>
        await mfa.ResetAsync(id, cancellationToken) ? NoContent() : Missing();

    /// <summary>Set an account's password.</summary>
    /// <remarks>The password policy applies. Every session of the account ends.</remarks>
    [HttpPut("{id:int}/password")]
    [RunsBcrypt]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status400BadRequest, "`new_password` is missing or breaks the policy; every problem in `errors`.",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "new_password", ExampleFieldError = AdminPasswords.RequiredProblem)]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id.", ExampleDetail = NotFoundDetail)]
    public async Task<IActionResult> SetPassword(int id, SetPasswordRequest request, CancellationToken cancellationToken) =>
        Answer(await passwords.SetAsync(id, request.NewPassword, cancellationToken), InvalidDetail);

    /// <summary>Delete an account.</summary>
    /// <remarks>Its refresh tokens are deleted with it; its access tokens find no account (profile 404). Its audit events stay.</remarks>
    [HttpDelete("{id:int}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ErrorResponse(StatusCodes.Status404NotFound, "There is no account with this id.", ExampleDetail = NotFoundDetail)]
    [ErrorResponse(StatusCodes.Status409Conflict, "The account is the caller's own, or the last admin who is not locked.",
        ExampleDetail = UserAdministration.SelfDetail)]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken) =>
        Answer(await administration.DeleteAsync(CallerId(), id, cancellationToken), InvalidDetail);

    // The admin policy let the request in, so the token has a numeric subject.
    private int CallerId() => User.UserId()!.Value;

    private static IActionResult Missing() => ProblemResponses.NotFound(NotFoundDetail).ToResult();

    private IActionResult Answer(AdminOutcome outcome, string invalidDetail) => outcome switch
    {
        AdminOutcome.Done(null) => NoContent(),
        AdminOutcome.Done(var user) => Ok(user),
        AdminOutcome.NotFound => Missing(),
        AdminOutcome.Invalid(var errors) => ProblemResponses.InvalidFields(errors, invalidDetail).ToResult(),
        AdminOutcome.Conflict(var detail) => ProblemResponses.Conflict(detail).ToResult(),
        AdminOutcome.Busy => ProblemResponses.Busy().ToResult(ProblemResponses.BusyRetryAfter),
        _ => throw new InvalidOperationException($"Unhandled outcome {outcome}."),
    };
}
