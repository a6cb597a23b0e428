using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UserServices.Api.Audit;
using UserServices.Data;
using UserServices.Data.Passkeys;

namespace UserServices.Api.Passkeys;

/// <summary>An account's passkeys, listed, renamed and removed, by their person or by an admin (the audit log says which).</summary>
public sealed class AccountPasskeys(UserServicesDbContext db, AuditLog audit)
{
    /// <summary>The account's passkeys, oldest first; null when there is no account <paramref name="userId"/>.</summary>
    public async Task<PasskeyList?> ListAsync(int userId, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            return null;
        }

        var rows = await db.UserPasskeys.AsNoTracking().Where(p => p.UserId == userId)
            .Select(p => new { Passkey = p, LastUsedAt = EF.Property<DateTime?>(p, PasskeyColumns.LastUsedAt) })
            .ToListAsync(cancellationToken);
        return new PasskeyList([.. rows.Select(r => PasskeyView.Of(r.Passkey, r.LastUsedAt)).OrderBy(v => v.CreatedAt)]);
    }

    /// <summary>Renames the passkey; false when the account has none with this id.</summary>
    public async Task<bool> RenameAsync(int userId, string id, string name, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, id, cancellationToken) is not { } passkey)
        {
            return false;
        }

        var old = passkey.Data.Name;
        passkey.Data.Name = name;
        audit.AddTo(db, audit.Event(AuditActions.PasskeyRenamed, userId, await UserNameAsync(userId, cancellationToken), $"passkey {id}: '{old}' → '{name}'"));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Removes the passkey (it can sign in no more); false when the account has none with this id.</summary>
    public async Task<bool> RemoveAsync(int userId, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, id, cancellationToken) is not { } passkey)
        {
            return false;
        }

        db.UserPasskeys.Remove(passkey);
        audit.AddTo(db, audit.Event(AuditActions.PasskeyRemoved, userId, await UserNameAsync(userId, cancellationToken), $"passkey {id} '{passkey.Data.Name}'"));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Removed by a concurrent request: this one removed nothing, and its event is not written.
            return false;
        }

        return true;
    }

    private async Task<IdentityUserPasskey<int>?> FindAsync(int userId, string id, CancellationToken cancellationToken)
    {
        if (id.Length > PasskeyIds.MaxEncodedLength || PasskeyIds.Decode(id) is not { } credentialId)
        {
            return null;
        }

        return await db.UserPasskeys.SingleOrDefaultAsync(p => p.UserId == userId && p.CredentialId == credentialId, cancellationToken);
    }

    private async Task<string?> UserNameAsync(int userId, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.UserName).SingleOrDefaultAsync(cancellationToken);
}
