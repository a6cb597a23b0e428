using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using UserServices.Api.Database;

namespace UserServices.Api.Admin.LegacyImport;

/// <summary>
/// The old service's table read with plain ADO.NET on PostgreSQL or SQLite: no model of it exists here, and the
/// rows are taken as loosely typed as the source stores them.
/// </summary>
internal sealed partial class LegacySourceReader : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly string _quotedTable;

    private LegacySourceReader(DbConnection connection, string quotedTable) =>
        (_connection, _quotedTable) = (connection, quotedTable);

    public static async Task<LegacySourceReader> OpenAsync(string sourceUrl, string table, CancellationToken cancellationToken)
    {
        var quotedTable = QuoteTableName(table);
        var connection = Connect(DatabaseUrl.Parse(sourceUrl));
        try
        {
            await connection.OpenAsync(cancellationToken);
            return new LegacySourceReader(connection, quotedTable);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>users</c> or <c>schema.users</c>: the only names the table is ever interpolated into SQL as.</summary>
    public static bool IsTableName(string table) => TableName().IsMatch(table);

    public async Task<(long Count, long MaxId)> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
#pragma warning disable CA2100 // The table name is checked against IsTableName's pattern and quoted.
        command.CommandText = $"SELECT COUNT(*), MAX(id) FROM {_quotedTable}";
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
            reader.IsDBNull(1) ? 0 : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    /// <summary>The next rows after <paramref name="after"/> in id order: keyset paging, no long-held cursor.</summary>
    public async Task<IReadOnlyList<LegacyRow>> ReadBatchAsync(long after, int size, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
#pragma warning disable CA2100 // The table name is checked against IsTableName's pattern and quoted.
        command.CommandText = $"SELECT id, username, email, hash_password FROM {_quotedTable} WHERE id > @after ORDER BY id LIMIT {size}";
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

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static DbConnection Connect(DatabaseUrl url) => url.Provider switch
    {
        DatabaseProvider.Postgres => new NpgsqlConnection(url.ConnectionString),
        DatabaseProvider.Sqlite => new SqliteConnection(url.ConnectionString + ";Mode=ReadOnly"),
        _ => throw new ArgumentOutOfRangeException(nameof(url), url.Provider, "Unknown database provider."),
    };

    /// <summary>Double-quoted, so that the name is taken as stored (case-sensitive) rather than folded.</summary>
    private static string QuoteTableName(string table) => IsTableName(table)
        ? string.Join('.', table.Split('.').Select(part => $"\"{part}\""))
        : throw new ArgumentException($"'{table}' is not a table name (letters, digits and '_', optionally schema.table).", nameof(table));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$")]
    private static partial Regex TableName();
}
