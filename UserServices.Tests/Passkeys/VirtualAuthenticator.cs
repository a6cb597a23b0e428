using System.Text.Json;
using Microsoft.Playwright;

namespace UserServices.Tests.Passkeys;

/// <summary>
/// Chromium's virtual authenticator (DevTools protocol, WebAuthn domain) in a page: a CTAP2 platform authenticator with
/// resident keys that verifies its user, answering <c>navigator.credentials</c> without any prompt.
/// </summary>
public sealed class VirtualAuthenticator(ICDPSession session, string id)
{
    public static async Task<VirtualAuthenticator> AddAsync(IPage page, bool verifiesUser = true)
    {
        var session = await page.Context.NewCDPSessionAsync(page);
        await session.SendAsync("WebAuthn.enable");
        var added = await session.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = verifiesUser,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return new VirtualAuthenticator(session, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>The credentials it holds, with their signature counters.</summary>
    public async Task<JsonElement> CredentialsAsync() =>
        (await session.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = id }))!.Value.GetProperty("credentials");
}
