using System.Text;
using Microsoft.Extensions.Options;

namespace UserServices.Api.Mfa;

internal sealed class MfaOptionsValidator : IValidateOptions<MfaOptions>
{
    public const int MinimumKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, MfaOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer) || options.Issuer.Contains(':', StringComparison.Ordinal) || options.Issuer.Length > 64)
        {
            problems.Add("Mfa:Issuer must be 1 to 64 characters without ':' (it is the authenticator app's label).");
        }

        if (options.EncryptionKey is { Length: > 0 } key && Encoding.UTF8.GetByteCount(key) < MinimumKeyBytes)
        {
            problems.Add($"MFA_ENCRYPTION_KEY (Mfa:EncryptionKey) must be at least {MinimumKeyBytes} bytes (e.g. `openssl rand -hex 32`).");
        }

        if (options.PreviousEncryptionKeys.Any(k => Encoding.UTF8.GetByteCount(k) < MinimumKeyBytes))
        {
            problems.Add($"Every Mfa:PreviousEncryptionKeys entry must be at least {MinimumKeyBytes} bytes.");
        }

        if (options.RequiredForRoles.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("Mfa:RequiredForRoles must not contain empty role names.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
