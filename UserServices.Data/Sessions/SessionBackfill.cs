namespace UserServices.Data.Sessions;

/// <summary>
/// The <c>Sessions</c> migration of each provider gives every refresh-token family that exists when it runs its
/// session row, so nobody is signed out by the upgrade: created at its first token, last used at its latest, ended
/// when every token of it was revoked. Plain SQL both PostgreSQL and SQLite run; frozen with those migrations.
/// </summary>
public static class SessionBackfill
{
    public const string Sql = """
        INSERT INTO "Sessions" ("Id", "UserId", "CreatedAt", "LastUsedAt", "ExpiresAt", "AbsoluteExpiresAt", "AuthTime", "AuthMethods", "ClientId", "EndedAt", "EndCause")
        SELECT "FamilyId", MIN("UserId"), MIN("IssuedAt"), MAX("IssuedAt"), MAX("ExpiresAt"), MAX("FamilyExpiresAt"), MIN("AuthTime"), 'pwd', MAX("ClientId"),
               CASE WHEN COUNT("RevokedAt") = COUNT(*) THEN MAX("RevokedAt") END,
               CASE WHEN COUNT("RevokedAt") = COUNT(*) THEN 'revoked' END
        FROM "RefreshTokens"
        GROUP BY "FamilyId";
        """;
}
