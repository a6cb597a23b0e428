using System.Text.Json;
using System.Text.Json.Serialization;

namespace UserServices.Api.Hosting;

/// <summary>
/// Every string of a JSON body, refused when it holds U+0000. PostgreSQL's text cannot store one (it refuses the
/// whole statement, SQLSTATE 22021, which was a 500), and no name, address, reason or id here has a use for it; so
/// it is a field error when the body is read, before any lookup or insert sees it.
/// </summary>
internal sealed class NoNulStrings : JsonConverter<string>
{
    public const string Message = "It contains a NUL character (U+0000), which no field accepts.";

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0') ? throw new JsonException(Message) : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
