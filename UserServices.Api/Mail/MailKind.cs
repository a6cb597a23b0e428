namespace UserServices.Api.Mail;

/// <summary>The mails the service sends; each names its template files (<c>NAME.txt</c>, <c>NAME.html</c>).</summary>
public static class MailKind
{
    /// <summary>Someone asked for a reset for an address; the sender sends one only if an account has it.</summary>
    public const string PasswordReset = "password-reset";

    public const string EmailConfirmation = "email-confirmation";

    /// <summary>To the new address of an email change: the link that makes the change.</summary>
    public const string EmailChange = "email-change";

    /// <summary>To the old address of an email change: a notice, no link.</summary>
    public const string EmailChangeNotice = "email-change-notice";

    public static readonly IReadOnlyList<string> All = [PasswordReset, EmailConfirmation, EmailChange, EmailChangeNotice];
}
