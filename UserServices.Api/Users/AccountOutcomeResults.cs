using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Hosting;

namespace UserServices.Api.Users;

public static class AccountOutcomeResults
{
    /// <summary>The answer to <paramref name="outcome"/>: <paramref name="done"/> when it succeeded, else its ProblemDetails.</summary>
    /// <param name="invalidDetail">The endpoint's own <c>detail</c> for a refusal by field.</param>
    public static IActionResult ToResult(this AccountOutcome outcome, string invalidDetail, Func<IActionResult> done) => outcome switch
    {
        AccountOutcome.Done => done(),
        AccountOutcome.Invalid(var errors) => ProblemResponses.InvalidFields(errors, invalidDetail).ToResult(),
        AccountOutcome.Gone => ProblemResponses.AccountGone().ToResult(),
        AccountOutcome.Busy => ProblemResponses.Busy().ToResult(ProblemResponses.BusyRetryAfter),
        AccountOutcome.Conflict(var detail) => ProblemResponses.Conflict(detail).ToResult(),
        AccountOutcome.InvalidToken => ProblemResponses.InvalidAccountToken().ToResult(),
        AccountOutcome.MailOff => ProblemResponses.MailNotConfigured().ToResult(),
        AccountOutcome.Throttled(var retryAfter) => ProblemResponses.TooManyRequests().ToResult(retryAfter),
        _ => throw new InvalidOperationException($"Unhandled account outcome {outcome}."),
    };
}
