namespace Zproto.Cli.Tests;

/// <summary>Small models written for failure cases; the real models live in /models.</summary>
internal static class TestModels
{
    /// <summary>Two messages with id 1: an error the checker must point at.</summary>
    public const string DuplicateId = """
        <class name = "bad_msg" signature = "0">
        <message name = "ONE" id = "1">
            <field name = "text" type = "string">Text</field>
        </message>
        <message name = "TWO" id = "1" />
        </class>
        """;

    /// <summary>
    /// Grammar corner cases: pubsub, an enum, a list of composites, a boolean, a field named like a
    /// type, a constant whose name another message uses for a plain number, a field named like a
    /// message, bit fields with a constant in the low bits, a rest-of-frame chunk.
    /// </summary>
    public const string GrammarEdges = """
        <class name = "edge_msg" pubsub = "1" title = "Edge cases">
        <enum name = "level" size = "1">
            <value name = "debug" value = "0" />
            <value name = "warn" value = "2" />
        </enum>
        <type name = "point">
            <field name = "x" type = "integer" size = "4">X</field>
            <field name = "y" type = "integer" size = "4">Y</field>
        </type>
        <message name = "ALPHA" id = "1">
            <field name = "level" type = "level">Severity</field>
            <field name = "points" type = "list" item = "point">Points</field>
            <field name = "flag" type = "boolean">A flag</field>
            <field name = "string" type = "string">A field named like a type</field>
            <field name = "count" type = "number" size = "2" value = "7">Constant</field>
            <field name = "tail" type = "chunk" length = "rest">The rest</field>
        </message>
        <message name = "BETA" id = "2">
            <field name = "count" type = "number" size = "2">Not constant here</field>
            <field name = "alpha" type = "longstr">Named like a message</field>
            <field name = "hi" type = "number" bits = "3">High bits</field>
            <field name = "lo" type = "number" bits = "5" value = "1">Low bits, constant</field>
        </message>
        </class>
        """;

    /// <summary>A pub-sub protocol: frame 0 is the id, the topic and a 00, then the fields.</summary>
    public const string PubSub = """
        <class name = "news_msg" signature = "4" pubsub = "1" title = "News">
        <message name = "NEWS" id = "7">
            <field name = "headline" type = "string">Headline</field>
        </message>
        </class>
        """;

    /// <summary>
    /// A list of strings and a list of composites holding a string and a longstr;
    /// <paramref name="classAttributes"/> goes into the class tag (e.g. <c>strings = "utf8"</c>).
    /// </summary>
    public static string StringLists(string classAttributes) => $"""
        <class name = "tags_msg" signature = "5"{classAttributes}>
        <type name = "person">
            <field name = "name" type = "string">Name</field>
            <field name = "notes" type = "longstr">Notes</field>
        </type>
        <message name = "TAGGED" id = "1">
            <field name = "tags" type = "list" item = "string">Tags</field>
            <field name = "people" type = "list" item = "person">People</field>
        </message>
        </class>
        """;
}
