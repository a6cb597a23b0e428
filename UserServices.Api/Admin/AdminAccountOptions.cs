using UserServices.Data.Seeding;

namespace UserServices.Api.Admin;

/// <summary>The admin account to create on migrate: ADMIN_USERNAME, ADMIN_EMAIL, ADMIN_PASSWORD (or <c>Admin:*</c>).</summary>
public sealed class AdminAccountOptions
{
    public const string Section = "Admin";

    public string? UserName { get; set; }

    public string? Email { get; set; }

    public string? Password { get; set; }

    public AdminAccount ToAccount() => new(UserName, Email, Password);
}
