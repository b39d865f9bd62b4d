using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace Zproto.Codecs.Tests;

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
                    $"field {key}: expected {hash.ToJsonString()} got {otherHash.ToJsonString()}");
                continue;
            }
            Assert.True(JsonNode.DeepEquals(value, other), $"field {key}: expected {value?.ToJsonString()[..System.Math.Min(200, value.ToJsonString().Length)]} got {other?.ToJsonString()[..System.Math.Min(200, other.ToJsonString().Length)]}");
        }
    }
}
