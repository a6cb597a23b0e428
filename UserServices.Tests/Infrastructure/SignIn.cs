namespace UserServices.Tests.Infrastructure;

/// <summary>What a successful password or refresh grant hands out.</summary>
public sealed record SignIn(string AccessToken, string RefreshToken);
