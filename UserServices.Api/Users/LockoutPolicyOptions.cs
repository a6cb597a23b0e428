using System.ComponentModel.DataAnnotations;

namespace UserServices.Api.Users;

public sealed class LockoutPolicyOptions
{
    public const string Section = "Lockout";

    [Range(1, 100, ErrorMessage = "Lockout:MaxFailedAttempts must be between 1 and 100.")]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(1, 24 * 60, ErrorMessage = "Lockout:LockoutMinutes must be between 1 and 1440.")]
    public int LockoutMinutes { get; set; } = 15;
}
