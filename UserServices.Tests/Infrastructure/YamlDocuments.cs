using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace UserServices.Tests.Infrastructure;

/// <summary>
/// YAML files (compose, Kubernetes manifests) read as JSON nodes, every document of a file, merge keys
/// (<c>&lt;&lt;: *anchor</c>) applied as compose applies them. Scalars stay strings, as written.
/// </summary>
public static class YamlDocuments
{
    private static readonly IDeserializer Reader = new DeserializerBuilder().Build();
    private static readonly ISerializer ToJson = new SerializerBuilder().JsonCompatible().Build();

    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var parser = new MergingParser(new Parser(new StringReader(yaml)));
        parser.Consume<StreamStart>();
        var documents = new List<JsonObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = Reader.Deserialize<object>(parser);
            if (document is not null)
            {
                documents.Add(JsonNode.Parse(ToJson.Serialize(document))!.AsObject());
            }
        }

        return documents;
    }

    public static JsonObject ParseSingle(string yaml) => Parse(yaml) is [var only]
        ? only
        : throw new InvalidOperationException("Expected exactly one YAML document.");
}
