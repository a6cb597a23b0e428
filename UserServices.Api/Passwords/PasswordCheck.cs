namespace UserServices.Api.Passwords;

/// <summary>A verification's verdict, and for a login whose stored hash is cheaper than the configured cost, its replacement.</summary>
public readonly record struct PasswordCheck(PasswordVerdict Verdict, string? UpgradedHash = null);
