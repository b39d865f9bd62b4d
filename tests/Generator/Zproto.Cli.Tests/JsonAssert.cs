using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace Zproto.Cli.Tests;

/// <summary>Field-by-field JSON comparison; hashes compare by content (the C encoder's order is its own).</summary>
internal static class JsonAssert
{
    public static void EqualFields(JsonObject expected, JsonObject actual)
    {
        Assert.Equal(expected.Select(p => p.Key).OrderBy(k => k), actual.Select(p => p.Key).OrderBy(k => k));
        foreach (var (key, value) in expected)
        {
            var other = actual[key];
            if (value is JsonObject hash && other is JsonObject otherHash)
            {
                Assert.True(hash.Count == otherHash.Count && hash.All(e => otherHash.ContainsKey(e.Key) && JsonNode.DeepEquals(e.Value, otherHash[e.Key])),
                    $"field {key}: expected {Short(hash)} got {Short(otherHash)}");
                continue;
            }
            Assert.True(JsonNode.DeepEquals(value, other), $"field {key}: expected {Short(value)} got {Short(other)}");
        }
    }

    private static string Short(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 200 ? text[..200] + "..." : text;
    }
}
