using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.RateLimiting;
using UserServices.Api.Hosting;
using UserServices.Api.Passwords;

namespace UserServices.Api.Docs;

/// <summary>
/// Declares the errors an action can answer because of what it already says about itself, so no action lists them
/// by hand and none can be forgotten: <c>[Authorize]</c> → 401, an authorization policy → 403, a body limit → 413, <c>[Consumes]</c> → 415, a
/// rate-limit policy → 429, bcrypt work → 503. An action's own declaration of the same status wins.
/// </summary>
internal sealed class SharedErrorResponses : IApplicationModelConvention
{
    private const string MachineToken = "it is a client's own token (client credentials), which names no account (`error: insufficient_scope`).";

    public void Apply(ApplicationModel application)
    {
        foreach (var action in application.Controllers.SelectMany(controller => controller.Actions))
        {
            var attributes = action.Controller.Attributes.Concat(action.Attributes).ToList();
            var declared = attributes.OfType<ProducesResponseTypeAttribute>().Select(a => a.StatusCode).ToHashSet();
            void Add(int status, string description, string? oauthError = null, string? exampleDetail = null)
            {
                if (declared.Add(status))
                {
                    action.Filters.Add(new ErrorResponseAttribute(status, description) { OAuthError = oauthError, ExampleDetail = exampleDetail });
                }
            }

            if (attributes.OfType<IAuthorizeData>().Any() && !attributes.OfType<IAllowAnonymous>().Any())
            {
                Add(StatusCodes.Status401Unauthorized, "The bearer token is missing, malformed, expired or no longer valid (`error: invalid_token`).");
            }

            // Every policy refuses a client's own token; a named one asks more (the admin role, checked on every request).
            if (attributes.OfType<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy)) && !attributes.OfType<IAllowAnonymous>().Any())
            {
                Add(StatusCodes.Status403Forbidden, "The token is valid, but its account does not hold the role this endpoint needs (checked against the database on every request), " +
                    "or the role requires a two-factor sign-in (`Mfa:RequiredForRoles`) and the token's `amr` has no `mfa` (`error: insufficient_user_authentication`, " +
                    "`WWW-Authenticate: Bearer error=\"insufficient_user_authentication\"`, RFC 9470), or " + MachineToken);
            }
            else if (attributes.OfType<IAuthorizeData>().Any() && !attributes.OfType<IAllowAnonymous>().Any())
            {
                Add(StatusCodes.Status403Forbidden, "The token is valid, but " + MachineToken, "insufficient_scope", ProblemResponses.MachineTokenDetail);
            }

            if (attributes.OfType<RequestBodyLimitAttribute>().FirstOrDefault() is { } limit)
            {
                Add(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {limit.Bytes} bytes.");
            }

            if (attributes.OfType<ConsumesAttribute>().FirstOrDefault() is { } consumes)
            {
                Add(StatusCodes.Status415UnsupportedMediaType, $"The body is not `{string.Join("` or `", consumes.ContentTypes)}`, or its charset is not UTF-8.");
            }

            if (attributes.OfType<EnableRateLimitingAttribute>().Any() && !attributes.OfType<DisableRateLimitingAttribute>().Any())
            {
                Add(StatusCodes.Status429TooManyRequests, "Too many requests from this client (or, for sign-in, for this username): the endpoint's rate limit was hit. Retry after the seconds in `Retry-After`.");
            }

            if (attributes.OfType<RunsBcryptAttribute>().Any())
            {
                Add(StatusCodes.Status503ServiceUnavailable, "Too many password checks are queued already; retry after the seconds in `Retry-After`.");
            }
        }
    }
}
