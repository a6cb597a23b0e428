namespace UserServices.Api.Users;

/// <summary>The caller's account as the bearer check found it; absent when the token's user no longer exists.</summary>
public sealed class CurrentAccount
{
    public Account? Account { get; set; }
}
