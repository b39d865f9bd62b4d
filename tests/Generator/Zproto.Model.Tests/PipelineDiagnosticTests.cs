using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Zproto.CodeGen.Pipeline;
using Zproto.CodeGen.Rendering;
using Zproto.Model.Diagnostics;
using Zproto.Model.Machines;
using Zproto.Model.Specs;
using Zproto.Model.Tests.Support;

namespace Zproto.Model.Tests;

/// <summary>
/// The diagnostics the generation pipeline adds (member names, templates, machine warnings, one
/// run for every problem, guarded steps), each at its file, line and column, run through
/// <see cref="GenerationPipeline"/> as both front ends run it.
/// </summary>
public class PipelineDiagnosticTests
{
    private const string Protocol = """
        <class name = "kv_msg" signature = "4">
            <message name = "GET" id = "1"><field name = "key" type = "string" /></message>
            <message name = "VALUE" id = "2"><field name = "data" type = "string" /></message>
            <message name = "PUT" id = "3"><field name = "key" type = "string" /></message>
        </class>
        """;

    private static GenerationResult Run(TemplateSet? templates = null, params (string Path, string Text)[] models) =>
        GenerationPipeline.Run(models.Select(m => new ModelInput(m.Path, m.Text, "")).ToList(), new MemoryFiles(), templates ?? TemplateSet.BuiltIn, "");

    private static ModelDiagnostic At(GenerationResult result, string id, string file, int line, int column)
    {
        var d = result.Diagnostics.FirstOrDefault(x => x.Id == id);
        Assert.True(d is not null, $"expected {id}; got:\n{string.Join("\n", result.Diagnostics)}");
        Assert.Equal((file, line, column), (d!.File, d.Line, d.Column));
        return d;
    }

    // ---- ZP2023: a member named like its type ------------------------------------------------

    [Fact]
    public void ZP2023_field_named_like_its_message_is_an_error_at_the_field_name()
    {
        var result = Run(null, ("kv.xml", """
            <class name = "kv" signature = "4">
                <message name = "VALUE" id = "1">
                    <field name = "value" type = "number" size = "4" />
                </message>
            </class>
            """));

        var d = At(result, "ZP2023", "kv.xml", 3, 16);
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Contains("'Value'", d.Message);
        Assert.Empty(result.Files);
    }

    [Fact]
    public void ZP2023_header_field_named_like_a_message_is_reported_at_the_message()
    {
        var result = Models.Parse("""
            <class name = "kv" signature = "4">
                <header><field name = "ping" type = "number" size = "1" /></header>
                <message name = "PING" id = "1" />
                <message name = "PONG" id = "2" />
            </class>
            """);

        Models.Only(result, DiagnosticDescriptors.MemberNamedLikeType, "test.xml", (3, 14));
    }

    [Fact]
    public void ZP2023_field_named_like_its_composite_type_and_define_named_defines()
    {
        var result = Models.Parse("""
            <class name = "kv" signature = "4">
                <define name = "defines" value = "1" />
                <type name = "point"><field name = "point" type = "number" size = "1" /></type>
                <message name = "A" id = "1"><field name = "p" type = "point" /></message>
            </class>
            """);

        Assert.Equal([(2, 13), (3, 33)], result.Diagnostics.Where(d => d.Id == "ZP2023").Select(d => (d.Line, d.Column)));
        Assert.Equal(2, result.Diagnostics.Count);
    }

    // ---- ZP2024 / ZP2025: templates --------------------------------------------------------------

    [Fact]
    public void ZP2024_typo_in_a_user_templates_binding_is_a_diagnostic_at_the_template()
    {
        var templates = TemplateSet.FromFiles([new("/project/templates/Summary.hbs", "// {{ClassName}}\n// {{ClasName}}\n")]);

        var result = Run(templates, ("kv_msg.xml", Protocol));

        var d = At(result, "ZP2024", "/project/templates/Summary.hbs", 2, 6);
        Assert.Contains("{{ClasName}}", d.Message);
        Assert.Contains("Summary", d.Message);
        Assert.Empty(result.Files);
    }

    [Fact]
    public void ZP2024_typo_in_an_override_of_a_built_in_template_is_reported_too()
    {
        var codec = TemplateSet.BuiltIn.Find("Codec")!;
        var templates = TemplateSet.FromFiles([new("Codec.hbs", codec.Replace("{{ClassName}}", "{{ClassNme}}"))]);

        var result = Run(templates, ("kv_msg.xml", Protocol));

        Assert.Equal("Codec.hbs", Assert.Single(result.Diagnostics).File);
        Assert.Equal("ZP2024", result.Diagnostics.Single().Id);
    }

    [Fact]
    public void ZP2025_template_that_does_not_compile_is_a_diagnostic_at_the_template()
    {
        var templates = TemplateSet.FromFiles([new("Broken.hbs", "{{#if IsText}}\nno end\n")]);

        var result = Run(templates, ("kv_msg.xml", Protocol));

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("ZP2025", "Broken.hbs", Severity.Error), (d.Id, d.File, d.Severity));
    }

    [Fact]
    public void Built_in_templates_bind_every_name_they_use_for_every_model()
    {
        // The built-ins render with unresolved bindings throwing: any model in models/ proves it.
        var inputs = Models.All.Select(n => Path.Combine(Repository.Models, n)).Select(p => new ModelInput(p, File.ReadAllText(p), "")).ToList();
        Assert.True(inputs.Count >= 10, $"only {inputs.Count} models found");

        var result = GenerationPipeline.Run(inputs, DiskFiles.Instance, TemplateSet.BuiltIn, "");

        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "ZP2024" or "ZP2025" or "ZP9001");
    }

    [Fact]
    public void Template_cache_is_bounded()
    {
        for (var i = 0; i < TemplateRenderer.CacheCapacity + 5; i++)
            Run(TemplateSet.FromFiles([new($"Extra{i}.hbs", $"// {i} {{{{ClassName}}}}\n")]), ("kv_msg.xml", Protocol));

        Assert.InRange(TemplateRenderer.CachedSets, 1, TemplateRenderer.CacheCapacity);
    }

    // ---- ZP3012 / ZP3013: machine warnings -------------------------------------------------------

    private const string Client = """
        <class name = "kv_client" protocol_class = "kv_msg" script = "zproto_client_c">
            <state name = "start">
                <event name = "gett">
                    <action name = "send" message = "GET" />
                </event>
                <event name = "VALUE" />
                <event name = "busy" />
            </state>
            <method name = "get" />
        </class>
        """;

    [Fact]
    public void ZP3012_client_event_one_edit_from_a_method_warns_with_did_you_mean()
    {
        var result = Run(null, ("kv_msg.xml", Protocol), ("kv_client.xml", Client));

        var d = At(result, "ZP3012", "kv_client.xml", 3, 16);
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.EndsWith("did you mean method 'get'?", d.Message);
        // 'busy' is far from every known name: an internal event raised by action code.
        Assert.Single(result.Diagnostics, x => x.Id == "ZP3012");
    }

    [Fact]
    public void ZP3013_server_checked_alone_warns_about_messages_a_client_may_send_that_it_never_handles()
    {
        var server = """
            <class name = "kv_server" protocol_class = "kv_msg">
                <state name = "start">
                    <event name = "GET">
                        <action name = "send" message = "VALUE" />
                    </event>
                </state>
            </class>
            """;

        var result = Run(null, ("kv_msg.xml", Protocol), ("kv_server.xml", server));

        var d = At(result, "ZP3013", "kv_server.xml", 1, 27);
        Assert.Contains("'PUT'", d.Message);
        Assert.DoesNotContain("'VALUE'", d.Message);
        Assert.DoesNotContain("'GET'", d.Message);
    }

    [Fact]
    public void ZP3013_is_not_reported_when_the_client_model_is_present()
    {
        var server = """
            <class name = "kv_server" protocol_class = "kv_msg">
                <state name = "start">
                    <event name = "GET"><action name = "send" message = "VALUE" /></event>
                </state>
            </class>
            """;

        var result = Run(null, ("kv_msg.xml", Protocol), ("kv_server.xml", server), ("kv_client.xml", Client));

        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "ZP3013");
    }

    // ---- every problem of a machine model in one run --------------------------------------------

    [Fact]
    public void ZP3010_does_not_hide_the_protocol_checks_of_the_same_file()
    {
        var client = """
            <class name = "kv_client" protocol_class = "kv_msg" script = "zproto_client_c">
                <state name = "start">
                    <event name = "get">
                        <action name = "send" message = "FETCH" />
                    </event>
                    <event name = "VALU" />
                </state>
                <method name = "get">
                    <accept reply = "SUCCESS" />
                </method>
            </class>
            """;

        var result = Run(null, ("kv_msg.xml", Protocol), ("kv_client.xml", client));

        At(result, "ZP3010", "kv_client.xml", 9, 17);
        At(result, "ZP3003", "kv_client.xml", 4, 35);
        At(result, "ZP3004", "kv_client.xml", 6, 16);
        Assert.DoesNotContain(result.Files, f => f.HintName.Contains("KvClient"));
    }

    // ---- ZP2026: two protocols of one name ---------------------------------------------------

    [Fact]
    public void ZP2026_two_protocols_with_one_name_warn_at_the_later_paths_name_and_machines_use_the_first()
    {
        var client = """
            <class name = "kv_client" protocol_class = "kv_msg" script = "zproto_client_c">
                <state name = "start">
                    <event name = "VALUE" />
                    <event name = "*" />
                </state>
            </class>
            """;
        // Given in reverse path order: the answer must not depend on the order.
        var result = Run(null, ("b/kv_msg.xml", Protocol.Replace("signature = \"4\"", "signature = \"5\"", System.StringComparison.Ordinal)), ("a/kv_msg.xml", Protocol), ("kv_client.xml", client));

        var d = Assert.Single(result.Diagnostics, x => x.Id == "ZP2026");
        Assert.Equal(("b/kv_msg.xml", 1, 8, Severity.Warning), (d.File, d.Line, d.Column, d.Severity));
        Assert.Contains("'a/kv_msg.xml'", d.Message);
        Assert.Equal("a/kv_msg.xml", result.Models.Single(m => m.Path == "kv_client.xml").Protocol!.Path);
    }

    [Fact]
    public void ZP2026_not_reported_for_distinct_names_nor_for_a_protocol_with_errors()
    {
        var broken = Protocol.Replace("id = \"2\"", "id = \"1\"", System.StringComparison.Ordinal);
        var result = Run(null, ("a/kv_msg.xml", Protocol), ("b/kv_msg.xml", broken), ("other.xml", Protocol.Replace("kv_msg", "kv_other", System.StringComparison.Ordinal)));

        Assert.Contains(result.Diagnostics, x => x.Id == "ZP2001");
        Assert.DoesNotContain(result.Diagnostics, x => x.Id == "ZP2026");
    }

    // ---- ZP3021: an internal event named like a message ----------------------------------------

    [Fact]
    public void ZP3021_lower_case_event_named_like_a_capitalised_message_warns_at_the_event()
    {
        var result = Run(null, ("kv_msg.xml", Protocol), ("kv_server.xml", """
            <class name = "kv_server" protocol_class = "kv_msg">
                <state name = "start">
                    <event name = "GET"><action name = "send" message = "VALUE" /></event>
                    <event name = "put" />
                    <event name = "*" />
                </state>
            </class>
            """));

        var d = At(result, "ZP3021", "kv_server.xml", 4, 16);
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Contains("'PUT'", d.Message);
        Assert.Contains("lower case", d.Message);
        // Only the lower-case spelling is suspicious: GET reads as the message.
        Assert.Single(result.Diagnostics, x => x.Id == "ZP3021");
    }

    [Fact]
    public void ZP3021_lower_case_messages_in_the_protocol_make_lower_case_events_the_message()
    {
        var protocol = Protocol.Replace("\"GET\"", "\"get\"", System.StringComparison.Ordinal);
        var result = Run(null, ("kv_msg.xml", protocol), ("kv_server.xml", """
            <class name = "kv_server" protocol_class = "kv_msg">
                <state name = "start">
                    <event name = "get"><action name = "send" message = "VALUE" /></event>
                    <event name = "*" />
                </state>
            </class>
            """));

        Assert.DoesNotContain(result.Diagnostics, x => x.Id == "ZP3021");
        Assert.Contains(result.Files, f => f.HintName.Contains("KvServer", System.StringComparison.Ordinal));
    }

    // ---- client method numbers: size 1, 2, 4, 8 ----------------------------------------------

    [Fact]
    public void ZP2007_method_number_of_size_3_and_ZP1008_size_on_a_string_argument_at_the_size()
    {
        const string text = """
            <class name = "kv_client" protocol_class = "kv_msg" script = "zproto_client_c">
                <state name = "start"><event name = "*" /></state>
                <method name = "set">
                    <field argument = "count" type = "number" size = "3" />
                    <field argument = "key" type = "string" size = "2" />
                </method>
            </class>
            """;
        var result = Models.Parse(text, "kv_client.xml");

        Models.Single(result, DiagnosticDescriptors.BadNumberSize, "kv_client.xml", Models.At(text, "size", 1));
        Models.Single(result, DiagnosticDescriptors.InvalidAttribute, "kv_client.xml", Models.At(text, "size", 2));
    }

    [Fact]
    public void Method_and_reply_numbers_keep_their_size_and_default_to_four_octets()
    {
        var result = Models.Parse("""
            <class name = "kv_client" protocol_class = "kv_msg" script = "zproto_client_c">
                <state name = "start"><event name = "*" /></state>
                <method name = "set">
                    <field argument = "small" type = "number" size = "1" />
                    <field argument = "wide" type = "number" size = "8" />
                    <field argument = "plain" type = "number" />
                    <field argument = "key" type = "string" />
                    <accept reply = "done" />
                </method>
                <reply name = "done"><field property = "count" type = "number" size = "2" /></reply>
            </class>
            """, "kv_client.xml");

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal([1, 8, 4, 0], result.Machine!.Methods.Single().Fields.Select(f => f.Size));
        Assert.Equal(2, result.Machine.Replies.Single().Fields.Single().Size);
    }

    // ---- ZP9001: every step guarded --------------------------------------------------------------

    [Fact]
    public void ZP9001_an_exception_in_a_step_becomes_a_diagnostic_at_the_model()
    {
        // A spec no parser would produce: a composite field whose type is not declared.
        var spec = new ProtocolSpec
        {
            Name = "broken",
            FileName = "broken.xml",
            Messages = new[]
            {
                new MessageSpec { Name = "A", Id = 1, Fields = new[] { new FieldSpec { Name = "p", Type = "point", Kind = FieldKind.Composite, TypeRef = "point" } }.ToEquatableArray() },
            }.ToEquatableArray(),
        };

        var bound = GenerationPipeline.Bind(new SpecInput("models/broken.xml", spec, "N"));
        var output = GenerationPipeline.Render(bound, TemplateSet.BuiltIn);

        var d = Assert.Single(output.Diagnostics);
        Assert.Equal(("ZP9001", "models/broken.xml", 1, 1), (d.Id, d.File, d.Line, d.Column));
        Assert.Contains("binding", d.Message);
        Assert.Empty(output.Files);
    }

    [Fact]
    public void Every_pipeline_and_machine_descriptor_has_a_test_named_after_it()
    {
        var names = typeof(PipelineDiagnosticTests).Assembly.GetTypes().SelectMany(t => t.GetMethods()).Select(m => m.Name).ToList();
        var ids = new List<string> { "ZP2023", "ZP2024", "ZP2025", "ZP2026" };
        ids.AddRange(MachineDiagnostics.All.Select(d => d.Id));

        Assert.All(ids, id => Assert.Contains(names, n => n.StartsWith(id + "_", System.StringComparison.Ordinal)));
    }
}
