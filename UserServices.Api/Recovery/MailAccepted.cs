using System.Text.Json.Serialization;

namespace UserServices.Api.Recovery;

/// <summary>The 202 of an endpoint that queued a mail; the same words whether or not a mail will really go out.</summary>
public sealed record MailAccepted([property: JsonPropertyName("detail")] string Detail)
{
    public static readonly MailAccepted ResetRequested = new("If an account has this email address, a password reset link is on its way to it.");
    public static readonly MailAccepted ConfirmationRequested = new("A confirmation link is on its way to the account's email address.");
    public static readonly MailAccepted ChangeRequested = new("A confirmation link is on its way to the new address; the address changes once it is confirmed.");
}
