using System.ComponentModel.DataAnnotations;

namespace UserServices.Api.Sessions;

public sealed class RefreshTokenOptions
{
    public const string Section = "RefreshTokens";

    /// <summary>A family (one sign-in and all its rotations) ends this long after the password login, used or not.</summary>
    [Range(1, 365, ErrorMessage = "RefreshTokens:AbsoluteLifetimeDays must be between 1 and 365.")]
    public double AbsoluteLifetimeDays { get; set; } = 14;

    /// <summary>A refresh token not used within this long is dead.</summary>
    [Range(0.001, 365, ErrorMessage = "RefreshTokens:IdleLifetimeDays must be between 0.001 and 365.")]
    public double IdleLifetimeDays { get; set; } = 7;

    /// <summary>
    /// A token presented again this soon after its rotation (a client retrying after a timeout, two tabs, two
    /// replicas answering one request twice) gets the same successor instead of being taken as stolen; later,
    /// reuse still ends the session. 0 turns the grace off.
    /// </summary>
    [Range(0, 300, ErrorMessage = "RefreshTokens:ReuseIntervalSeconds must be between 0 and 300.")]
    public int ReuseIntervalSeconds { get; set; } = 10;
}
