using Microsoft.AspNetCore.Identity;

namespace UserServices.Data.Users;

/// <summary>An account. Integer ids keep the original service's contract (<c>"id": 1</c>) and its stored ids.</summary>
public class User : IdentityUser<int>
{
    /// <summary>
    /// UTC. Set when the object is made, so registration, seeding and the legacy import all record it; null for
    /// accounts older than the column (SQLite cannot add a column whose default is the current time).
    /// </summary>
    public DateTime? CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>UTC time of the last successful password login, if any.</summary>
    public DateTime? LastLoginAt { get; set; }

    /// <summary>
    /// Set by the upgrade that keyed email addresses by their UTS #46 domain, when this account's address turned out
    /// to name the same mailbox as the account with this id's; both were kept for an admin to settle.
    /// </summary>
    public int? EmailCollidesWithId { get; set; }
}
