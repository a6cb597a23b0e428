namespace UserServices.Api.Admin.LegacyImport;

/// <summary>A row of the old service's table as read; every field as loose as the source can make it.</summary>
internal sealed record LegacyRow(long Id, string? UserName, string? Email, string? PasswordHash);
