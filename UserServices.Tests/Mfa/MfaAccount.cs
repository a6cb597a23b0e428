namespace UserServices.Tests.Mfa;

/// <summary>An account with two-factor sign-in on: its authenticator secret, its recovery codes and the token it enrolled with.</summary>
public sealed record MfaAccount(int Id, string UserName, byte[] Secret, string[] RecoveryCodes, string AccessToken);
