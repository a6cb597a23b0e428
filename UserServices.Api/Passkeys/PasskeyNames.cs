namespace UserServices.Api.Passkeys;

/// <summary>The one rule for a passkey's name, at registration and rename.</summary>
public static class PasskeyNames
{
    public const int MaxLength = 64;
    public const string Default = "Passkey";

    /// <summary>Why <paramref name="name"/> is not a name (null: it is one).</summary>
    public static string? Problem(string? name) => name switch
    {
        null => "The 'name' field is required.",
        _ when string.IsNullOrWhiteSpace(name) => "The 'name' field must not be blank.",
        { Length: > MaxLength } => $"The 'name' field must be at most {MaxLength} characters.",
        _ when name.Any(char.IsControl) => "The 'name' field must not contain control characters.",
        _ => null,
    };
}
