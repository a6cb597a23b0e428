namespace UserServices.Api.Mail;

/// <summary>What a mailed token may do; a token is looked up only under its own purpose.</summary>
public static class TokenPurpose
{
    public const string PasswordReset = "password_reset";
    public const string ConfirmEmail = "confirm_email";
    public const string ChangeEmail = "change_email";
}
