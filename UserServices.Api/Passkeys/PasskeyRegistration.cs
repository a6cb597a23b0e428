using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserServices.Api.Audit;
using UserServices.Api.Hosting;
using UserServices.Data;
using UserServices.Data.Passkeys;
using UserServices.Data.Users;

namespace UserServices.Api.Passkeys;

/// <summary>
/// Adds a passkey to the caller's account in two requests: creation options (with a ceremony id), then the browser's
/// credential, checked by Identity's passkey handler against the state kept in <see cref="PasskeyCeremonies"/>.
/// </summary>
public sealed class PasskeyRegistration(
    IPasskeyHandler<User> handler,
    PasskeyCeremonies ceremonies,
    UserServicesDbContext db,
    AuditLog audit,
    IOptions<PasskeyOptions> options,
    TimeProvider time,
    ILogger<PasskeyRegistration> logger)
{
    /// <summary>
    /// How recent the token's sign-in (<c>auth_time</c>) must be to add a passkey: a stolen access token must not be
    /// able to plant a lasting way in (OWASP ASVS 5.0 V6.4.3 asks for re-authentication before adding a factor).
    /// </summary>
    public static readonly TimeSpan RecentSignIn = TimeSpan.FromMinutes(10);

    public const string AuthTimeClaim = "auth_time";
    public const string SignInAgainDetail = "Adding a passkey needs a sign-in from the last 10 minutes; sign in again and retry.";
    public const string CeremonyRefused = "The ceremony is unknown, already used, expired or another account's; ask for new options.";

    public async Task<PasskeyRegistrationOutcome> BeginAsync(ClaimsPrincipal caller, HttpContext http, CancellationToken cancellationToken)
    {
        if (!SignedInRecently(caller))
        {
            return new PasskeyRegistrationOutcome.SignInAgain();
        }

        if (await FindCallerAsync(caller, cancellationToken) is not { } user)
        {
            return new PasskeyRegistrationOutcome.AccountGone();
        }

        var id = user.Id.ToString(CultureInfo.InvariantCulture);
        // The user handle is the account id (what Identity's handler looks accounts up by), never the email address.
        var made = await handler.MakeCreationOptionsAsync(new PasskeyUserEntity { Id = id, Name = user.UserName ?? id, DisplayName = user.UserName ?? id }, http);
        var ceremonyId = await ceremonies.BeginAsync(PasskeyCeremonies.Register, user.Id, made.AttestationState ?? "", cancellationToken);
        return new PasskeyRegistrationOutcome.Begun(new PasskeyCeremonyResponse(ceremonyId, WithServerName(made.CreationOptionsJson)));
    }

    public async Task<PasskeyRegistrationOutcome> CompleteAsync(
        ClaimsPrincipal caller, PasskeyRegistrationRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var name = request.Name ?? PasskeyNames.Default;
        if (FieldProblems(request, name) is { Count: > 0 } problems)
        {
            return new PasskeyRegistrationOutcome.Invalid(problems);
        }

        if (await FindCallerAsync(caller, cancellationToken) is not { } user)
        {
            return new PasskeyRegistrationOutcome.AccountGone();
        }

        if (await ceremonies.TakeAsync(request.CeremonyId, PasskeyCeremonies.Register, user.Id, cancellationToken) is not { } ceremony)
        {
            await audit.WriteNowAsync(AuditActions.PasskeyRegistrationRefused, user, "ceremony unknown, used or expired");
            return Invalid("ceremony_id", CeremonyRefused);
        }

        var attestation = await handler.PerformAttestationAsync(new PasskeyAttestationContext
        {
            CredentialJson = request.Credential!.Value.GetRawText(),
            AttestationState = ceremony.State,
            HttpContext = http,
        });
        if (!attestation.Succeeded)
        {
            logger.LogInformation("Passkey registration of account {UserId} refused: {Reason}", user.Id, attestation.Failure.Message);
            await audit.WriteNowAsync(AuditActions.PasskeyRegistrationRefused, user, attestation.Failure.Message);
            return Invalid("credential", $"The passkey was not accepted: {Described(attestation.Failure.Message)}");
        }

        return await SaveAsync(user, attestation.Passkey, name.Trim(), cancellationToken);
    }

    /// <summary>
    /// Identity's reason, for the client: where Identity could not parse the credential it quotes System.Text.Json
    /// (a .NET type name, a byte position) and an unexpected error quotes the exception; those are said in our words.
    /// The log and the audit event keep the full reason.
    /// </summary>
    private static string Described(string reason) =>
        reason.Contains("had an invalid format", StringComparison.Ordinal)
            ? "The credential is not the JSON a browser's PublicKeyCredential gives (its toJSON())."
            : reason.StartsWith("An unexpected error occurred", StringComparison.Ordinal)
                ? "The credential could not be read."
                : reason;

    private async Task<PasskeyRegistrationOutcome> SaveAsync(User user, UserPasskeyInfo info, string name, CancellationToken cancellationToken)
    {
        var passkey = new IdentityUserPasskey<int>
        {
            UserId = user.Id,
            CredentialId = info.CredentialId,
            Data = new IdentityPasskeyData
            {
                PublicKey = info.PublicKey,
                Name = name,
                // The service's clock, as every other time it records (Identity's handler reads the system's).
                CreatedAt = time.GetUtcNow(),
                SignCount = info.SignCount,
                Transports = info.Transports,
                IsUserVerified = info.IsUserVerified,
                IsBackupEligible = info.IsBackupEligible,
                IsBackedUp = info.IsBackedUp,
                AttestationObject = info.AttestationObject,
                ClientDataJson = info.ClientDataJson,
            },
        };
        db.UserPasskeys.Add(passkey);
        db.Entry(passkey).Property(PasskeyColumns.SignCount).CurrentValue = (long)info.SignCount;
        var view = PasskeyView.Of(passkey, null);
        audit.AddTo(db, AuditActions.PasskeyAdded, user, $"passkey {view.Id} '{name}'");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // The same credential registered by a concurrent request: the primary key let one of them in.
            return Invalid("credential", "The passkey was not accepted: The credential is already registered.");
        }

        return new PasskeyRegistrationOutcome.Added(new PasskeyCreated(view.Id, view.Name, view.CreatedAt));
    }

    private bool SignedInRecently(ClaimsPrincipal caller) =>
        long.TryParse(caller.FindFirstValue(AuthTimeClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) <= RecentSignIn;

    private async Task<User?> FindCallerAsync(ClaimsPrincipal caller, CancellationToken cancellationToken) =>
        caller.UserId() is { } id ? await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken) : null;

    /// <summary>Identity names the relying party by its domain; the operator may give it a friendlier name.</summary>
    private JsonElement WithServerName(string optionsJson)
    {
        var node = JsonNode.Parse(optionsJson)!;
        if (node["rp"] is JsonObject rp)
        {
            rp["name"] = options.Value.ServerName;
        }

        return JsonSerializer.SerializeToElement(node);
    }

    private static Dictionary<string, string[]> FieldProblems(PasskeyRegistrationRequest request, string name)
    {
        var problems = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.CeremonyId))
        {
            problems["ceremony_id"] = ["The 'ceremony_id' field is required."];
        }

        if (request.Credential is not { ValueKind: JsonValueKind.Object })
        {
            problems["credential"] = ["The 'credential' field is required: the PublicKeyCredential as a JSON object."];
        }

        if (PasskeyNames.Problem(name) is { } nameProblem)
        {
            problems["name"] = [nameProblem];
        }

        return problems;
    }

    private static PasskeyRegistrationOutcome.Invalid Invalid(string field, string problem) => new(new Dictionary<string, string[]> { [field] = [problem] });
}
