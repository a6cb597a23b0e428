using System.Globalization;
using System.Text;

namespace LoadGen;

/// <summary>The sizing phases in the report: their rows, their figures, and the per-core and PostgreSQL tables of issue 26.</summary>
internal static class SizingReport
{
    /// <summary>Rows of the phase table.</summary>
    public static void Rows(StringBuilder text, Report report)
    {
        var sizing = report.Sizing;
        foreach (var (cost, _, logins) in sizing.CostLogins)
        {
            Report.Rows(text, Inv($"9. logins alone, bcrypt cost {cost}"), logins);
        }

        Report.Rows(text, "10. refreshes (one rotation chain per connection)", sizing.Refresh);
        Report.Rows(text, "11. introspections of access tokens", report.Introspection);
        Report.Rows(text, Inv($"12. MFA second steps ({sizing.Mfa.Loads[0].Sent} accounts, once each)"), sizing.Mfa);
    }

    /// <summary>Rows of the figures table (no targets: these are for planning).</summary>
    public static void Figures(StringBuilder text, Report report, int workFactor)
    {
        foreach (var (cost, verify, logins) in report.Sizing.CostLogins)
        {
            Report.Info(text, Inv($"9. bcrypt: one Verify at cost {cost}, one core (median of 9)"), Inv($"{verify * 1000:F1} ms"));
            Report.Info(text, Inv($"9. logins/s at cost {cost} ÷ ({Environment.ProcessorCount} cores ÷ verify time)"),
                Inv($"{logins.Loads[0].PerSecond / (Environment.ProcessorCount / verify):F2}"));
            BeyondBcrypt(text, Inv($"9. cost {cost}"), logins, verify);
        }

        BeyondBcrypt(text, Inv($"2. cost {workFactor}"), report.Login, report.VerifySeconds);

        Report.Info(text, "12. MFA setup of the accounts, warm-up ones too (register, sign in, enrol, confirm, password step)", Inv($"{report.Sizing.MfaSetup.TotalSeconds:F1} s"));
    }

    /// <summary>
    /// What a login costs the service besides its bcrypt: the lockout statement, the session and refresh-token rows, the
    /// audit row, JWT signing (issue 26 asks for it). The Verify time is the load generator's, timed alone; with other
    /// work on the machine (shared caches, hyper-threads) the service's bcrypt takes more, and this reads high.
    /// </summary>
    private static void BeyondBcrypt(StringBuilder text, string label, PhaseResult logins, double verifySeconds)
    {
        var beyond = logins.ServiceCpuMsPerRequest is { } ms ? Inv($"{ms - verifySeconds * 1000:F1} ms") : "—";
        Report.Info(text, Inv($"{label}: service CPU per login − one Verify"), beyond);
    }

    /// <summary>The sizing table: each operation's rate and what one costs the service's CPU, and PostgreSQL's work per login and refresh.</summary>
    public static void Tables(StringBuilder text, Report report, int workFactor)
    {
        var sizing = report.Sizing;
        text.AppendLine();
        text.AppendLine("## Sizing: service CPU per operation");
        text.AppendLine();
        text.AppendLine("Per service core = 1000 ÷ service CPU ms per request: what one core of the service process alone would serve (PostgreSQL and the load generator ran on the same cores and are not in it).");
        text.AppendLine();
        text.AppendLine("| Operation | Conns | Per second | Service CPU ms per request | Per service core per second |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (cost, _, logins) in sizing.CostLogins)
        {
            Operation(text, Inv($"password logins, bcrypt cost {cost}"), logins);
        }

        Operation(text, Inv($"password logins, bcrypt cost {workFactor} (phase 2)"), report.Login);
        Operation(text, "refreshes", sizing.Refresh);
        Operation(text, "client-credentials tokens, client_secret_basic (phase 7)", report.MachineSecret);
        Operation(text, "client-credentials tokens, private_key_jwt (phase 7)", report.MachineKey);
        Operation(text, "introspections (access tokens)", report.Introspection);
        Operation(text, "profile calls, GET /user/user (phase 1)", report.Profile);
        Operation(text, "MFA second steps (mfa-otp)", sizing.Mfa);
        Database(text, report.LoginDatabase, sizing.RefreshDatabase);
    }

    private static void Operation(StringBuilder text, string name, PhaseResult phase)
    {
        var load = phase.Loads[0];
        var ms = phase.ServiceCpuMsPerRequest;
        text.AppendLine(Inv($"| {name} | {load.Connections} | {load.PerSecond:F1} | {(ms is { } cpu ? Inv($"{cpu:F3}") : "—")} | {(ms is { } per ? Inv($"{1000 / per:F0}") : "—")} |"));
    }

    private static void Database(StringBuilder text, DatabaseUse login, DatabaseUse refresh)
    {
        text.AppendLine();
        text.AppendLine("## PostgreSQL per login and per refresh");
        text.AppendLine();
        text.AppendLine("Deltas of `pg_stat_database` (the bench database) and `pg_stat_statements` between two snapshots taken after 11 s without requests (PostgreSQL reports a backend's counts up to 10 s late), divided by every request the phase sent (warm-up, window and the answers after it).");
        text.AppendLine();
        text.AppendLine("| Per request | Login (phase 2) | Refresh (phase 10) |");
        text.AppendLine("|---|---:|---:|");
        Line("requests sent in the phase", use => Inv($"{use.Requests}"));
        Line("SQL statements of the service (SELECT, INSERT, UPDATE, DELETE; pg_stat_statements calls)", use => Number(use.DataStatements));
        Line("BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE", use => Number(use.ControlStatements));
        Line("connections returned to Npgsql's pool (each reset with DISCARD ALL or its parts)", use => Number(use.ConnectionResets));
        Line("reset statements (those parts: CLOSE ALL, DISCARD TEMP, RESET ALL, UNLISTEN *, …)", use => Number(use.ResetStatementCount));
        Line("transactions committed (xact_commit; a connection reset is one too)", use => Number(use.Commits));
        Line("transactions rolled back (xact_rollback)", use => Number(use.Rollbacks));
        Line("rows inserted", use => Number(use.Inserted));
        Line("rows updated", use => Number(use.Updated));
        Line("rows deleted", use => Number(use.Deleted));
        Line("rows written (all three)", use => Number(use.RowsWritten));
        Statements(text, "login", login);
        Statements(text, "refresh", refresh);

        void Line(string figure, Func<DatabaseUse, string> value) => text.AppendLine($"| {figure} | {value(login)} | {value(refresh)} |");
    }

    private static void Statements(StringBuilder text, string what, DatabaseUse use)
    {
        if (use.Statements is not { } statements)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine(Inv($"Statements per {what} (calls per request; pg_stat_statements' normalized text, cut at 160 characters):"));
        text.AppendLine();
        foreach (var (statement, perRequest) in statements)
        {
            var oneLine = string.Join(' ', statement.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
            text.AppendLine(Inv($"- {perRequest:F2} × `{(oneLine.Length <= 160 ? oneLine : oneLine[..160] + "…").Replace('`', '\'')}`"));
        }
    }

    private static string Number(double? value) => value is { } number ? Inv($"{number:F2}") : "—";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
