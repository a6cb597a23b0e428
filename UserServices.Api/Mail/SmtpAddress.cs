using MailKit.Security;

namespace UserServices.Api.Mail;

/// <summary>SMTP_URL taken apart: where to connect, how to secure the connection, and who to log in as.</summary>
public sealed record SmtpAddress(string Host, int Port, SecureSocketOptions Security, string? UserName, string? Password)
{
    public static bool TryParse(string? value, out SmtpAddress? address, out string? problem)
    {
        address = null;
        problem = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("smtp" or "smtps") || string.IsNullOrEmpty(uri.Host))
        {
            problem = "SMTP_URL must look like smtp://[user:password@]host[:port] or smtps://…";
            return false;
        }

        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries);
        var required = query.Any(p => p.Equals("starttls=required", StringComparison.OrdinalIgnoreCase));
        if (query.Any(p => !p.Equals("starttls=required", StringComparison.OrdinalIgnoreCase)))
        {
            problem = "SMTP_URL accepts only the query '?starttls=required'.";
            return false;
        }

        if (uri.Scheme == "smtps" && required)
        {
            problem = "SMTP_URL: smtps:// is TLS from the start; '?starttls=required' belongs to smtp://.";
            return false;
        }

        var security = uri.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect
            : required ? SecureSocketOptions.StartTls
            : SecureSocketOptions.StartTlsWhenAvailable;
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (uri.Scheme == "smtps" ? 465 : 587) : uri.Port;
        string? user = null, password = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }

        address = new SmtpAddress(uri.Host, port, security, user, password);
        return true;
    }

    // A record prints every member, and the password must never reach a log.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"Host = {Host}, Port = {Port}, Security = {Security}, UserName = {UserName}, Password = (redacted)");
        return true;
    }
}
