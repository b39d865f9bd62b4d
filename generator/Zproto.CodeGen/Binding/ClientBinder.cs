using System;
using System.Collections.Generic;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Machines;

namespace Zproto.CodeGen.Binding;

/// <summary>Adds a client machine's API (methods, argument records, replies) to its view.</summary>
internal static class ClientBinder
{
    public static MachineView Complete(MachineView view, MachineSpec machine, Dictionary<string, EventView> events)
    {
        var replyNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var replies = new List<ReplyView>();
        foreach (var r in machine.Replies)
        {
            var properties = new List<PropertyView>();
            var order = 0;
            foreach (var f in r.Fields)
            {
                if (f.Name.Length == 0)
                    continue;
                properties.Add(new PropertyView
                {
                    Name = Naming.Pascal(f.Name),
                    Type = ParameterType(f),
                    DocLines = CSharp.DocLines(f.Doc, f.Name),
                    Initializer = Initializer(f.Type),
                    FieldAttributeArguments = $"{CSharp.Literal(f.Name)}, {order++}, Type = {CSharp.Literal(f.Type)}",
                });
            }
            replyNames[Naming.Key(r.Name)] = Naming.Pascal(r.Name);
            replies.Add(new ReplyView(Naming.Pascal(r.Name), r.Name, CSharp.DocLines(r.Doc, $"The {r.Name} reply."), properties.ToEquatableArray()));
        }

        var methods = new List<MethodView>();
        var delivered = new List<string>();
        var results = new List<(string Key, string Name, List<string> Methods, List<ResultCaseView> Cases)>();
        foreach (var m in machine.Methods)
        {
            var name = Naming.Pascal(m.Name);
            var parameters = new List<string>();
            var arguments = new List<ParameterView>();
            var initializer = new List<string>();
            foreach (var f in m.Fields)
            {
                if (f.Constant.Length > 0 || f.Name.Length == 0)
                    continue;
                var type = ParameterType(f);
                var parameter = Naming.Camel(f.Name);
                parameters.Add($"{type} {parameter}");
                arguments.Add(new ParameterView(parameter, Naming.Pascal(f.Name), type));
                initializer.Add($"{Naming.Pascal(f.Name)} = {parameter}");
            }
            var accepts = new List<string>();
            var cases = new List<ResultCaseView>();
            foreach (var a in m.Accepts)
            {
                var reply = replyNames[Naming.Key(a)];
                accepts.Add(reply);
                cases.Add(new ResultCaseView(reply, Naming.Camel(a)));
            }
            var resultType = accepts.Count == 1 ? accepts[0] : "";
            if (accepts.Count > 1)
            {
                // Methods accepting the same replies share one result type, named for the model's
                // return= when it has one (connect, delay and disconnect all return "status").
                var key = string.Join("|", accepts);
                var index = results.FindIndex(r => r.Key == key);
                if (index < 0)
                {
                    var resultName = Naming.Pascal(m.Return.Length > 0 ? m.Return : m.Name) + "Result";
                    if (results.Exists(r => r.Name == resultName) || replyNames.ContainsValue(resultName))
                        resultName = name + "Result";
                    results.Add((key, resultName, new List<string>(), cases));
                    index = results.Count - 1;
                }
                results[index].Methods.Add(name + "Async");
                resultType = results[index].Name;
            }
            var dispatches = Handles(machine, m.Name);
            if (!dispatches)
            {
                foreach (var reply in accepts)
                    if (!delivered.Contains(reply)) delivered.Add(reply);
            }
            methods.Add(new MethodView
            {
                Name = name,
                ModelName = m.Name,
                DocLines = CSharp.DocLines(m.Doc, $"The {m.Name} method."),
                Parameters = string.Join(", ", parameters),
                ArgumentsRecord = name + "Arguments",
                ArgumentsInitializer = initializer.Count == 0 ? "()" : " { " + string.Join(", ", initializer) + " }",
                Arguments = arguments.ToEquatableArray(),
                EventExpression = dispatches ? $"Event.{events[Naming.Key(m.Name)].Name}" : "null",
                ReturnsNothing = accepts.Count == 0,
                ReturnsOne = accepts.Count == 1,
                ResultType = resultType,
                AcceptPattern = string.Join(" or ", accepts),
            });
        }
        var resultViews = results.ConvertAll(r => new ResultView(r.Name, string.Join(", ", r.Methods.ConvertAll(x => $"<see cref=\"{x}\"/>")), r.Cases.ToEquatableArray()));
        return view with
        {
            Methods = methods.ToEquatableArray(),
            Replies = replies.ToEquatableArray(),
            Results = resultViews.ToEquatableArray(),
            DeliveredPattern = string.Join(" or ", delivered),
        };
    }

    private static bool Handles(MachineSpec machine, string eventName)
    {
        foreach (var s in machine.States)
            foreach (var e in s.Events)
                if (MachineChecker.EventKey(e.Name) == Naming.Key(eventName)) return true;
        return false;
    }

    /// <summary>The C# type of a method argument or reply property: a number as wide as its size.</summary>
    public static string ParameterType(MethodFieldSpec field) => field.Type switch
    {
        "number" => field.Size switch
        {
            1 => "byte",
            2 => "ushort",
            8 => "ulong",
            _ => "uint",
        },
        "integer" => "int",
        "boolean" or "bool" => "bool",
        "chunk" or "frame" or "octets" => "global::System.ReadOnlyMemory<byte>",
        "msg" => "global::System.Collections.Generic.IReadOnlyList<global::System.ReadOnlyMemory<byte>>",
        "hash" or "dictionary" => "global::Zproto.Wire.ZprotoHash",
        "strings" => "global::System.Collections.Generic.IReadOnlyList<string>",
        "uuid" => "global::System.Guid",
        _ => "string",
    };

    private static string Initializer(string type) => type switch
    {
        "number" or "integer" or "boolean" or "bool" or "chunk" or "frame" or "octets" or "uuid" => "",
        "msg" => " = global::System.Array.Empty<global::System.ReadOnlyMemory<byte>>();",
        "hash" or "dictionary" => " = global::Zproto.Wire.ZprotoHash.Empty;",
        "strings" => " = global::System.Array.Empty<string>();",
        _ => " = \"\";",
    };
}
