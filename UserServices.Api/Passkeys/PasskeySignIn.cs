using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using UserServices.Api.Audit;
using UserServices.Api.Clients;
using UserServices.Api.Hosting;
using UserServices.Api.Monitoring;
using UserServices.Api.Sessions;
using UserServices.Api.Users;
using UserServices.Data;
using UserServices.Data.Passkeys;
using UserServices.Data.Users;

namespace UserServices.Api.Passkeys;

/// <summary>
/// The passkey grant (<c>grant_type=urn:userservices:params:oauth:grant-type:passkey</c>): the ceremony taken once,
/// the assertion checked by Identity's passkey handler, the signature counter moved on by one conditional UPDATE, then
/// a new session whose <c>amr</c> names a key and, when the authenticator verified the person, <c>mfa</c>.
/// </summary>
public sealed class PasskeySignIn(
    IPasskeyHandler<User> handler,
    PasskeyCeremonies ceremonies,
    UserServicesDbContext db,
    RefreshTokenStore refreshTokens,
    AuditLog audit,
    ServiceMetrics metrics,
    IOptions<PasskeyOptions> options,
    IOptions<AccountOptions> accounts,
    TimeProvider time,
    ILogger<PasskeySignIn> logger)
{
    public const string GrantType = GrantTypes.Passkey;

    /// <summary>An assertion is a few hundred bytes; this bounds what is parsed.</summary>
    public const int MaxCredentialLength = 16 * 1024;

    public const string EmailNotConfirmedDetail = "The passkey is valid, but the account's email address is not confirmed yet.";

    public const string RefusedDetail = "The passkey sign-in was refused: the ceremony is unknown, used or expired, or the passkey is not valid here.";

    /// <summary>
    /// RFC 8176 §2: <c>hwk</c> (proof of possession of a key; a passkey's private key never leaves its authenticator or
    /// the platform's keychain), <c>user</c> (the authenticator's user-presence test), and <c>mfa</c> when it also
    /// verified the person (PIN or biometric, WebAuthn's UV flag): something held and something known or been.
    /// </summary>
    public static string AuthMethods(bool userVerified) => userVerified ? "hwk user mfa" : "hwk user";

    /// <summary>
    /// Request options for a discoverable credential: no username asked, an empty <c>allowCredentials</c>, so the
    /// answer is the same whoever asks and says nothing about which accounts exist.
    /// </summary>
    public async Task<PasskeyCeremonyResponse> BeginAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var made = await handler.MakeRequestOptionsAsync(null, http);
        var ceremonyId = await ceremonies.BeginAsync(PasskeyCeremonies.Login, null, made.AssertionState ?? "", cancellationToken);
        return new PasskeyCeremonyResponse(ceremonyId, JsonSerializer.SerializeToElement(JsonDocument.Parse(made.RequestOptionsJson).RootElement));
    }

    public async Task<PasskeySignInOutcome> SignInAsync(
        string? ceremonyId, string? credential, string clientId, string? scope, HttpContext http, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return new PasskeySignInOutcome.Disabled();
        }

        if (FieldProblem(ceremonyId, credential) is { } problem)
        {
            return new PasskeySignInOutcome.Invalid(problem);
        }

        if (await ceremonies.TakeAsync(ceremonyId, PasskeyCeremonies.Login, null, cancellationToken) is not { } ceremony)
        {
            return await RefusedAsync(null, "ceremony unknown, used or expired");
        }

        var assertion = await handler.PerformAssertionAsync(new PasskeyAssertionContext
        {
            CredentialJson = credential!,
            AssertionState = ceremony.State,
            HttpContext = http,
        });
        if (!assertion.Succeeded)
        {
            return await RefusedAsync(null, assertion.Failure.Message);
        }

        var user = assertion.User;
        if (user.LockoutEnd is { } until && until > time.GetUtcNow())
        {
            metrics.RecordLogin(LoginResult.LockedOut);
            await audit.WriteNowAsync(AuditActions.LoginLockedOut, user, "passkey");
            return new PasskeySignInOutcome.Refused();
        }

        if (!await CountedAsync(assertion.Passkey, cancellationToken))
        {
            return await RefusedAsync(user, "signature counter did not advance (a cloned authenticator, or a concurrent sign-in)");
        }

        if (accounts.Value.RequireConfirmedEmail && !user.EmailConfirmed)
        {
            await audit.WriteNowAsync(AuditActions.LoginRefusedUnconfirmed, user, "email not confirmed (passkey)");
            return new PasskeySignInOutcome.EmailNotConfirmed();
        }

        var verified = UserVerified(credential!);
        var id = PasskeyIds.Encode(assertion.Passkey.CredentialId);
        var login = audit.Event(AuditActions.LoginPasskey, user, $"passkey {id}{(verified ? ", user verified" : "")}, client {clientId}");
        var session = await refreshTokens.IssueAsync(user, clientId, scope, login, RequestOrigin.Of(http), cancellationToken, AuthMethods(verified));
        metrics.RecordLogin(LoginResult.Succeeded);
        return new PasskeySignInOutcome.SignedIn(user, session);
    }

    /// <summary>
    /// WebAuthn §6.1.1: the counter must go up (or stay 0 for authenticators without one). One conditional UPDATE
    /// decides, so of two sign-ins racing with the same counter exactly one passes; then Identity's copy is updated.
    /// </summary>
    private async Task<bool> CountedAsync(UserPasskeyInfo passkey, CancellationToken cancellationToken)
    {
        long count = passkey.SignCount;
        var now = time.GetUtcNow().UtcDateTime;
        var id = passkey.CredentialId;
        var moved = await db.UserPasskeys
            .Where(p => p.CredentialId == id
                && (EF.Property<long>(p, PasskeyColumns.SignCount) < count || (count == 0 && EF.Property<long>(p, PasskeyColumns.SignCount) == 0)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => EF.Property<long>(p, PasskeyColumns.SignCount), count)
                .SetProperty(p => EF.Property<DateTime?>(p, PasskeyColumns.LastUsedAt), now), cancellationToken);
        if (moved != 1)
        {
            return false;
        }

        if (await db.UserPasskeys.SingleOrDefaultAsync(p => p.CredentialId == id, cancellationToken) is { } row)
        {
            row.Data.SignCount = passkey.SignCount;
            row.Data.IsBackedUp = passkey.IsBackedUp;
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    private async Task<PasskeySignInOutcome> RefusedAsync(User? user, string reason)
    {
        logger.LogInformation("Passkey sign-in refused: {Reason}", reason);
        metrics.RecordLogin(LoginResult.InvalidCredentials);
        await audit.WriteNowAsync(AuditActions.LoginPasskeyRefused, user?.Id, user?.UserName, reason);
        return new PasskeySignInOutcome.Refused();
    }

    /// <summary>The UV flag (bit 2 of the flags byte after the 32-byte RP id hash, WebAuthn §6.1) of the assertion just verified.</summary>
    private static bool UserVerified(string credential)
    {
        using var json = JsonDocument.Parse(credential);
        var data = Base64UrlEncoder.DecodeBytes(json.RootElement.GetProperty("response").GetProperty("authenticatorData").GetString());
        return data.Length > 32 && (data[32] & 0x04) != 0;
    }

    private static string? FieldProblem(string? ceremonyId, string? credential) => (ceremonyId, credential) switch
    {
        (null or "", _) => "The 'ceremony_id' field is required.",
        (_, null or "") => "The 'credential' field is required.",
        ({ Length: > PasskeyCeremonies.MaxIdLength }, _) => $"The 'ceremony_id' field must be at most {PasskeyCeremonies.MaxIdLength} characters.",
        (_, { Length: > MaxCredentialLength }) => $"The 'credential' field must be at most {MaxCredentialLength} characters.",
        _ => null,
    };
}
