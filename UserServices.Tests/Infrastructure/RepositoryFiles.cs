namespace UserServices.Tests.Infrastructure;

/// <summary>The repository's own files (the Containerfile, <c>deploy/</c>), found upward from the test assembly's folder.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "UserServices.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No UserServices.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>The folder holding <c>UserServices.sln</c>.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>A path relative to the repository's top folder, written with <c>/</c>.</summary>
    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));
}
