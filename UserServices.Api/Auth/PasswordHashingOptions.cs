using System.ComponentModel.DataAnnotations;

namespace UserServices.Api.Auth;

public sealed class PasswordHashingOptions
{
    public const string Section = "Passwords";

    /// <summary>bcrypt cost (BCRYPT_WORK_FACTOR). 12 is what the Python service used; each step doubles the time.</summary>
    [Range(4, 31, ErrorMessage = "Passwords:WorkFactor (BCRYPT_WORK_FACTOR) must be between 4 and 31.")]
    public int WorkFactor { get; set; } = 12;
}
