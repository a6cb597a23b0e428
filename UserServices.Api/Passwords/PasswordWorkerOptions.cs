using System.ComponentModel.DataAnnotations;

namespace UserServices.Api.Passwords;

public sealed class PasswordWorkerOptions
{
    public const string Section = "PasswordChecks";

    /// <summary>Threads that run bcrypt, so at most this many at once; 0 means one per core.</summary>
    [Range(0, 1024, ErrorMessage = "PasswordChecks:Concurrency must be between 0 (one per core) and 1024.")]
    public int Concurrency { get; set; }

    /// <summary>Password checks waiting for a thread; beyond this they are answered 503 with Retry-After.</summary>
    [Range(0, 100_000, ErrorMessage = "PasswordChecks:QueueLength must be between 0 and 100000.")]
    public int QueueLength { get; set; } = 64;
}
