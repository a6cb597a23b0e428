using MimeKit;

namespace UserServices.Api.Mail;

/// <summary>Development without SMTP_URL: each mail becomes an .eml file a mail program (or a text editor) opens.</summary>
public sealed class PickupFolderTransport(string folder) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml";
        // Written under a temporary name first, so a reader never sees half a message.
        var partial = Path.Combine(folder, name + ".partial");
        await message.WriteToAsync(partial, cancellationToken);
        File.Move(partial, Path.Combine(folder, name));
    }
}
