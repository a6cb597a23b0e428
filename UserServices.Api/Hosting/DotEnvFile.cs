namespace UserServices.Api.Hosting;

public static class DotEnvFile
{
    /// <summary>
    /// Loads <c>.env</c> into the environment, without overriding variables that are already set, so the precedence
    /// is: real environment, then .env, then appsettings. Returns the file read, if any.
    /// </summary>
    public static string? Load()
    {
        if (Find(Directory.GetCurrentDirectory()) is not { } file)
        {
            return null;
        }

        DotNetEnv.Env.NoClobber().Load(file);
        return file;
    }

    /// <summary>
    /// The working directory's <c>.env</c>; when it has none, the one at the root of the source tree it lies in (the
    /// nearest folder above holding a solution file). <c>dotnet run --project UserServices.Api</c> runs in the
    /// project's folder, while <c>.env.example</c> — and so the operator's <c>.env</c> — sits at the repository root.
    /// A published program has no solution file above it, so only its working directory counts.
    /// </summary>
    internal static string? Find(string workingDirectory)
    {
        var here = Path.Combine(workingDirectory, ".env");
        if (File.Exists(here))
        {
            return here;
        }

        try
        {
            for (var folder = Directory.GetParent(workingDirectory); folder is not null; folder = folder.Parent)
            {
                if (folder.EnumerateFiles("*.sln").Any() || folder.EnumerateFiles("*.slnx").Any())
                {
                    var atRoot = Path.Combine(folder.FullName, ".env");
                    return File.Exists(atRoot) ? atRoot : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder above that cannot be listed ends the search: there is no source tree to find.
        }

        return null;
    }
}
