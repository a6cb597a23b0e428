using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using UserServices.Api.Database;
using UserServices.Api.Users;
using UserServices.Data;
using UserServices.Data.Users;

namespace UserServices.Api.Admin;

public sealed record LegacyImportOptions(
    string SourceUrl,
    string Table = LegacyImportOptions.DefaultTable,
    bool DryRun = false,
    int BatchSize = LegacyImportOptions.DefaultBatchSize,
    int ProgressEvery = 10_000)
{
    public const string DefaultTable = "users";
    public const int DefaultBatchSize = 1000;
}

/// <summary>Where every source row went: each is counted in exactly one of the four outcomes.</summary>
public sealed record LegacyImportSummary(
    long Rows, long Imported, long AlreadyPresent, long Conflicting, long Rejected, long ImportedWithWarnings, TimeSpan Elapsed)
{
    /// <summary>Every row is now in the new database (imported now or before).</summary>
    public bool Complete => Conflicting == 0 && Rejected == 0;

    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Copies the Python service's users (SQLModel table <c>users</c>: id, username, email, hash_password) into
/// Identity's <c>Users</c>, keeping ids and bcrypt hashes, one transaction per batch (issue 7).
/// </summary>
/// <remarks>
/// Never overwrites: a row whose id already holds the same username is "already present", a row that would
/// collide with a different account (id, username or email, ignoring case) is "conflicting" and reported, so a
/// second run changes nothing. Rows the new service cannot hold at all are "rejected"; rows it can hold but
/// would not accept at registration are imported with a warning (see <c>Prepare</c>).
/// </remarks>
public sealed partial class LegacyImport(IServiceProvider services, TextWriter output)
{
    // The Users.UserName / Email columns: Identity's default of 256 characters.
    private const int MaxColumnLength = 256;

    public async Task<LegacyImportSummary> RunAsync(LegacyImportOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        var table = QuotedTableName(options.Table);
        var clock = Stopwatch.StartNew();
        await using var source = OpenSource(DatabaseUrl.Parse(options.SourceUrl));
        await source.OpenAsync(cancellationToken);
        var (total, maxId) = await CountAsync(source, table, cancellationToken);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UserServicesDbContext>();
        var run = new Run(
            options,
            db,
            scope.ServiceProvider.GetRequiredService<ILookupNormalizer>(),
            scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>().Value.User.AllowedUserNameCharacters,
            await db.Roles.Where(r => r.Name == Role.Member).Select(r => r.Id).SingleAsync(cancellationToken));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(options.DryRun ? "Dry run: reading" : "Importing")} {total:N0} rows from {options.Table} into Users, {options.BatchSize:N0} per transaction."));
        if (!options.DryRun)
        {
            // First, so that registrations while the import runs cannot take an id a legacy user still needs.
            await AdvanceIdSequenceAsync(db, maxId, cancellationToken);
        }

        var after = long.MinValue;
        var nextProgress = (long)options.ProgressEvery;
        while (true)
        {
            var batch = await ReadBatchAsync(source, table, after, options.BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            after = batch[^1].Id;
            await run.ImportBatchAsync(batch, output, cancellationToken);
            if (run.Rows >= nextProgress)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {run.Rows:N0}/{total:N0} rows, {run.Rows / clock.Elapsed.TotalSeconds:N0} rows/s"));
                nextProgress = (run.Rows / options.ProgressEvery + 1) * options.ProgressEvery;
            }
        }

        if (!options.DryRun)
        {
            // Again, with the highest id actually read: the old service may have added users meanwhile.
            await AdvanceIdSequenceAsync(db, Math.Max(maxId, after), cancellationToken);
        }

        var summary = new LegacyImportSummary(
            run.Rows, run.Imported, run.AlreadyPresent, run.Conflicting, run.Rejected, run.ImportedWithWarnings, clock.Elapsed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(options.DryRun ? "Dry run, nothing written: would import" : "Imported")} {summary.Imported:N0}, already present {summary.AlreadyPresent:N0}, " +
            $"conflicting {summary.Conflicting:N0}, rejected {summary.Rejected:N0} ({summary.Rows:N0} rows in {summary.Elapsed.TotalSeconds:N1} s, " +
            $"{summary.RowsPerSecond:N0} rows/s; {summary.ImportedWithWarnings:N0} imported with warnings)."));
        return summary;
    }

    /// <summary>A legacy row as read; every field as loose as the source can make it.</summary>
    internal sealed record LegacyRow(long Id, string? UserName, string? Email, string? PasswordHash);

    private sealed record Prepared(LegacyRow Row, User? User, string? Rejection, IReadOnlyList<string> Warnings);

    private sealed record Known(int Id, string? UserName);

    /// <summary>The state of one run: what the target holds as far as this run knows, and the counts.</summary>
    private sealed class Run(LegacyImportOptions options, UserServicesDbContext db, ILookupNormalizer normalizer, string allowedUserNameCharacters, int memberRoleId)
    {
        private const int Attempts = 3;

        // Accounts of the target seen by this run. A real run keeps them per batch (earlier batches are committed
        // and found by the query); a dry run writes nothing, so it remembers its would-be imports across batches.
        private Dictionary<int, Known> _byId = [];
        private Dictionary<string, Known> _byName = new(StringComparer.Ordinal);
        private Dictionary<string, Known> _byEmail = new(StringComparer.Ordinal);

        public long Rows { get; private set; }
        public long Imported { get; private set; }
        public long AlreadyPresent { get; private set; }
        public long Conflicting { get; private set; }
        public long Rejected { get; private set; }
        public long ImportedWithWarnings { get; private set; }

        public async Task ImportBatchAsync(IReadOnlyList<LegacyRow> rows, TextWriter output, CancellationToken cancellationToken)
        {
            var prepared = rows.Select(Prepare).ToList();
            for (var attempt = 1; ; attempt++)
            {
                if (!options.DryRun)
                {
                    (_byId, _byName, _byEmail) = ([], new(StringComparer.Ordinal), new(StringComparer.Ordinal));
                }

                try
                {
                    await ImportOnceAsync(prepared, output, cancellationToken);
                    return;
                }
                catch (DbUpdateException e) when (e.IsUniqueViolation() && attempt < Attempts)
                {
                    // A registration took a username or email of this batch between our check and our insert; the
                    // transaction rolled back, so check the batch again: that row is now a conflict.
                    db.ChangeTracker.Clear();
                }
            }
        }

        private async Task ImportOnceAsync(List<Prepared> batch, TextWriter output, CancellationToken cancellationToken)
        {
            await using var transaction = options.DryRun ? null : await db.Database.BeginTransactionAsync(cancellationToken);
            await LoadExistingAsync(batch, cancellationToken);
            var lines = new List<string>();
            var (imported, present, conflicting, rejected, warned) = (0, 0, 0, 0, 0);
            foreach (var row in batch)
            {
                if (row.User is not { } user)
                {
                    rejected++;
                    lines.Add($"rejected: row id {row.Row.Id} {Show(row.Row.UserName)}: {row.Rejection}");
                    continue;
                }

                if (Conflict(user) is { } conflict)
                {
                    if (conflict.Length == 0)
                    {
                        present++;
                    }
                    else
                    {
                        conflicting++;
                        lines.Add($"conflict: row id {user.Id} {Show(user.UserName)}: {conflict}; not imported");
                    }

                    continue;
                }

                imported++;
                Remember(user);
                lines.AddRange(row.Warnings.Select(w => $"warning: row id {user.Id} {Show(user.UserName)}: {w}"));
                warned += row.Warnings.Count > 0 ? 1 : 0;
                if (!options.DryRun)
                {
                    db.Users.Add(user);
                    db.UserRoles.Add(new IdentityUserRole<int> { UserId = user.Id, RoleId = memberRoleId });
                }
            }

            if (transaction is not null)
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }

            // Reported and counted only once the batch is committed, so a retried batch is not counted twice.
            foreach (var line in lines)
            {
                output.WriteLine(line);
            }

            Rows += batch.Count;
            Imported += imported;
            AlreadyPresent += present;
            Conflicting += conflicting;
            Rejected += rejected;
            ImportedWithWarnings += warned;
        }

        /// <summary>Null: free to import. Empty: this very user is already there. Otherwise: why not.</summary>
        private string? Conflict(User user)
        {
            if (_byId.TryGetValue(user.Id, out var sameId))
            {
                return normalizer.NormalizeName(sameId.UserName) == user.NormalizedUserName
                    ? ""
                    : $"id {user.Id} already belongs to a different user {Show(sameId.UserName)}";
            }

            if (_byName.TryGetValue(user.NormalizedUserName!, out var sameName))
            {
                return $"username is taken (ignoring case) by user id {sameName.Id} {Show(sameName.UserName)}";
            }

            return user.NormalizedEmail is { } email && _byEmail.TryGetValue(email, out var sameEmail)
                ? $"email {Show(user.Email)} is taken (ignoring case) by user id {sameEmail.Id} {Show(sameEmail.UserName)}"
                : null;
        }

        private void Remember(User user) => Remember(user.Id, user.UserName, user.NormalizedUserName, user.NormalizedEmail);

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

        /// <summary>One query for every account that shares an id, a username or an email with the batch.</summary>
        private async Task LoadExistingAsync(List<Prepared> batch, CancellationToken cancellationToken)
        {
            var users = batch.Select(p => p.User).OfType<User>().ToList();
            var ids = users.Select(u => u.Id).ToList();
            var names = users.Select(u => u.NormalizedUserName!).ToList();
            var emails = users.Select(u => u.NormalizedEmail).OfType<string>().ToList();
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
        /// Turns a legacy row into an account, or says why it cannot be one. The decisions (README, "Moving from
        /// the Python service"):
        /// <list type="bullet">
        /// <item>no username, or one longer than the column, or an id outside 1..int.MaxValue: rejected;</item>
        /// <item>a username registration would refuse (spaces, other characters): imported as is, with a warning —
        /// login never re-validates it, and <see cref="ChangedFieldsUserValidator"/> lets Identity save the account;</item>
        /// <item>an empty email: imported without one (NULL; PostgreSQL's unique index lets NULLs repeat), the profile
        /// shows <c>""</c> as the old service did; an email registration would refuse: kept as is, with a warning; one
        /// longer than the column: dropped, with a warning;</item>
        /// <item>a hash that is not bcrypt (<c>$2a$</c>/<c>$2b$</c>/<c>$2y$</c>, cost 04–31, 53 characters): imported
        /// without a password (NULL), with a warning. Such a hash can never verify here, so keeping it would only
        /// disguise an account nobody can log in to; importing the account keeps its id and reserves its username.</item>
        /// </list>
        /// </summary>
        private Prepared Prepare(LegacyRow row)
        {
            if (row.Id is < 1 or > int.MaxValue)
            {
                return new Prepared(row, null, $"id {row.Id} is outside 1..{int.MaxValue}", []);
            }

            if (string.IsNullOrWhiteSpace(row.UserName))
            {
                return new Prepared(row, null, "username is empty", []);
            }

            if (row.UserName.Length > MaxColumnLength)
            {
                return new Prepared(row, null, $"username is longer than {MaxColumnLength} characters", []);
            }

            var warnings = new List<string>();
            if (row.UserName.Any(c => !allowedUserNameCharacters.Contains(c)))
            {
                warnings.Add("username has characters registration refuses; imported as is (login accepts it)");
            }

            var email = row.Email;
            if (string.IsNullOrWhiteSpace(email))
            {
                email = null;
                warnings.Add("email is empty; imported without an email");
            }
            else if (email.Length > MaxColumnLength)
            {
                email = null;
                warnings.Add($"email is longer than {MaxColumnLength} characters; imported without an email");
            }
            else if (!AccountFieldsValidator.IsAcceptableEmail(email))
            {
                warnings.Add($"email {Show(email)} is not an address registration accepts; imported as is");
            }

            var hash = row.PasswordHash;
            if (hash is null || !BcryptHash().IsMatch(hash))
            {
                hash = null;
                warnings.Add("password hash is not bcrypt; imported without a password (the user cannot log in until one is set)");
            }

            var user = new User
            {
                Id = (int)row.Id,
                UserName = row.UserName,
                NormalizedUserName = normalizer.NormalizeName(row.UserName),
                Email = email,
                NormalizedEmail = email is null ? null : normalizer.NormalizeEmail(email),
                PasswordHash = hash,
                LockoutEnabled = true,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
            };
            return new Prepared(row, user, null, warnings);
        }
    }

    /// <summary>Moves the Users id sequence past <paramref name="maxId"/>, never backwards.</summary>
    private static async Task AdvanceIdSequenceAsync(UserServicesDbContext db, long maxId, CancellationToken cancellationToken)
    {
        // SQLite needs nothing: an AUTOINCREMENT key continues after the largest id ever inserted, explicit ones included.
        if (maxId < 1 || !db.Database.IsNpgsql())
        {
            return;
        }

        await db.Database.ExecuteSqlAsync($"""
            SELECT setval(s.name, GREATEST({maxId}, (SELECT COALESCE(MAX("Id"), 0) FROM "Users"), COALESCE(pg_sequence_last_value(s.name::regclass), 0)))
            FROM (SELECT pg_get_serial_sequence('"Users"', 'Id') AS name) AS s
            """, cancellationToken);
    }

    private static DbConnection OpenSource(DatabaseUrl url) => url.Provider switch
    {
        DatabaseProvider.Postgres => new NpgsqlConnection(url.ConnectionString),
        DatabaseProvider.Sqlite => new SqliteConnection(url.ConnectionString + ";Mode=ReadOnly"),
        _ => throw new ArgumentOutOfRangeException(nameof(url), url.Provider, "Unknown database provider."),
    };

    private static async Task<(long Count, long MaxId)> CountAsync(DbConnection source, string table, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand();
#pragma warning disable CA2100 // The table name is checked against QuotedTableName's pattern and quoted.
        command.CommandText = $"SELECT COUNT(*), MAX(id) FROM {table}";
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
            reader.IsDBNull(1) ? 0 : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    /// <summary>The next rows after <paramref name="after"/> in id order: keyset paging, no long-held cursor.</summary>
    private static async Task<List<LegacyRow>> ReadBatchAsync(DbConnection source, string table, long after, int size, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand();
#pragma warning disable CA2100 // The table name is checked against QuotedTableName's pattern and quoted.
        command.CommandText = $"SELECT id, username, email, hash_password FROM {table} WHERE id > @after ORDER BY id LIMIT {size}";
#pragma warning restore CA2100
        var parameter = command.CreateParameter();
        parameter.ParameterName = "after";
        parameter.Value = after;
        command.Parameters.Add(parameter);
        var rows = new List<LegacyRow>(size);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new LegacyRow(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows;
    }

    /// <summary><c>users</c> or <c>schema.users</c>, as stored (case-sensitive), double-quoted for SQL.</summary>
    internal static string QuotedTableName(string table)
    {
        if (!TableName().IsMatch(table))
        {
            throw new ArgumentException($"--table '{table}' is not a table name (letters, digits and '_', optionally schema.table).", nameof(table));
        }

        return string.Join('.', table.Split('.').Select(part => $"\"{part}\""));
    }

    /// <summary>A value for a report line: quoted, control characters made visible.</summary>
    private static string Show(string? value) =>
        value is null ? "(none)" : $"'{new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray())}'";

    [GeneratedRegex(@"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$")]
    private static partial Regex BcryptHash();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$")]
    private static partial Regex TableName();
}
