namespace UserServices.Api.Database;

public enum DatabaseProvider
{
    Postgres,
    Sqlite,
}
