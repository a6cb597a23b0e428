namespace UserServices.Api.Passwords;

/// <summary>
/// Marks an action that hashes or verifies a password on the <see cref="PasswordWorkers"/>, and so can answer 503
/// with Retry-After when their queue is full. The API reference reads it to document that answer.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunsBcryptAttribute : Attribute;
