using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using UserServices.Api.Hosting;
using UserServices.Api.RateLimits;

namespace UserServices.Api.Passkeys;

/// <summary>The first step of a passkey sign-in; the second is the passkey grant at <c>POST /user/token</c>.</summary>
[ApiController]
[Route("user/passkeys/login")]
[Tags("Passkeys")]
[RequiresPasskeys]
// Each call stores a ceremony: counted in the token endpoint's per-client budget, so nobody fills the table.
[EnableRateLimiting(AuthRateLimiting.TokenPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class PasskeyLoginController(PasskeySignIn signIn) : ControllerBase
{
    /// <summary>Begin a passkey sign-in: request options for a discoverable credential, no username needed.</summary>
    /// <remarks>
    /// Pass <c>options</c> to <c>PublicKeyCredential.parseRequestOptionsFromJSON</c> and <c>navigator.credentials.get</c>
    /// (or a platform's passkey API), then send the credential's JSON with <c>ceremony_id</c> to <c>POST /user/token</c>
    /// with <c>grant_type=urn:userservices:params:oauth:grant-type:passkey</c> within 5 minutes. <c>allowCredentials</c>
    /// is empty: the answer is the same for everyone and reveals no account.
    /// </remarks>
    [HttpPost("options")]
    [ProducesResponseType<PasskeyCeremonyResponse>(StatusCodes.Status200OK, "application/json")]
    [ErrorResponse(StatusCodes.Status404NotFound, "Passkeys are not enabled on this service (no relying-party id is configured).",
        ExampleDetail = PasskeySetup.DisabledDetail)]
    public async Task<IActionResult> Options(CancellationToken cancellationToken) =>
        Ok(await signIn.BeginAsync(HttpContext, cancellationToken));
}
