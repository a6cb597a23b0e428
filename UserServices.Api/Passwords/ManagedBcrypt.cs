namespace UserServices.Api.Passwords;

/// <summary>BCrypt.Net-Next: portable managed code, the reference the native backend is checked against.</summary>
public sealed class ManagedBcrypt : IBcrypt
{
    public string Name => "managed (BCrypt.Net-Next)";

    public string Hash(string password, int workFactor) =>
        BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(workFactor, 'b'));

    public string? Compute(string password, string setting)
    {
        try
        {
            return BCrypt.Net.BCrypt.HashPassword(password, setting);
        }
        catch (Exception e) when (e is BCrypt.Net.SaltParseException or ArgumentException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
