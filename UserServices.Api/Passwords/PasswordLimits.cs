namespace UserServices.Api.Passwords;

/// <summary>How long a password field may be before it is refused unread; bcrypt itself reads at most 72 bytes.</summary>
public static class PasswordLimits
{
    /// <summary>Far above any real password, low enough that a megabyte "password" costs nothing to refuse.</summary>
    public const int MaxFieldLength = 1024;
}
