namespace UserServices.Api.Passwords;

/// <summary>Which bcrypt implementation <c>Passwords:Backend</c> asks for.</summary>
public enum BcryptBackend
{
    /// <summary>Native when libxcrypt is there and passes the self-test, managed otherwise.</summary>
    Auto,
    Native,
    Managed,
}
