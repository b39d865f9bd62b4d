using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Zproto.CodeGen.Diagrams;
using Zproto.Model;
using Zproto.Model.Diagnostics;
using Zproto.Model.Machines;
using Zproto.Model.Syntax;

namespace Zproto.Model.Tests.Machines;

/// <summary>Server and client state-machine models: parsing, every ZP3xxx check at its position, diagrams.</summary>
public class MachineModelTests
{
    private sealed class NoFiles : IModelFileResolver
    {
        public string? TryRead(string path) => null;
    }

    private const string Protocol = """
        <class name = "hello_msg" signature = "3">
            <message name = "HELLO" />
            <message name = "WORLD" />
            <message name = "PING" />
            <message name = "PONG" />
            <message name = "INVALID" />
        </class>
        """;

    private static ParseResult Parse(string text, string path = "m.xml") =>
        ModelParser.Parse(new ModelSource(path, text), new NoFiles());

    private static List<ModelDiagnostic> Check(string machineText, MachineSpec? counterpart = null)
    {
        var machine = Parse(machineText);
        Assert.False(machine.HasErrors, string.Join("\n", machine.Diagnostics));
        var protocol = Parse(Protocol, "hello_msg.xml").Spec!;
        return machine.Diagnostics.Concat(MachineChecker.Check(machine.Machine!, machine.MachinePositions!, protocol, counterpart)).ToList();
    }

    private static void AssertAt(IEnumerable<ModelDiagnostic> diagnostics, string id, int line, int column)
    {
        var d = diagnostics.FirstOrDefault(x => x.Id == id);
        Assert.True(d is not null, $"expected {id}; got: {string.Join("; ", diagnostics)}");
        Assert.Equal((line, column), (d!.Line, d.Column));
    }

    [Fact]
    public void Zproto_server_model_is_read_unchanged_with_superstates_and_wildcards()
    {
        var result = Parse("""
            <class name = "hello_server" title = "Hello server" proto = "hello_msg" script = "zproto_server_c">
                A Hello, World server
                <state name = "start" inherit = "defaults">
                    <event name = "HELLO" next = "waiting">
                        <action name = "wait on other internal event" />
                    </event>
                </state>
                <state name = "waiting" inherit = "defaults">
                    <event name = "ok" next = "start">
                        <action name = "tell the user hello too" />
                        <action name = "send" message = "WORLD" />
                    </event>
                    <event name = "error" next = "start">
                        <action name = "terminate" />
                    </event>
                </state>
                <state name = "defaults">
                    <event name = "PING">
                        <action name = "send" message = "PONG" />
                    </event>
                    <event name = "*">
                        <action name = "send" message = "INVALID" />
                    </event>
                </state>
            </class>
            """);
        Assert.Empty(result.Diagnostics);
        var machine = result.Machine!;
        Assert.Equal(MachineKind.Server, machine.Kind);
        Assert.Equal("hello_msg", machine.ProtocolClass);
        Assert.Equal(new[] { "start", "waiting", "defaults" }, machine.States.Select(s => s.Name));
        Assert.Equal("defaults", machine.States[0].Inherit);
        var effective = MachineChecker.EffectiveEvents(machine.States[0], MachineChecker.StatesByKey(machine));
        Assert.Equal(new[] { "HELLO", "PING", "*" }, effective.Select(e => e.Name));
    }

    [Fact]
    public void ZP3001_unknown_next_state_points_at_next_attribute()
    {
        var result = Parse("""
            <class name = "s" protocol_class = "hello_msg">
                <state name = "start">
                    <event name = "HELLO" next = "nowhere" />
                </state>
            </class>
            """);
        AssertAt(result.Diagnostics, "ZP3001", 3, 31);
        Assert.Null(result.Machine);
    }

    [Fact]
    public void ZP3002_unknown_superstate_and_inherit_cycle_point_at_inherit_attribute()
    {
        var unknown = Parse("""
            <class name = "s" protocol_class = "hello_msg">
                <state name = "start" inherit = "ghost" />
            </class>
            """);
        AssertAt(unknown.Diagnostics, "ZP3002", 2, 27);
        var cycle = Parse("""
            <class name = "s" protocol_class = "hello_msg">
                <state name = "a" inherit = "b" />
                <state name = "b" inherit = "a" />
            </class>
            """);
        Assert.Contains(cycle.Diagnostics, d => d.Id == "ZP3002" && d.Message.Contains("loops"));
    }

    [Fact]
    public void ZP3003_send_of_a_message_the_protocol_lacks_points_at_message_attribute()
    {
        var diagnostics = Check("""
            <class name = "s" protocol_class = "hello_msg">
                <state name = "start">
                    <event name = "HELLO">
                        <action name = "send" message = "GOODBYE" />
                    </event>
                    <event name = "*" />
                </state>
            </class>
            """);
        AssertAt(diagnostics, "ZP3003", 4, 35);
    }

    [Fact]
    public void ZP3004_capitalised_event_that_is_no_message_is_an_error_but_internal_events_are_fine()
    {
        var diagnostics = Check("""
            <class name = "s" protocol_class = "hello_msg">
                <state name = "start">
                    <event name = "HELO" />
                    <event name = "have data" />
                    <event name = "*" />
                </state>
            </class>
            """);
        AssertAt(diagnostics, "ZP3004", 3, 16);
        Assert.Single(diagnostics, d => d.Id == "ZP3004");
    }

    [Fact]
    public void ZP3005_unreachable_state_is_a_warning_but_superstates_are_not_unreachable()
    {
        var result = Parse("""
            <class name = "s" protocol_class = "hello_msg">
                <state name = "start" inherit = "defaults">
                    <event name = "HELLO" />
                </state>
                <state name = "island">
                    <event name = "PING" />
                </state>
                <state name = "defaults">
                    <event name = "*" />
                </state>
            </class>
            """);
        AssertAt(result.Diagnostics, "ZP3005", 5, 12);
        Assert.Single(result.Diagnostics, d => d.Id == "ZP3005");
        Assert.Equal(Severity.Warning, result.Diagnostics.Single().Severity);
        Assert.NotNull(result.Machine);
    }

    [Fact]
    public void ZP3006_message_an_external_state_does_not_handle_is_a_warning_at_the_state()
    {
        var diagnostics = Check("""
            <class name = "s" protocol_class = "hello_msg">
                <state name = "start">
                    <event name = "HELLO">
                        <action name = "send" message = "WORLD" />
                    </event>
                </state>
            </class>
            """);
        var d = diagnostics.Single(x => x.Id == "ZP3006");
        Assert.Equal((2, 12), (d.Line, d.Column));
        Assert.Contains("'PING'", d.Message);
        Assert.DoesNotContain("'WORLD'", d.Message); // sent by this side, so not inbound
    }

    [Fact]
    public void ZP3006_is_not_reported_for_states_waiting_on_internal_events()
    {
        var diagnostics = Check("""
            <class name = "s" protocol_class = "hello_msg">
                <state name = "start">
                    <event name = "HELLO" next = "busy" />
                    <event name = "*" />
                </state>
                <state name = "busy">
                    <event name = "done" next = "start" />
                    <event name = "PING" />
                </state>
            </class>
            """);
        Assert.DoesNotContain(diagnostics, d => d.Id == "ZP3006");
    }

    [Fact]
    public void ZP3007_cross_check_reports_messages_one_side_sends_and_the_other_never_handles()
    {
        var client = Parse("""
            <class name = "c" protocol_class = "hello_msg" script = "zproto_client_c">
                <state name = "start">
                    <event name = "connect">
                        <action name = "send" message = "HELLO" />
                    </event>
                    <event name = "WORLD" />
                </state>
                <method name = "connect" />
            </class>
            """).Machine!;
        var diagnostics = Check("""
            <class name = "s" protocol_class = "hello_msg">
                <state name = "start">
                    <event name = "HELLO">
                        <action name = "send" message = "WORLD" />
                        <action name = "send" message = "PONG" />
                    </event>
                </state>
            </class>
            """, counterpart: client);
        var d = diagnostics.Single(x => x.Id == "ZP3007");
        Assert.Contains("'PONG'", d.Message);
        Assert.Equal((5, 35), (d.Line, d.Column));
    }

    [Fact]
    public void ZP3008_protocol_not_found_points_at_protocol_class_attribute()
    {
        var machine = Parse("""
            <class name = "s" protocol_class = "missing_msg">
                <state name = "start"><event name = "*" /></state>
            </class>
            """);
        var diagnostics = MachineChecker.Check(machine.Machine!, machine.MachinePositions!, null, null);
        AssertAt(diagnostics, "ZP3008", 1, 19);
    }

    [Fact]
    public void ZP3009_duplicate_state_and_event_names()
    {
        var result = Parse("""
            <class name = "s" protocol_class = "hello_msg">
                <state name = "start"><event name = "HELLO" /><event name = "hello" /></state>
                <state name = "Start" />
            </class>
            """);
        Assert.Equal(2, result.Diagnostics.Count(d => d.Id == "ZP3009"));
        AssertAt(result.Diagnostics, "ZP3009", 2, 58);
    }

    [Fact]
    public void ZP3010_method_accepting_an_undeclared_reply_points_at_reply_attribute()
    {
        var result = Parse("""
            <class name = "c" protocol_class = "hello_msg" script = "zproto_client_c">
                <state name = "start"><event name = "connect" /></state>
                <method name = "connect">
                    <accept reply = "SUCCESS" />
                </method>
            </class>
            """);
        AssertAt(result.Diagnostics, "ZP3010", 4, 17);
    }

    [Fact]
    public void ZP3011_action_name_with_no_identifier_characters()
    {
        var result = Parse("""
            <class name = "s" protocol_class = "hello_msg">
                <state name = "start"><event name = "HELLO"><action name = "---" /></event></state>
            </class>
            """);
        AssertAt(result.Diagnostics, "ZP3011", 2, 57);
    }

    [Fact]
    public void ZP3020_client_method_named_like_a_protocol_message_is_rejected_at_the_method()
    {
        // The issue's case: a server-sent PING would otherwise run the 'ping' method's actions.
        var diagnostics = Check("""
            <class name = "c" protocol_class = "hello_msg" script = "zproto_client_c">
                <state name = "start"><event name = "ping" /><event name = "PONG" /></state>
                <method name = "ping"><accept reply = "SUCCESS" /></method>
                <reply name = "SUCCESS" />
            </class>
            """);
        AssertAt(diagnostics, "ZP3020", 3, 13);
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "ZP3020");
        Assert.Contains("method 'ping' has the name of protocol message 'PING'", diagnostic.Message);
    }

    [Fact]
    public void A_method_whose_name_differs_from_every_message_is_accepted()
    {
        var diagnostics = Check("""
            <class name = "c" protocol_class = "hello_msg" script = "zproto_client_c">
                <state name = "start"><event name = "ping server" /><event name = "PONG" /></state>
                <method name = "ping server"><accept reply = "SUCCESS" /></method>
                <reply name = "SUCCESS" />
            </class>
            """);
        Assert.DoesNotContain(diagnostics, d => d.Id == "ZP3020");
    }

    [Fact]
    public void Client_model_with_methods_and_replies_is_read_as_zproto_writes_it()
    {
        var result = Parse("""
            <class name = "c" protocol_class = "hello_msg" script = "zproto_client_c">
                <state name = "start"><event name = "connect" /></state>
                <method name = "connect" return = "status">
                    Connect and wait.
                    <field constant = "CONNECT" />
                    <field argument = "endpoint" type = "string" />
                    <field argument = "timeout" type = "number" />
                    <accept reply = "SUCCESS" />
                </method>
                <reply name = "SUCCESS">
                    <field property = "status" type = "number" />
                </reply>
            </class>
            """);
        Assert.Empty(result.Diagnostics);
        var method = Assert.Single(result.Machine!.Methods);
        Assert.Equal(MachineKind.Client, result.Machine.Kind);
        Assert.Equal(new[] { "", "endpoint", "timeout" }, method.Fields.Select(f => f.Name));
        Assert.Equal("CONNECT", method.Fields[0].Constant);
        Assert.Equal(new[] { "SUCCESS" }, method.Accepts);
        Assert.Equal("status", result.Machine.Replies.Single().Fields.Single().Name);
    }

    [Fact]
    public void Every_machine_model_in_models_is_clean_against_its_protocol_and_counterpart()
    {
        var root = FindRoot();
        var parsed = Directory.GetFiles(Path.Combine(root, "models"))
            .Where(ModelParser.IsModelFile)
            .Select(path => ModelParser.Parse(new ModelSource(path, File.ReadAllText(path)), new NoFiles()))
            .ToList();
        var protocols = parsed.Where(p => p.Spec is not null).ToDictionary(p => Naming.Key(p.Spec!.Name), p => p.Spec!);
        var machines = parsed.Where(p => p.Machine is not null).ToList();
        Assert.NotEmpty(machines);
        foreach (var m in machines)
        {
            Assert.Empty(m.Diagnostics);
            var counterpart = machines.Select(x => x.Machine!).FirstOrDefault(x => x.Kind != m.Machine!.Kind && x.ProtocolClass == m.Machine.ProtocolClass);
            var diagnostics = MachineChecker.Check(m.Machine!, m.MachinePositions!, protocols[Naming.Key(m.Machine!.ProtocolClass)], counterpart);
            Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
        }
    }

    [Fact]
    public void Diagrams_draw_states_transitions_and_superstates_in_mermaid_and_dot()
    {
        var machine = Parse(File.ReadAllText(Path.Combine(FindRoot(), "models", "echo_server.xml")), "echo_server.xml").Machine!;
        var mermaid = StateDiagram.Mermaid(machine);
        Assert.StartsWith("stateDiagram-v2\n", mermaid);
        Assert.Contains("[*] --> Start", mermaid);
        Assert.Contains("Start --> Ready : HELLO / send HELLO-OK", mermaid);
        Assert.Contains("Ready --> Waiting : WAIT", mermaid);
        Assert.Contains("state Defaults {", mermaid);
        Assert.Contains("state External {", mermaid);
        Assert.Contains("External --> External : * / send INVALID, terminate", mermaid);
        var dot = StateDiagram.Dot(machine);
        Assert.StartsWith("digraph EchoServer {", dot);
        Assert.Contains("subgraph cluster_Defaults {", dot);
        Assert.Contains("Start -> Ready [label=\"HELLO / send HELLO-OK\"];", dot);
        Assert.Equal(mermaid, StateDiagram.Mermaid(machine)); // deterministic
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zproto.Net.sln")))
            dir = dir.Parent;
        return dir!.FullName;
    }
}

/// <summary>Keeps docs/state-machines.md showing the diagram of every machine model in models/.</summary>
public class StateMachineDocsTests
{
    private const string Marker = "<!-- diagrams: generated below this line -->";

    private sealed class NoFiles : IModelFileResolver
    {
        public string? TryRead(string path) => null;
    }

    [Fact]
    public void Docs_show_the_current_diagram_of_every_machine_model()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zproto.Net.sln")))
            dir = dir.Parent;
        var root = dir!.FullName;
        var section = new System.Text.StringBuilder();
        foreach (var path in Directory.GetFiles(Path.Combine(root, "models")).Where(ModelParser.IsModelFile).OrderBy(p => p, StringComparer.Ordinal))
        {
            var result = ModelParser.Parse(new ModelSource(path, File.ReadAllText(path)), new NoFiles());
            if (result.Machine is not { } machine)
                continue;
            section.Append("\n### ").Append(machine.Name).Append(" (").Append(machine.Kind.ToString().ToLowerInvariant())
                .Append(", models/").Append(Path.GetFileName(path)).Append(")\n\n```mermaid\n")
                .Append(StateDiagram.Mermaid(machine)).Append("```\n");
        }
        var docPath = Path.Combine(root, "docs", "state-machines.md");
        var doc = File.ReadAllText(docPath).Replace("\r\n", "\n");
        var index = doc.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(index >= 0, "docs/state-machines.md lost its diagrams marker");
        var expected = doc.Substring(0, index + Marker.Length) + "\n" + section;
        if (expected != doc && Environment.GetEnvironmentVariable("ZPROTO_ACCEPT_SNAPSHOTS") == "1")
        {
            File.WriteAllText(docPath, expected);
            return;
        }
        Assert.True(expected == doc, "docs/state-machines.md is out of date with models/; rerun with ZPROTO_ACCEPT_SNAPSHOTS=1");
    }
}

/// <summary>The YAML form of server and client models.</summary>
public class MachineYamlTests
{
    private sealed class NoFiles : IModelFileResolver
    {
        public string? TryRead(string path) => null;
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zproto.Net.sln")))
            dir = dir.Parent;
        return dir!.FullName;
    }

    private static ParseResult Load(string path) => ModelParser.Parse(new ModelSource(path, File.ReadAllText(path)), new NoFiles());

    [Fact]
    public void Yaml_server_model_equals_its_xml_twin()
    {
        var xml = Load(Path.Combine(Root(), "models", "echo_server.xml"));
        var yaml = Load(Path.Combine(Root(), "tests", "Generator", "Zproto.Model.Tests", "Machines", "Fixtures", "echo_server.yaml"));
        Assert.Empty(yaml.Diagnostics);
        Assert.Equal(xml.Machine! with { FileName = "x" }, yaml.Machine! with { FileName = "x" });
    }

    [Fact]
    public void Yaml_client_model_reads_methods_replies_and_before_after_lists()
    {
        var result = Load(Path.Combine(Root(), "tests", "Generator", "Zproto.Model.Tests", "Machines", "Fixtures", "echo_client_part.yaml"));
        Assert.Empty(result.Diagnostics);
        var machine = result.Machine!;
        Assert.Equal(MachineKind.Client, machine.Kind);
        Assert.Equal(new[] { "log entry" }, machine.States[0].Before.Select(a => a.Name));
        Assert.Equal(new[] { "log exit" }, machine.States[0].After.Select(a => a.Name));
        var method = Assert.Single(machine.Methods);
        Assert.Equal(new[] { "endpoint", "timeout" }, method.Fields.Select(f => f.Name));
        Assert.Equal(new[] { "SUCCESS", "FAILURE" }, method.Accepts);
        Assert.Equal("reason", machine.Replies[1].Fields.Single().Name);
    }
}
