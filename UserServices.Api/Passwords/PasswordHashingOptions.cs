using System.ComponentModel.DataAnnotations;

namespace UserServices.Api.Passwords;

public sealed class PasswordHashingOptions
{
    public const string Section = "Passwords";

    /// <summary>bcrypt cost (BCRYPT_WORK_FACTOR). 12 is what the Python service used; each step doubles the time.</summary>
    [Range(4, 31, ErrorMessage = "Passwords:WorkFactor (BCRYPT_WORK_FACTOR) must be between 4 and 31.")]
    public int WorkFactor { get; set; } = 12;

    /// <summary>
    /// Nice levels a thread is raised by while it runs bcrypt (Linux, needs CAP_SYS_NICE; 0 turns it off), so that
    /// logins keep their share of a CPU that token checks keep busy (see <see cref="CpuPriority"/>).
    /// </summary>
    [Range(0, 19, ErrorMessage = "Passwords:PriorityBoost must be between 0 and 19.")]
    public int PriorityBoost { get; set; } = 3;

    /// <summary><c>auto</c> (native libxcrypt when present and correct, else managed), <c>native</c> or <c>managed</c>.</summary>
    public BcryptBackend Backend { get; set; } = BcryptBackend.Auto;
}
