using Microsoft.AspNetCore.Mvc;

namespace UserServices.Api.Hosting;

/// <summary>
/// Declares an error an action can answer, as a ProblemDetails body with a description of when it happens. The
/// errors many actions share (401, 413, 415, 429, 503) are declared by convention from what the action already
/// says about itself (see Docs/SharedErrorResponses.cs); an action declares only its own.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class ErrorResponseAttribute : ProducesResponseTypeAttribute
{
    public ErrorResponseAttribute(int statusCode, string description, Type? body = null)
        : base(body ?? typeof(ProblemDetails), statusCode, ProblemResponses.MediaType)
    {
        Description = description;
    }

    /// <summary>The OAuth2 <c>error</c> code the body carries, for errors of the token and revocation endpoints.</summary>
    public string? OAuthError { get; init; }

    /// <summary>The body's <c>detail</c> in the documented example: the endpoint's own text, which a test compares with the real answer.</summary>
    public string? ExampleDetail { get; init; }

    /// <summary>For a refusal by field, the field the documented example names in <c>errors</c>.</summary>
    public string? ExampleField { get; init; }

    /// <summary>What the documented example says is wrong with <see cref="ExampleField"/>, in the endpoint's own words.</summary>
    public string? ExampleFieldError { get; init; }
}
