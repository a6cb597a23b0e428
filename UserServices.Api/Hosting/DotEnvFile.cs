namespace UserServices.Api.Hosting;

public static class DotEnvFile
{
    /// <summary>
    /// Loads <c>.env</c> from the working directory into the environment, without overriding variables that are
    /// already set, so the precedence is: real environment, then .env, then appsettings.
    /// </summary>
    public static void Load()
    {
        if (File.Exists(".env"))
        {
            DotNetEnv.Env.NoClobber().Load(".env");
        }
    }
}
