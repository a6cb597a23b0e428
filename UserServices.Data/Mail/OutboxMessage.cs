namespace UserServices.Data.Mail;

/// <summary>
/// One mail to send, written in the same transaction as the change that calls for it and sent later by the
/// background sender. A row never carries a link's token: the sender mints it when it sends, so no usable secret
/// rests in this table.
/// </summary>
public class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>Which mail (see the Api's <c>MailKind</c>): the template and, for links, the token's purpose.</summary>
    public required string Kind { get; set; }

    /// <summary>The address the mail goes to; for a reset request, the address typed into the form.</summary>
    public required string Recipient { get; set; }

    /// <summary>The account the mail is about, when the request knew it (not for a reset request).</summary>
    public int? UserId { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// The client address and user agent of the request that asked for the mail, for the audit event the sender
    /// writes when it finds the account (the sender itself has no request).
    /// </summary>
    public string? RequesterIp { get; set; }

    /// <inheritdoc cref="RequesterIp"/>
    public string? RequesterUserAgent { get; set; }

    /// <summary>Not tried before this time: the backoff after a failed attempt.</summary>
    public DateTime AvailableAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>The sender that claimed the row, and until when; another replica may take it over after that.</summary>
    public Guid? LeaseId { get; set; }

    public DateTime? LeasedUntil { get; set; }

    /// <summary>When the row was finished with: sent, nothing to send, or given up.</summary>
    public DateTime? DoneAt { get; set; }

    /// <summary><c>sent</c>, <c>skipped</c> (no such account, nothing to say any more) or <c>failed</c> (attempts used up).</summary>
    public string? Outcome { get; set; }

    /// <summary>The last delivery error, without addresses or tokens.</summary>
    public string? LastError { get; set; }
}
