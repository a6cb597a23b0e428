using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using UserServices.Api.Errors;
using UserServices.Api.Security;

namespace UserServices.Api.Users;

[ApiController]
[Route("user")]
[Tags("User")]
public sealed class UsersController(UserRegistration registration, CurrentAccount current, PasswordCheckGate gate) : ControllerBase
{
    /// <summary>Create an account.</summary>
    /// <remarks>A taken username or email answers 409 — registration can reveal that an account exists; the rate limit bounds how fast.</remarks>
    [HttpPost("register")]
    [EnableRateLimiting(AuthRateLimiting.RegisterPolicy)]
    [RequestBodyLimit(16 * 1024)]
    [Consumes("application/json")]
    [ProducesResponseType<UserProfile>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> Register(RegisterRequest request, CancellationToken cancellationToken)
    {
        // Hashing the new password is a bcrypt like a login's, and shares the logins' gate.
        using var slot = await gate.EnterAsync(cancellationToken);
        if (!slot.IsAcquired)
        {
            return this.Busy();
        }

        var outcome = await registration.RegisterAsync(request, cancellationToken);
        return outcome switch
        {
            RegistrationOutcome.Created(var user) =>
                Created("/user/user", new UserProfile(user.UserName!, user.Email!, user.Id)),
            RegistrationOutcome.Invalid(var errors) => InvalidFields(errors),
            RegistrationOutcome.Taken(var detail) =>
                Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
            _ => throw new InvalidOperationException($"Unhandled registration outcome {outcome}."),
        };
    }

    private ActionResult InvalidFields(IDictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(field, message);
            }
        }

        return ValidationProblem("The registration has invalid fields; see 'errors'.");
    }

    /// <summary>The bearer's own profile.</summary>
    [HttpGet("user")]
    [Authorize]
    [ProducesResponseType<UserProfile>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public IActionResult Profile() => current.Account is { } account
        ? Ok(new UserProfile(account.UserName, account.Email, account.Id))
        : Problem("The account this token was issued for no longer exists.", statusCode: StatusCodes.Status404NotFound, title: "Not Found");
}
