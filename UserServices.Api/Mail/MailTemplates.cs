using System.Net;
using Microsoft.Extensions.Options;
using MimeKit;

namespace UserServices.Api.Mail;

/// <summary>
/// Turns a mail kind and its values into a message, from two template files per kind: <c>NAME.txt</c> (a
/// <c>Subject:</c> line, a blank line, the plain-text body) and <c>NAME.html</c>. A file of the same name in
/// <c>Mail:TemplatesPath</c> replaces the built-in one; files are read at each send, so an edit needs no restart.
/// </summary>
public sealed class MailTemplates(IOptions<MailOptions> options)
{
    private static readonly string BuiltIn = Path.Combine(AppContext.BaseDirectory, "Mail", "Templates");

    public async Task<MimeMessage> ComposeAsync(string kind, MailboxAddress to, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var text = await ReadAsync(kind + ".txt", cancellationToken);
        var html = await ReadAsync(kind + ".html", cancellationToken);
        var (subject, body) = SplitSubject(text, kind);

        var from = MailboxAddress.Parse(options.Value.From);
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(to);
        message.Subject = Fill(subject, values, encode: false);
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(from.Domain);
        message.Body = new BodyBuilder
        {
            TextBody = Fill(body, values, encode: false),
            HtmlBody = Fill(html, values, encode: true),
        }.ToMessageBody();
        return message;
    }

    private async Task<string> ReadAsync(string file, CancellationToken cancellationToken)
    {
        var custom = options.Value.TemplatesPath is { Length: > 0 } folder ? Path.Combine(folder, file) : null;
        return await File.ReadAllTextAsync(custom is not null && File.Exists(custom) ? custom : Path.Combine(BuiltIn, file), cancellationToken);
    }

    private static (string Subject, string Body) SplitSubject(string text, string kind)
    {
        var firstLine = text.Split('\n', 2);
        if (!firstLine[0].StartsWith("Subject:", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The mail template {kind}.txt must start with a 'Subject:' line.");
        }

        return (firstLine[0]["Subject:".Length..].Trim(), firstLine.Length > 1 ? firstLine[1].TrimStart('\r', '\n') : "");
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string> values, bool encode)
    {
        foreach (var (name, value) in values)
        {
            template = template.Replace("{" + name + "}", encode ? WebUtility.HtmlEncode(value) : value, StringComparison.Ordinal);
        }

        return template;
    }
}
