using Microsoft.AspNetCore.Mvc;
using UserServices.Api.Hosting;

namespace UserServices.Api.Clients;

/// <summary>The client a request authenticated as, or the error to answer with.</summary>
public sealed record ClientAuthenticationResult(AuthenticatedClient? Client, ProblemDetails? Problem)
{
    /// <summary>The refusal as an action result; a 401 says which scheme to authenticate with (RFC 6749 §5.2).</summary>
    public IActionResult Refusal(HttpResponse response)
    {
        var problem = Problem ?? throw new InvalidOperationException("The client was authenticated; there is nothing to refuse.");
        if (problem.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = ClientAuthentication.Challenge;
        }

        return problem.ToResult();
    }
}
