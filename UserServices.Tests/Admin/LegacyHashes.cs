namespace UserServices.Tests.Admin;

/// <summary>
/// Hashes made by other bcrypt implementations than BCrypt.Net, recorded once:
/// passlib 1.7.4 (<c>/usr/bin/python3 -c 'from passlib.hash import bcrypt; print(bcrypt.using(rounds=12).hash(pw))'</c>),
/// pyca bcrypt 3.2.2 (<c>bcrypt.hashpw(pw, bcrypt.gensalt(4))</c>) and Apache's <c>htpasswd -nbB -C 10</c>.
/// </summary>
public static class LegacyHashes
{
    public const string AlicePassword = "old python password 1";
    public const string AliceHash = "$2b$12$YVLIJAh75g7d8LV7CGQul.ZDtgKxOW0VmdTcQmKfY9Ww2c4TfHXr.";            // passlib, cost 12
    public const string BobPassword = "Bob's first password";
    public const string BobHash = "$2b$12$ZSGR3zMEFe/qrSwKepcJF.6TRhk2I/r9GJj.CWAo9Q53VGZOpuUk6";              // passlib, cost 12
    public const string LowerBobPassword = "lower bob password";
    public const string LowerBobHash = "$2b$12$wLdo0qeH5AeSQt801Pjqx.WqTb95mMd2B95gdFN3rwu41OV/OTm5G";         // passlib, cost 12
    public const string CarolPassword = "htpasswd made this";
    public const string CarolHash = "$2y$10$JL/eFih7E62owQqPKbkQU.t9bbbKeRe.CMq0VNrnJ2KxPHAzHJ1BW";            // htpasswd -B, $2y$
    public const string CheapPassword = "cheap old hash pw";
    public const string CheapHash = "$2b$04$JhVHMCU8dThsetgGKcOKv.4MN7igjBFWeuMBS6diCtw0uIeTu47WK";            // pyca bcrypt, cost 4
    public const string SpacedPassword = "spaced user pässword";
    public const string SpacedHash = "$2b$04$YuR422M0Yn5v7heknV/vjO5gU7H7.Rn9OdlTe2Lulg653OCqNTZUu";           // pyca bcrypt, cost 4, UTF-8
    public const string NoEmailPassword = "no email password";
    public const string NoEmailHash = "$2b$04$PkO0m.RtbgqJB.JvnP/MS.ZQspPEXMutpJqKsuGe2w0Pb0Nj/xxGG";          // pyca bcrypt, cost 4
    public const string DjangoHash = "pbkdf2_sha256$260000$c2FsdHNhbHQ$8Q0bTj6xk2r9yq4ZyqvR3y1yYt3VZkq9m2v6y0s1p2A=";
}
