using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using UserServices.Api.Hosting;
using UserServices.Api.Monitoring;
using UserServices.Api.Passwords;
using UserServices.Api.RateLimits;

namespace UserServices.Api.Users;

[ApiController]
[Route("user")]
[Tags("User")]
// UserRegistration (and the UserManager behind it) is injected into Register alone: the profile call, the busiest
// endpoint, would otherwise build Identity's whole user manager on every request only to leave it unused.
public sealed class UsersController(CurrentAccount current, ServiceMetrics metrics) : ControllerBase
{
    public const string InvalidDetail = "The registration has invalid fields; see 'errors'.";

    /// <summary>Create an account.</summary>
    /// <remarks>A taken username or email answers 409 — registration can reveal that an account exists; the rate limit bounds how fast.</remarks>
    [HttpPost("register")]
    [RunsBcrypt]
    [EnableRateLimiting(AuthRateLimiting.RegisterPolicy)]
    [RequestBodyLimit(RequestBodyLimitAttribute.AuthRequest)]
    [Consumes("application/json")]
    [ProducesResponseType<UserProfile>(StatusCodes.Status201Created, "application/json")]
    [ErrorResponse(StatusCodes.Status400BadRequest, "Invalid fields: every problem, by field, in `errors`.",
        typeof(ValidationProblemDetails), ExampleDetail = InvalidDetail, ExampleField = "username", ExampleFieldError = UserRegistration.UserNameRequired)]
    [ErrorResponse(StatusCodes.Status409Conflict, "The username or the email is already registered (compared case-insensitively).",
        ExampleDetail = UserRegistration.TakenDetail)]
    public async Task<IActionResult> Register(RegisterRequest request, [FromServices] UserRegistration registration, CancellationToken cancellationToken)
    {
        var outcome = await registration.RegisterAsync(request, cancellationToken);
        metrics.RecordRegistration(outcome switch
        {
            RegistrationOutcome.Created => RegistrationResult.Created,
            RegistrationOutcome.Taken => RegistrationResult.Taken,
            RegistrationOutcome.Busy => RegistrationResult.Busy,
            _ => RegistrationResult.Invalid,
        });
        return outcome switch
        {
            RegistrationOutcome.Created(var user) =>
                Created("/user/user", new UserProfile(user.UserName!, user.Email!, user.Id)),
            RegistrationOutcome.Invalid(var errors) => ProblemResponses.InvalidFields(errors, InvalidDetail).ToResult(),
            RegistrationOutcome.Taken(var detail) => ProblemResponses.Conflict(detail).ToResult(),
            RegistrationOutcome.Busy => ProblemResponses.Busy().ToResult(ProblemResponses.BusyRetryAfter),
            _ => throw new InvalidOperationException($"Unhandled registration outcome {outcome}."),
        };
    }

    /// <summary>The bearer's own profile.</summary>
    [HttpGet("user")]
    [Authorize]
    [ProducesResponseType<UserProfile>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status404NotFound, "The token is valid but its account has been deleted since it was issued.")]
    public IActionResult Profile() => current.Account is { } account
        ? Ok(new UserProfile(account.UserName, account.Email, account.Id))
        : ProblemResponses.AccountGone().ToResult();
}
