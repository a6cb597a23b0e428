using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace UserServices.Tests.Passkeys;

/// <summary>
/// A web client of the service, as small as one can be: one page served by the test on real Kestrel, opened as
/// <c>http://localhost:&lt;port&gt;/</c> (localhost is a secure context, and a relying-party id must be a domain, not an
/// IP address). Its functions call the service's endpoints with <c>fetch</c> and the authenticator through
/// <c>navigator.credentials</c>, as a single-page app would.
/// </summary>
public sealed class PasskeyPage : IAsyncDisposable
{
    private const string Html = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Passkeys</title></head><body>
        <script>
        const passkeyGrant = 'urn:userservices:params:oauth:grant-type:passkey';
        async function answer(response) {
          const text = await response.text();
          return { status: response.status, body: text ? JSON.parse(text) : null };
        }
        // The authenticator alone: options in, the credential's JSON out.
        window.createCredential = async (options) => JSON.stringify((await navigator.credentials.create(
          { publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })).toJSON());
        window.getCredential = async (options) => JSON.stringify((await navigator.credentials.get(
          { publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) })).toJSON());
        // What an app does: the service's endpoints and the authenticator, end to end.
        window.registerPasskey = async (base, token, name) => {
          const auth = { Authorization: 'Bearer ' + token };
          const begun = await answer(await fetch(base + 'user/passkeys/options', { method: 'POST', headers: auth }));
          if (begun.status !== 200) return begun;
          const credential = JSON.parse(await window.createCredential(begun.body.options));
          return answer(await fetch(base + 'user/passkeys', {
            method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' },
            body: JSON.stringify({ ceremony_id: begun.body.ceremony_id, credential, name }) }));
        };
        window.listPasskeys = async (base, token) =>
          answer(await fetch(base + 'user/passkeys', { headers: { Authorization: 'Bearer ' + token } }));
        window.renamePasskey = async (base, token, id, name) => answer(await fetch(base + 'user/passkeys/' + id, {
          method: 'PATCH', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) }));
        window.deletePasskey = async (base, token, id) =>
          answer(await fetch(base + 'user/passkeys/' + id, { method: 'DELETE', headers: { Authorization: 'Bearer ' + token } }));
        window.signInWithPasskey = async (base) => {
          const begun = await answer(await fetch(base + 'user/passkeys/login/options', { method: 'POST' }));
          if (begun.status !== 200) return begun;
          const credential = await window.getCredential(begun.body.options);
          return answer(await fetch(base + 'user/token', { method: 'POST',
            body: new URLSearchParams({ grant_type: passkeyGrant, ceremony_id: begun.body.ceremony_id, credential }) }));
        };
        </script></body></html>
        """;

    private WebApplication? _app;

    /// <summary><c>http://localhost:&lt;port&gt;</c>, the origin the page runs in.</summary>
    public string Origin { get; private set; } = "";

    public Uri Address => new(Origin + "/");

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapGet("/", () => Results.Content(Html, "text/html; charset=utf-8"));
        await _app.StartAsync();
        var address = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        Origin = $"http://localhost:{address.Port}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
