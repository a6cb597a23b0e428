using Microsoft.Extensions.Options;
using UserServices.Api.Auth;

namespace UserServices.Api.Configuration;

public static class StartupConfiguration
{
    /// <summary>
    /// Loads <c>.env</c> from the working directory into the environment, without overriding variables that are
    /// already set, so the precedence is: real environment, then .env, then appsettings.
    /// </summary>
    public static void LoadDotEnvFile()
    {
        if (File.Exists(".env"))
        {
            DotNetEnv.Env.NoClobber().Load(".env");
        }
    }

    /// <summary>
    /// Runs the options validation that the host would run at start, but reports each problem as one line and
    /// returns false instead of failing with a stack trace.
    /// </summary>
    public static bool ConfigurationIsValid(this WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                Console.Error.WriteLine($"Configuration error: {failure}");
            }

            return false;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            foreach (var failure in e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures))
            {
                Console.Error.WriteLine($"Configuration error: {failure}");
            }

            return false;
        }

        if (app.Services.GetRequiredService<IOptions<JwtOptions>>().Value.UsesDevelopmentKey)
        {
            app.Logger.LogWarning("SECRET_KEY is not set: using the fixed development key. Tokens are forgeable; never run like this outside Development.");
        }

        return true;
    }
}
