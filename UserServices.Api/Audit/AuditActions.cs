namespace UserServices.Api.Audit;

/// <summary>The names of the events the audit log records; clients filter <c>GET /admin/audit</c> by them.</summary>
public static class AuditActions
{
    public const string UserRegistered = "user.registered";
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LoginLockedOut = "login.locked_out";
    public const string AccountLocked = "account.locked";
    public const string AccountUnlocked = "account.unlocked";
    public const string PasswordChanged = "password.changed";
    public const string PasswordSetByAdmin = "password.set_by_admin";
    public const string SessionReuseDetected = "session.reuse_detected";
    public const string SessionRevoked = "session.revoked";
    public const string SessionEnded = "session.ended";
    public const string Logout = "logout";
    public const string SessionsEndedByAdmin = "sessions.ended_by_admin";
    public const string UserUpdated = "user.updated";
    public const string UserDeleted = "user.deleted";
    public const string RolesChanged = "roles.changed";
    public const string LoginRefusedUnconfirmed = "login.refused_unconfirmed";
    public const string PasswordCheckFailed = "password.check_failed";
    public const string PasswordResetRequested = "password.reset_requested";
    public const string PasswordReset = "password.reset";
    public const string EmailConfirmationRequested = "email.confirmation_requested";
    public const string EmailConfirmed = "email.confirmed";
    public const string EmailChangeRequested = "email.change_requested";
    public const string EmailChanged = "email.changed";

    public const string PasskeyAdded = "passkey.added";
    public const string PasskeyRenamed = "passkey.renamed";
    public const string PasskeyRemoved = "passkey.removed";
    public const string PasskeyRegistrationRefused = "passkey.registration_refused";
    public const string LoginPasskey = "login.passkey";
    public const string LoginPasskeyRefused = "login.passkey_refused";
    /// <summary>Two-factor sign-in: turned on (a first code confirmed the authenticator), off by its owner, off by an admin.</summary>
    public const string MfaEnabled = "mfa.enabled";
    public const string MfaDisabled = "mfa.disabled";
    public const string MfaReset = "mfa.reset";
    public const string MfaRecoveryCodesRegenerated = "mfa.recovery_codes_regenerated";
    public const string MfaRecoveryCodeUsed = "mfa.recovery_code_used";

    /// <summary>A wrong one-time or recovery code at sign-in (counted towards lockout like a wrong password).</summary>
    public const string LoginMfaFailed = "login.mfa_failed";

    /// <summary>A client was refused for sending a client assertion (<c>private_key_jwt</c>) that was used already.</summary>
    public const string ClientAssertionReplayed = "client.assertion_replayed";
}
