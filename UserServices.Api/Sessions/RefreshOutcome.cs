using UserServices.Data.Users;

namespace UserServices.Api.Sessions;

/// <summary>What presenting a refresh token led to: a rotation, or a refusal with the reason.</summary>
public abstract record RefreshOutcome
{
    public sealed record Rotated(User User, IssuedRefreshToken Next) : RefreshOutcome;

    public sealed record Refused(string Reason) : RefreshOutcome;
}
