using UserServices.Data.Users;

namespace UserServices.Data.Mfa;

/// <summary>
/// One unspent recovery code of an account, kept only as its SHA-256. Spending it deletes the row (one conditional
/// DELETE, so two uses of one code at once have one winner); regenerating replaces them all.
/// </summary>
public class RecoveryCode
{
    public long Id { get; set; }

    public int UserId { get; set; }

    public User? User { get; set; }

    /// <summary>Lower-case hex SHA-256 of the code in its canonical form (upper case, no dashes).</summary>
    public required string CodeHash { get; set; }

    public DateTime CreatedAt { get; set; }
}
