using Microsoft.Extensions.Options;
using MimeKit;

namespace UserServices.Api.Mail;

/// <summary>The rules across fields: a relay that parses, a sender that is an address, links that carry the token.</summary>
public sealed class MailOptionsValidator(IHostEnvironment environment) : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.SmtpUrl) && !SmtpAddress.TryParse(options.SmtpUrl, out _, out var problem))
        {
            failures.Add(problem!);
        }

        if (!MailboxAddress.TryParse(options.From, out var from) || string.IsNullOrEmpty(from.Address) || !from.Address.Contains('@', StringComparison.Ordinal))
        {
            failures.Add("MAIL_FROM (Mail:From) must be an address, e.g. \"User Services\" <no-reply@example.com>.");
        }

        // Outside Development a mail must link to the real client application; Development falls back to a local page.
        var linksRequired = !string.IsNullOrEmpty(options.SmtpUrl) && !environment.IsDevelopment();
        CheckLink(options.PasswordResetUrl, "Mail:PasswordResetUrl", linksRequired, failures);
        CheckLink(options.EmailConfirmationUrl, "Mail:EmailConfirmationUrl", linksRequired, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckLink(string? template, string setting, bool required, List<string> failures)
    {
        if (string.IsNullOrEmpty(template))
        {
            if (required)
            {
                failures.Add($"{setting} is required when SMTP_URL is set: the page of the client application the mail links to, with {{token}}.");
            }

            return;
        }

        if (!template.Contains("{token}", StringComparison.Ordinal)
            || !Uri.TryCreate(template.Replace("{token}", "t", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http"))
        {
            failures.Add($"{setting} must be an absolute http(s) URL containing {{token}}, e.g. https://app.example.com/reset?token={{token}}.");
        }
    }
}
