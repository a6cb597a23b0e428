namespace UserServices.Api.Passkeys;

/// <summary>
/// The relying party passkeys are made for (WebAuthn §5.1.2, §13.4.9). Off until a relying-party id is known: a passkey
/// is bound to that domain for good, so the service never guesses it from a request's Host header.
/// </summary>
public sealed class PasskeyOptions
{
    public const string Section = "Passkeys";

    /// <summary>
    /// The relying-party id: a registrable domain the origins below are on (e.g. <c>example.com</c>, or <c>localhost</c>).
    /// Unset: the host of <c>Jwt:PublicBaseUrl</c> (<c>PUBLIC_BASE_URL</c>); neither set: passkeys are off.
    /// </summary>
    public string? ServerDomain { get; set; }

    /// <summary>
    /// The origins a ceremony may come from: web origins (<c>https://app.example.com</c>; <c>http</c> only for
    /// <c>localhost</c>) and Android apps (<c>android:apk-key-hash:…</c>). Empty: the origin of <c>PUBLIC_BASE_URL</c>
    /// when the relying-party id came from it, else <c>https://</c> + <see cref="ServerDomain"/>.
    /// </summary>
    public string[] Origins { get; set; } = [];

    /// <summary>The relying party's name an authenticator may show; unset: <see cref="ServerDomain"/>.</summary>
    public string? ServerName { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(ServerDomain);
}
