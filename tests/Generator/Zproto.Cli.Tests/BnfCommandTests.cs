using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Zproto.Cli.Tests;

/// <summary><c>zproto bnf</c>: zproto's ABNF layout, checked against the grammar zbroker published for ZPIPES.</summary>
public partial class BnfCommandTests
{
    private static string Bnf(string model)
    {
        var result = Zproto.Run("bnf", Repository.Model(model));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Stderr);
        return result.Stdout;
    }

    /// <summary>The rules (name → definition without comment) after the model's own grammar block.</summary>
    internal static List<(string Name, string Definition)> Rules(string abnf)
    {
        var rules = new List<(string, string)>();
        var afterGrammar = false;
        foreach (var line in abnf.Split('\n'))
        {
            afterGrammar |= line.StartsWith(';');
            if (!afterGrammar || RuleLine().Match(line) is not { Success: true } m)
                continue;
            rules.Add((m.Groups[1].Value, StripComment(m.Groups[2].Value).Trim()));
        }
        return rules;
    }

    private static string StripComment(string definition)
    {
        var quoted = false;
        for (var i = 0; i < definition.Length; i++)
        {
            if (definition[i] == '"') quoted = !quoted;
            if (definition[i] == ';' && !quoted) return definition[..i];
        }
        return definition;
    }

    private static string Normalize(string ruleName) => ruleName.Replace('_', '-').ToLowerInvariant();

    [Fact]
    public void Bnf_of_zpipes_has_the_message_rules_zbroker_published()
    {
        // zbroker's README printed zproto_bnf's output for ZPIPES: the same rule names
        // (zproto wrote input_ok for input-ok), ids and fields must come out of our model.
        var seed = File.ReadAllText(Path.Combine(Repository.Reference, "zbroker-readme-zpipes-grammar.txt"));
        var expected = SeedMessageRule().Matches(seed).Select(m => (Normalize(m.Groups[1].Value), m.Groups[2].Value.Trim())).ToList();
        Assert.Equal(21, expected.Count);

        var rules = Rules(Bnf("zpipes_msg.xml")).ToDictionary(r => r.Name, r => r.Definition);
        foreach (var (name, definition) in expected)
        {
            Assert.True(rules.TryGetValue(name, out var ours), $"no rule '{name}'");
            Assert.Equal(Regex.Replace(definition, @"\s+", " "), ours);
        }
        Assert.Equal("%xAA %xA0", rules["signature"]);
        Assert.Equal("number-1 *VCHAR", rules["string"]);
        Assert.Equal("number-4 *OCTET", rules["chunk"]);
        Assert.Equal("number-4", rules["size"]);
        Assert.Equal("string", rules["reason"]);
        Assert.Equal("1OCTET", rules["number-1"]);
        Assert.Equal("4OCTET", rules["number-4"]);
    }

    [Fact]
    public void Bnf_prints_the_grammar_block_first()
    {
        var abnf = Bnf("zpipes_msg.xml");
        Assert.StartsWith("ZPIPES = reader | writer\n", abnf, StringComparison.Ordinal);
        Assert.Contains("\nping-command = c:ping s:ping-ok\n", abnf, StringComparison.Ordinal);
    }

    [Fact]
    public void Bnf_prints_the_signature_octet_the_codec_sends()
    {
        // zp's signature 42 ORs into A0 as AA (zproto_bnf printed it as the decimal 42); ZCCP's 10 too.
        Assert.Contains(("signature", "%xAA %xAA"), Rules(Bnf("zp_msg.xml")));
        Assert.Contains(("signature", "%xAA %xAA"), Rules(Bnf("zccp_msg.xml")));
    }

    [Fact]
    public void Bnf_writes_constants_as_exact_octets()
    {
        var rules = Rules(Bnf("zp_msg.xml"));
        Assert.Contains(("protocol", "%x08 %x4D.41.4C.41.4D.55.54.45"), rules);
        Assert.Contains(("version", "%x00.01"), rules);
        Assert.Contains(("connection-open", "signature %d1 protocol version client-id"), rules);
    }

    [Fact]
    public void Bnf_of_a_datagram_folds_bit_fields_and_the_discriminator_into_octet_ranges()
    {
        var rules = Rules(Bnf("vtx_nom1.xml"));
        // version nibble 1, then flags and resend free; command nibble = the id, sequence free.
        Assert.Contains(("rotfl", "%x10-1F %x00-0F reason"), rules);
        Assert.Contains(("nom", "%x10-1F %x50-5F content"), rules);
        Assert.Contains(("reason", "rest-string"), rules);
        Assert.Contains(("content", "packed-msg"), rules);
        Assert.Contains(("packed-frame", "( %x00-FD / %xFE number-2 / %xFF number-4 ) *OCTET"), rules);
        Assert.DoesNotContain(rules, r => r.Name == "signature");
    }

    [Fact]
    public void Bnf_of_text_frames_has_tagged_sections_per_direction()
    {
        var rules = Rules(Bnf("remctl_msg.yaml"));
        Assert.Contains(("request", "arguments [ environment ]"), rules);
        Assert.Contains(("arguments", "arguments-tag count *argument"), rules);
        Assert.Contains(("arguments-tag", "\"ARGUMENT\" / \"A\""), rules);
        Assert.Contains(("environment", "environment-tag count *( name value )"), rules);
        Assert.Contains(("reply", "*output status"), rules);
        Assert.Contains(("status", "return-code / error-code"), rules);
        Assert.Contains(("error-code-tag", "\"ERRORCODE\" / \"E\""), rules);
    }

    [Fact]
    public void Bnf_keeps_composites_as_rules_and_names_fields_once()
    {
        var rules = Rules(Bnf("zproto_example.xml"));
        Assert.Contains(("types", "signature %d4 sequence client supplier"), rules);
        Assert.Contains(("client", "person"), rules);
        Assert.Contains(("person", "forename surname mobile email"), rules);
        Assert.Contains(("binary", "signature %d3 sequence flags public-key identifier address content"), rules);
        Assert.Contains(("flags", "4OCTET"), rules);
        Assert.Contains(("version", "%x00.03"), rules);
    }

    [Theory]
    [MemberData(nameof(CheckCommandTests.ProtocolModels), MemberType = typeof(CheckCommandTests))]
    public void Bnf_defines_every_rule_it_uses_exactly_once(string model) => AssertWellFormed(model, Rules(Bnf(model)));

    private static void AssertWellFormed(string model, List<(string Name, string Definition)> rules)
    {
        var duplicates = rules.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
        var defined = new HashSet<string>(rules.Select(r => r.Name), StringComparer.OrdinalIgnoreCase)
        {
            "OCTET", "VCHAR", "DIGIT",
        };
        foreach (var (name, definition) in rules)
        {
            var withoutLiterals = Regex.Replace(definition, "\"[^\"]*\"|%[xdb][0-9A-Fa-f.-]+|\\b\\d+OCTET\\b", " ");
            foreach (Match reference in RuleReference().Matches(withoutLiterals))
                Assert.True(defined.Contains(reference.Value), $"{model}: rule '{name}' uses '{reference.Value}', which is not defined");
        }
    }

    [Fact]
    public void Bnf_of_a_state_machine_points_at_its_protocol()
    {
        var result = Zproto.Run("bnf", Repository.Model("echo_server.xml"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'echo_msg'", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Bnf_names_each_rule_once_and_qualifies_clashing_field_names()
    {
        using var temp = new TempDirectory();
        var result = Zproto.Run("bnf", temp.File("edge_msg.xml", TestModels.GrammarEdges));
        Assert.True(result.ExitCode == 0, result.ToString());
        var rules = Rules(result.Stdout);
        AssertWellFormed("edge_msg.xml", rules);
        // pubsub: id, topic, NUL; 'level' and 'string' are named like their types and use them directly;
        // 'count' is a constant here and a plain number in BETA, so both are qualified by message.
        Assert.Contains(("alpha", "%d1 topic %x00 level points flag string alpha-count tail"), rules);
        Assert.Contains(("alpha-count", "%x00.07"), rules);
        Assert.Contains(("beta-count", "number-2"), rules);
        // 'alpha' is a message, so BETA's field of that name is qualified; hi/lo share one octet.
        Assert.Contains(("beta", "%d2 topic %x00 beta-count beta-alpha OCTET"), rules);
        Assert.Contains(("points", "number-4 *point"), rules);
        Assert.Contains(("point", "x y"), rules);
        Assert.Contains(("x", "integer-4"), rules);
        Assert.Contains(("level", "%x00 / %x02"), rules);
        Assert.Contains(("tail", "rest-chunk"), rules);
        Assert.Contains(("topic", "*%x01-FF"), rules);
        Assert.Contains(result.StdoutLines, l => l == ";   lo: 5 bits, always 1 - Low bits, constant");
    }

    [Fact]
    public void Bnf_is_deterministic()
    {
        Assert.Equal(Bnf("zproto_example.xml"), Bnf("zproto_example.xml"));
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*)$")]
    private static partial Regex RuleLine();

    [GeneratedRegex(@"^([a-z_]+)\s+=\s+(signature %d\d+[^;\n]*)", RegexOptions.Multiline)]
    private static partial Regex SeedMessageRule();

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9-]*")]
    private static partial Regex RuleReference();
}
