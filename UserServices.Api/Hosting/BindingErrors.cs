using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace UserServices.Api.Hosting;

/// <summary>
/// What MVC's model binding found wrong with a request, in the words of the API rather than of its parser: the
/// field by its JSON name (<c>email</c>, not <c>$.email</c>; the body, not the action's parameter or an empty key),
/// what it should have been (a string, a whole number…), and never a .NET type name or a byte position.
/// </summary>
public static partial class BindingErrors
{
    public const string Body = "body";

    public static Dictionary<string, string[]> Describe(ModelStateDictionary modelState)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, entry) in modelState)
        {
            foreach (var error in entry.Errors)
            {
                var (field, message) = Describe(key, error);
                (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);
            }
        }

        // "A body is required" says nothing more once the body has a problem of its own.
        if (errors.TryGetValue(Body, out var body) && body.Count > 1)
        {
            body.Remove(MissingBody);
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.Distinct().ToArray());
    }

    public const string MissingBody = "A JSON object body is required.";

    private static (string Field, string Message) Describe(string key, ModelError error)
    {
        var text = string.IsNullOrEmpty(error.ErrorMessage) ? error.Exception?.Message ?? "" : error.ErrorMessage;
        var isJson = error.Exception is JsonException || text.Contains("BytePositionInLine", StringComparison.Ordinal)
            || text.Contains("JSON", StringComparison.Ordinal);
        var field = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..]
            : key is "" or "$" ? Body
            : key;

        if (!isJson)
        {
            // The [FromBody] parameter itself (MVC names it after the action's argument, e.g. "request"): no body.
            return text.StartsWith("The ", StringComparison.Ordinal) && text.EndsWith(" field is required.", StringComparison.Ordinal) && !key.Contains('.', StringComparison.Ordinal) && field != Body
                ? (Body, MissingBody)
                : text.Contains("non-empty request body", StringComparison.Ordinal) ? (Body, MissingBody)
                : (field, WithoutTypeNames(text));
        }

        if (ConvertedTo().Match(text) is { Success: true } conversion && field != Body)
        {
            return (field, $"'{field}' must be {Kind(conversion.Groups["type"].Value)}.");
        }

        return (Body, "The body is not valid JSON (or not a JSON object).");
    }

    private static string Kind(string type) => type switch
    {
        "System.String" => "a string",
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => "a whole number",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => "true or false",
        "System.DateTimeOffset" or "System.Nullable`1[System.DateTimeOffset]" or "System.DateTime" => "a date and time (ISO 8601)",
        _ when type.Contains("List`1", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "an array",
        _ => "a value of another type",
    };

    // A message naming one of our types or the framework's ("…for UserServices.Api.Users.RegisterRequest") loses the name.
    private static string WithoutTypeNames(string text) => TypeName().Replace(text, "this value");

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.? Path:", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"\b(System|Microsoft|UserServices)(\.[A-Za-z_`0-9\[\]]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex TypeName();
}
