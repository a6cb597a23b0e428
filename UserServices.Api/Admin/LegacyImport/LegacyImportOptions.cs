namespace UserServices.Api.Admin.LegacyImport;

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
