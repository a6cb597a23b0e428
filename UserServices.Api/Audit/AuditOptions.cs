using System.ComponentModel.DataAnnotations;

namespace UserServices.Api.Audit;

public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Events older than this are deleted by the hourly cleanup.</summary>
    [Range(1, 36500, ErrorMessage = "Audit:RetentionDays must be between 1 and 36500.")]
    public int RetentionDays { get; set; } = 90;
}
