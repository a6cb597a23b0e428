using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Admin.LegacyImport;

/// <summary>
/// The target's accounts as far as one check knows them: those loaded for the batch, plus the ones admitted
/// since. Conflicts are decided on normalized names and emails, as Identity's unique indexes decide them.
/// </summary>
/// <param name="readsTarget">False for a target without a schema yet (a dry run's): it holds no accounts to load.</param>
internal sealed class KnownAccounts(ILookupNormalizer normalizer, bool readsTarget = true)
{
    private readonly Dictionary<int, Known> _byId = [];
    private readonly Dictionary<string, Known> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Known> _byEmail = new(StringComparer.Ordinal);

    /// <summary>One query for every account that shares an id, a username or an email with the candidates.</summary>
    public async Task LoadAsync(UserServicesDbContext db, IReadOnlyCollection<User> candidates, CancellationToken cancellationToken)
    {
        if (!readsTarget)
        {
            return;
        }

        var ids = candidates.Select(u => u.Id).ToList();
        var names = candidates.Select(u => u.NormalizedUserName!).ToList();
        var emails = candidates.Select(u => u.NormalizedEmail).OfType<string>().ToList();
        var existing = await db.Users.AsNoTracking()
            .Where(u => ids.Contains(u.Id) || names.Contains(u.NormalizedUserName!) || emails.Contains(u.NormalizedEmail!))
            .Select(u => new { u.Id, u.UserName, u.NormalizedUserName, u.NormalizedEmail })
            .ToListAsync(cancellationToken);
        foreach (var user in existing)
        {
            Remember(user.Id, user.UserName, user.NormalizedUserName, user.NormalizedEmail);
        }
    }

    /// <summary>
    /// Imported when nothing known claims the account's id, username or email, and from then on known itself, so
    /// that a later row of the same run conflicts with it as it would with a committed one.
    /// </summary>
    public LegacyRowOutcome Admit(TriagedRow.ToImport candidate)
    {
        var (row, user) = (candidate.Row, candidate.User);
        if (_byId.TryGetValue(user.Id, out var sameId))
        {
            return normalizer.NormalizeName(sameId.UserName) == user.NormalizedUserName
                ? new LegacyRowOutcome.AlreadyPresent(row)
                : new LegacyRowOutcome.Conflicting(row, $"id {user.Id} already belongs to a different user {LegacyImportReport.Show(sameId.UserName)}");
        }

        if (_byName.TryGetValue(user.NormalizedUserName!, out var sameName))
        {
            return new LegacyRowOutcome.Conflicting(row,
                $"username is taken (ignoring case) by user id {sameName.Id} {LegacyImportReport.Show(sameName.UserName)}");
        }

        if (user.NormalizedEmail is { } email && _byEmail.TryGetValue(email, out var sameEmail))
        {
            return new LegacyRowOutcome.Conflicting(row,
                $"email {LegacyImportReport.Show(user.Email)} is taken (ignoring case) by user id {sameEmail.Id} {LegacyImportReport.Show(sameEmail.UserName)}");
        }

        Remember(user.Id, user.UserName, user.NormalizedUserName, user.NormalizedEmail);
        return new LegacyRowOutcome.Imported(row, candidate.Warnings);
    }

    private void Remember(int id, string? userName, string? normalizedUserName, string? normalizedEmail)
    {
        var known = new Known(id, userName);
        _byId.TryAdd(id, known);
        if (normalizedUserName is not null)
        {
            _byName.TryAdd(normalizedUserName, known);
        }

        if (normalizedEmail is not null)
        {
            _byEmail.TryAdd(normalizedEmail, known);
        }
    }

    private sealed record Known(int Id, string? UserName);
}
