using System.Text.Json;
using System.Text.Json.Serialization;
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

    /// <param name="bodyType">The type the JSON body binds to, whose properties say what each field should be.</param>
    public static Dictionary<string, string[]> Describe(ModelStateDictionary modelState, Type? bodyType)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, entry) in modelState)
        {
            foreach (var error in entry.Errors)
            {
                var (field, message) = Describe(key, error, bodyType);
                (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);
            }
        }

        // MVC adds "the body is required" to any body it could not read; it says nothing once a real problem is named.
        if (errors.TryGetValue(Body, out var body) && errors.Values.Sum(list => list.Count) > body.Count(message => message == MissingBody))
        {
            body.RemoveAll(message => message == MissingBody);
            if (body.Count == 0)
            {
                errors.Remove(Body);
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.Distinct().ToArray());
    }

    public const string MissingBody = "A JSON object body is required.";

    private static (string Field, string Message) Describe(string key, ModelError error, Type? bodyType)
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

        if (ConvertedTo().IsMatch(text) && field != Body)
        {
            // The parser names the record it was building, not the member: the member's type comes from the record.
            return (field, $"'{field}' must be {Kind(TypeOf(bodyType, field))}.");
        }

        return (Body, "The body is not valid JSON (or not a JSON object).");
    }

    private static Type? TypeOf(Type? bodyType, string field) => bodyType?.GetProperties()
        .FirstOrDefault(p => (p.GetCustomAttributes(typeof(JsonPropertyNameAttribute), inherit: true).FirstOrDefault() is JsonPropertyNameAttribute name
            ? name.Name
            : p.Name).Equals(field, StringComparison.OrdinalIgnoreCase))?.PropertyType;

    private static string Kind(Type? type) => (Nullable.GetUnderlyingType(type ?? typeof(object)) ?? type) switch
    {
        { } t when t == typeof(string) => "a string",
        { } t when t == typeof(int) || t == typeof(long) => "a whole number",
        { } t when t == typeof(bool) => "true or false",
        { } t when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "a date and time (ISO 8601)",
        { } t when t != typeof(string) && t.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "an array",
        _ => "a value of another JSON type",
    };

    // A message naming one of our types or the framework's ("…for UserServices.Api.Users.RegisterRequest") loses the name.
    private static string WithoutTypeNames(string text) => TypeName().Replace(text, "this value");

    [GeneratedRegex(@"could not be converted to \S+ Path:", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"\b(System|Microsoft|UserServices)(\.[A-Za-z_`0-9\[\]]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex TypeName();
}
