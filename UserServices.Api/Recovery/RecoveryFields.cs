using System.ComponentModel.DataAnnotations;

namespace UserServices.Api.Recovery;

/// <summary>The check the recovery endpoints share: an email address's shape.</summary>
internal static class RecoveryFields
{
    public const int MaxEmailLength = 256;

    private static readonly EmailAddressAttribute EmailShape = new();

    /// <summary>Why <paramref name="email"/> is not an address, or null when it is one.</summary>
    public static string? EmailProblem(string? email, string field) => email switch
    {
        null or "" => $"The '{field}' field is required.",
        { Length: > MaxEmailLength } => $"The '{field}' field must be at most {MaxEmailLength} characters.",
        _ when !EmailShape.IsValid(email) => $"The '{field}' field is not an email address.",
        _ => null,
    };
}
