using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Audit;
using UserServices.Api.Hosting;
using UserServices.Api.Passwords;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Users;

[ApiController]
[Route("user")]
[Tags("User")]
public sealed class AccountClosureController(
    UserManager<User> users, UserServicesDbContext db, CurrentAccount current, PasswordConfirmation confirmation, AuditLog audit, TimeProvider time)
    : ControllerBase
{
    public const string LastAdminDetail = "This is the last admin account that can sign in; make another account an admin first.";

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
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail)]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    [ErrorResponse(StatusCodes.Status409Conflict, "The account is the last admin that can sign in; make another account an admin first.",
        ExampleDetail = LastAdminDetail)]
    public async Task<IActionResult> Close([FromBody] CloseAccountRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Password))
        {
            return ProblemResponses.InvalidFields(new Dictionary<string, string[]> { ["password"] = ["The 'password' field is required."] }, InvalidDetail).ToResult();
        }

        var user = current.Account is { } account ? await users.FindByIdAsync(account.Id.ToString(CultureInfo.InvariantCulture)) : null;
        if (user is null)
        {
            return ProblemResponses.AccountGone().ToResult();
        }

        switch (await confirmation.CheckAsync(user, request.Password, "closing the account", cancellationToken))
        {
            case PasswordVerdict.Busy:
                return ProblemResponses.Busy().ToResult(ProblemResponses.BusyRetryAfter);
            case PasswordVerdict.DoesNotMatch:
                return ProblemResponses.InvalidFields(new Dictionary<string, string[]> { ["password"] = ["The password is incorrect."] }, InvalidDetail).ToResult();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The last admin who can sign in may not leave: the service would have nobody to administer it. Under the
        // admin role's lock, as the admin API's removals, so two admins closing their accounts at once run in turn.
        if (await AdminRoles.HoldsAdminAsync(db, user.Id, cancellationToken))
        {
            await AdminRoles.SerializeAsync(db, cancellationToken);
            if (!await AdminRoles.AnotherActiveAdminAsync(db, user.Id, time.GetUtcNow(), cancellationToken))
            {
                return ProblemResponses.Conflict(LastAdminDetail).ToResult();
            }
        }

        // The actor is the user: an admin's deletion records the admin instead. Saved by the delete's own save.
        audit.Record(AuditActions.UserDeleted, user, $"closed by the user; email was {user.Email}");
        // Refresh tokens, roles and mailed tokens go with the row (cascading deletes), in the same transaction.
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            throw new InvalidOperationException($"The account could not be deleted: {string.Join(", ", deleted.Errors.Select(e => e.Code))}.");
        }

        await transaction.CommitAsync(cancellationToken);
        return NoContent();
    }
}
