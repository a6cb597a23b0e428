namespace UserServices.Tests.Infrastructure;

/// <summary>What turning two-factor sign-in on gives a person: the authenticator's secret and ten recovery codes.</summary>
public sealed record TwoFactorEnrolment(byte[] Secret, string[] RecoveryCodes);
