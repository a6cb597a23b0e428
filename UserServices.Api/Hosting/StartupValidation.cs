using Microsoft.Extensions.Options;

namespace UserServices.Api.Hosting;

public static class StartupValidation
{
    /// <summary>
    /// Runs the options validation that the host would run at start, but reports each problem as one line and
    /// returns false instead of failing with a stack trace.
    /// </summary>
    public static bool ConfigurationIsValid(this WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (OptionsValidationException e)
        {
            Report(e.Failures);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            Report(e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures));
        }
        catch (InvalidOperationException e) when (e.Source == typeof(ConfigurationBinder).Assembly.GetName().Name)
        {
            // The binder's own words name the setting and the type it wanted (Passwords:Backend=fast).
            Report([e.Message]);
        }

        return false;
    }

    private static void Report(IEnumerable<string> failures)
    {
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"Configuration error: {failure}");
        }
    }
}
