namespace UserServices.Data.Seeding;

/// <summary>The admin account an operator asks for through ADMIN_USERNAME / ADMIN_EMAIL / ADMIN_PASSWORD.</summary>
public sealed record AdminAccount(string? UserName, string? Email, string? Password)
{
    public bool IsRequested => !string.IsNullOrWhiteSpace(UserName) || !string.IsNullOrEmpty(Password);
}
