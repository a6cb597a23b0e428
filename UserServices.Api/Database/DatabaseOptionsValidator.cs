using Microsoft.Extensions.Options;

namespace UserServices.Api.Database;

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Url))
        {
            return string.IsNullOrWhiteSpace(options.SqlitePath)
                ? ValidateOptionsResult.Fail("Set DATABASE_URL (postgresql://user:password@host:port/database) or Database:SqlitePath.")
                : ValidateOptionsResult.Success;
        }

        return DatabaseUrl.TryParse(options.Url, out _, out var error)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(error!);
    }
}
