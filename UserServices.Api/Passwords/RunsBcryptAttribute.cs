namespace UserServices.Api.Passwords;

/// <summary>
/// Marks an action that hashes or verifies a password through <see cref="PasswordCheckGate"/>, and so can answer
/// 503 with Retry-After when the gate's queue is full. The API reference reads it to document that answer.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunsBcryptAttribute : Attribute;
