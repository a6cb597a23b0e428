using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace UserServices.Data.Users;

/// <summary>
/// The Identity schema version of this store, 3 (with Identity's passkey table): what the service configures, and
/// what a context made without the service is given (see <see cref="UserServicesDbContext"/>).
/// </summary>
public static class IdentitySchema
{
    public static readonly Version Version = IdentitySchemaVersions.Version3;

    /// <summary>Only <see cref="IdentityOptions"/>, with <see cref="Version"/>: what Identity's model reads.</summary>
    internal static IServiceProvider Services { get; } = new ServiceCollection()
        .Configure<IdentityOptions>(identity => identity.Stores.SchemaVersion = Version)
        .BuildServiceProvider();
}
