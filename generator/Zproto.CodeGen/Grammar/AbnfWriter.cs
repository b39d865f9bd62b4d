using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Zproto.Model.Specs;

namespace Zproto.CodeGen.Grammar;

/// <summary>
/// Writes a protocol's grammar in ABNF (RFC 5234), in the layout of zproto's <c>zproto_bnf</c>:
/// the model's <c>&lt;grammar&gt;</c> block, then per message a documented rule
/// (<c>read = signature %d7 size timeout</c>) followed by the rules of its fields, then the
/// signature and the rules of the wire types it uses (<c>string = number-1 *VCHAR</c>).
/// </summary>
/// <remarks>
/// <para>Where zproto's output is not valid or not exact ABNF, this writer differs on purpose:</para>
/// <list type="bullet">
/// <item>Rule names are lower case with hyphens (<c>input-ok</c>), as RFC 5234 requires and as
/// the models' grammar blocks write them; zproto used C names (<c>input_ok</c>).</item>
/// <item>Each rule is defined once. A field used by several messages with the same encoding
/// (<c>reason = string</c>) gets one rule; a field whose name is taken by another rule with a
/// different meaning is qualified with its message (<c>log-version</c>); a field named like its
/// type (<c>chunk</c> of type chunk) refers to the type rule directly.</item>
/// <item>The signature rule prints the octet the codec really sends, <c>%xA0 | signature</c>
/// (zproto printed the decimal signature, which is wrong for zp's 42 and ZCCP's 10).</item>
/// <item>Constants are exact octets (<c>%x00.03</c>), bit fields are folded into the octet ranges
/// they allow (<c>%x10-1F</c> for a version nibble of 1), with the bit layout in comments.</item>
/// </list>
/// <para>The output is deterministic: model order, invariant culture, <c>\n</c> line ends.</para>
/// </remarks>
public static class AbnfWriter
{
    /// <summary>The ABNF grammar of <paramref name="spec"/>.</summary>
    public static string Write(ProtocolSpec spec)
    {
        if (spec is null)
            throw new ArgumentNullException(nameof(spec));
        return new Writer(spec).Run();
    }

    private sealed class Writer
    {
        private const int NameWidth = 15;
        private const int DefinitionWidth = 22;

        // The ABNF core rules (RFC 5234 appendix B) and the wire type rules this writer may define.
        private static readonly string[] s_coreRules =
        {
            "ALPHA", "BIT", "CHAR", "CR", "CRLF", "CTL", "DIGIT", "DQUOTE", "HEXDIG", "HTAB", "LF", "LWSP", "OCTET", "SP", "VCHAR", "WSP",
        };

        private static readonly string[] s_typeRules =
        {
            "signature", "topic", "packed-msg", "packed-frame", "msg", "frame", "hash", "hash-count", "hash-name", "hash-value",
            "dictionary", "dictionary-count", "dictionary-name", "dictionary-value", "strings", "strings-count", "strings-value",
            "chunk", "rest-chunk", "uuid", "string", "longstr", "rest-string", "boolean", "decimal", "count", "text",
        };

        private readonly ProtocolSpec _spec;
        private readonly StringBuilder _out = new();
        private readonly HashSet<string> _reserved = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> _fieldRules = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);
        private readonly List<TypeSpec> _compositeQueue = new();
        private readonly List<EnumSpec> _enumQueue = new();
        private readonly Dictionary<string, string> _headerReferences = new(StringComparer.Ordinal);

        public Writer(ProtocolSpec spec)
        {
            _spec = spec;
            foreach (var name in s_coreRules) _reserved.Add(name);
            foreach (var name in s_typeRules) _reserved.Add(name);
            for (var size = 1; size <= 8; size++)
            {
                _reserved.Add("number-" + size.ToString(CultureInfo.InvariantCulture));
                _reserved.Add("integer-" + size.ToString(CultureInfo.InvariantCulture));
            }
            foreach (var m in spec.Messages) _reserved.Add(RuleName(m.Name));
            foreach (var t in spec.Types) _reserved.Add(RuleName(t.Name));
            foreach (var e in spec.Enums) _reserved.Add(RuleName(e.Name));
            foreach (var name in GrammarRuleNames(spec.Grammar)) _reserved.Add(name);
        }

        public string Run()
        {
            WriteGrammarBlock();
            if (_spec.Framing == Framing.TextFrames)
                WriteTextMessages();
            else
                WriteBinaryMessages();
            WriteComposites();
            WriteEnums();
            WriteTypeRules();
            return _out.ToString();
        }

        // ---- the model's own grammar ---------------------------------------------------------

        private void WriteGrammarBlock()
        {
            var grammar = Dedent(_spec.Grammar);
            if (grammar.Count == 0)
                return;
            foreach (var line in grammar)
                Line(line);
            Line("");
        }

        // ---- binary protocols (frames and datagrams) -------------------------------------------

        private void WriteBinaryMessages()
        {
            WriteHeader();
            foreach (var m in _spec.Messages)
            {
                Comments(m.Doc.Length > 0 ? m.Doc : $"The {m.Name} message", "        ");
                var elements = new List<string>();
                if (_spec.PubSub)
                {
                    elements.Add("%d" + Decimal(m.Id));
                    elements.Add(Use("topic"));
                    elements.Add("%x00");
                }
                else if (!_spec.HasDiscriminator)
                {
                    elements.Add(Use("signature"));
                    elements.Add("%d" + Decimal(m.Id));
                }

                // Header fields lead every message; a run of bit fields may span header and message.
                var fields = new List<(FieldSpec Field, bool InHeader)>();
                foreach (var f in _spec.Header) fields.Add((f, true));
                foreach (var f in m.Fields) fields.Add((f, false));

                var pending = new List<RuleLine>();
                var bitNotes = new List<string>();
                var owner = RuleName(m.Name);
                for (var i = 0; i < fields.Count; i++)
                {
                    var (field, inHeader) = fields[i];
                    if (field.Bits > 0)
                    {
                        var run = new List<(FieldSpec Field, bool InHeader)>();
                        while (i < fields.Count && fields[i].Field.Bits > 0)
                            run.Add(fields[i++]);
                        i--;
                        var runFields = new List<FieldSpec>();
                        var messageBits = false;
                        foreach (var r in run)
                        {
                            runFields.Add(r.Field);
                            messageBits |= !r.InHeader;
                        }
                        elements.Add(BitRun(runFields, m.Id));
                        if (messageBits)
                            bitNotes.AddRange(BitLayout(runFields, m.Id));
                        continue;
                    }
                    if (field.Discriminator)
                    {
                        elements.Add(ConstantNumber(unchecked((ulong)m.Id), field.Size));
                        continue;
                    }
                    elements.Add(inHeader ? HeaderFieldReference(field) : FieldReference(field, owner, pending));
                }

                Rule(owner, string.Join(" ", elements), null);
                foreach (var note in bitNotes)
                    Line("; " + note);
                foreach (var rule in pending)
                    Rule(rule.Name, rule.Definition, rule.Comment);
                Line("");
            }

            if (_used.Contains("signature"))
            {
                var octet = (0xA0 | _spec.Signature) & 0xFF;
                Line("; The signature is %xAA then %xA0 | " + Decimal(_spec.Signature) + ", so a peer can tell this protocol from others");
                Rule("signature", "%xAA %x" + octet.ToString("X2", CultureInfo.InvariantCulture), "two octets");
                Line("");
            }
            if (_used.Contains("topic"))
            {
                Line("; A pubsub message starts with its id and topic, so subscribers can filter on both");
                Rule("topic", "*%x01-FF", "topic text, ended by %x00");
                Line("");
            }
        }

        private void WriteHeader()
        {
            var any = false;
            var pending = new List<RuleLine>();
            var bitFields = new List<FieldSpec>();
            foreach (var f in _spec.Header)
            {
                any = true;
                if (f.Bits > 0)
                {
                    bitFields.Add(f);
                    continue;
                }
                if (!f.Discriminator)
                    _headerReferences[f.Name] = FieldReference(f, "header", pending);
            }
            if (!any && _spec.MaxSize == 0)
                return;
            if (any)
            {
                Line(_spec.HasDiscriminator
                    ? "; Every message starts with the header; its discriminator field carries the message id"
                    : "; Header fields, in front of every message's own fields");
                if (bitFields.Count > 0)
                {
                    foreach (var note in BitLayout(bitFields, null))
                        Line("; " + note);
                }
                foreach (var rule in pending)
                    Rule(rule.Name, rule.Definition, rule.Comment);
            }
            if (_spec.MaxSize > 0)
            {
                var unit = _spec.Framing == Framing.Datagram ? "A datagram" : "A message";
                Line($"; {unit} is at most {Decimal(_spec.MaxSize)} octets, header included");
            }
            Line("");
        }

        private string HeaderFieldReference(FieldSpec field) =>
            _headerReferences.TryGetValue(field.Name, out var name) ? name : FieldDefinition(field);

        // ---- bit fields -----------------------------------------------------------------------

        /// <summary>The octets of a run of bit fields, each as the range of values the constants and discriminator allow.</summary>
        private static string BitRun(List<FieldSpec> run, int messageId)
        {
            var total = 0;
            foreach (var f in run) total += f.Bits;
            var octets = (total + 7) / 8;
            var mask = new int[octets];
            var fixedBits = new int[octets];
            var position = 0;
            foreach (var f in run)
            {
                ulong? value = f.Discriminator ? unchecked((ulong)messageId) : ConstantBits(f);
                if (value is { } v)
                {
                    for (var b = 0; b < f.Bits; b++)
                    {
                        // Bit b of the field (from its most significant) sits at overall position position + b.
                        var bit = (int)((v >> (f.Bits - 1 - b)) & 1);
                        var at = position + b;
                        var octet = at / 8;
                        var shift = 7 - at % 8;
                        mask[octet] |= 1 << shift;
                        fixedBits[octet] |= bit << shift;
                    }
                }
                position += f.Bits;
            }
            var parts = new List<string>();
            for (var o = 0; o < octets; o++)
                parts.Add(OctetSet(mask[o], fixedBits[o]));
            return string.Join(" ", parts);
        }

        // The model's typed constant (only number and integer fields can have one in a bit group).
        private static ulong? ConstantBits(FieldSpec f) =>
            f.UnsignedValue ?? (f.SignedValue is { } l ? unchecked((ulong)l) & (f.Bits >= 64 ? ulong.MaxValue : (1UL << f.Bits) - 1) : null);

        /// <summary>The octet values whose <paramref name="mask"/> bits equal <paramref name="fixedBits"/>, as ABNF.</summary>
        private static string OctetSet(int mask, int fixedBits)
        {
            if (mask == 0)
                return "OCTET";
            var ranges = new List<string>();
            var start = -1;
            for (var v = 0; v <= 256; v++)
            {
                var inSet = v < 256 && (v & mask) == fixedBits;
                if (inSet && start < 0)
                    start = v;
                else if (!inSet && start >= 0)
                {
                    ranges.Add(start == v - 1 ? "%x" + Hex(start) : "%x" + Hex(start) + "-" + Hex(v - 1));
                    start = -1;
                }
            }
            // Fixed low bits under free high bits scatter the values; a long alternation helps nobody.
            if (ranges.Count > 4)
                return "OCTET";
            return ranges.Count == 1 ? ranges[0] : "( " + string.Join(" / ", ranges) + " )";
        }

        private static IEnumerable<string> BitLayout(List<FieldSpec> run, int? messageId)
        {
            var total = 0;
            foreach (var f in run) total += f.Bits;
            yield return $"{(total == 8 ? "One octet holds" : Decimal(total / 8) + " octets hold")} bit fields, most significant bit first:";
            foreach (var f in run)
            {
                var what = f.Discriminator
                    ? messageId is { } id ? $", the message id ({Decimal(id)})" : ", the message id"
                    : f.Value is not null ? $", always {f.Value.Trim()}" : "";
                var doc = OneLine(f.Doc);
                yield return $"  {RuleName(f.Name)}: {Decimal(f.Bits)} bit{(f.Bits == 1 ? "" : "s")}{what}{(doc.Length > 0 ? " - " + doc : "")}";
            }
        }

        // ---- fields ---------------------------------------------------------------------------

        private sealed record RuleLine(string Name, string Definition, string? Comment);

        /// <summary>
        /// The name a message rule uses for <paramref name="field"/>, defining the field's rule (into
        /// <paramref name="pending"/>) the first time; see the class remarks for how names are chosen.
        /// </summary>
        private string FieldReference(FieldSpec field, string owner, List<RuleLine> pending)
        {
            var definition = FieldDefinition(field);
            var name = RuleName(field.Name);
            if (string.Equals(name, definition, StringComparison.OrdinalIgnoreCase))
                return definition;
            var candidates = new List<string> { name, owner + "-" + name };
            for (var n = 2; n < 100; n++)
                candidates.Add(owner + "-" + name + "-" + Decimal(n));
            foreach (var candidate in candidates)
            {
                if (_reserved.Contains(candidate))
                    continue;
                if (_fieldRules.TryGetValue(candidate, out var existing))
                {
                    if (existing == definition)
                        return candidate;
                    continue;
                }
                _fieldRules[candidate] = definition;
                var comment = OneLine(field.Doc);
                if (field.Value is not null && field.Kind is FieldKind.String or FieldKind.Longstr && comment.IndexOf("\"" + field.Value + "\"", StringComparison.Ordinal) < 0)
                    comment = (comment.Length > 0 ? comment + " " : "") + "(always \"" + field.Value + "\")";
                pending.Add(new RuleLine(candidate, definition, comment.Length > 0 ? comment : null));
                return candidate;
            }
            return definition;
        }

        /// <summary>The right-hand side for a whole-octet field, marking the type rules it needs.</summary>
        private string FieldDefinition(FieldSpec f)
        {
            switch (f.Kind)
            {
                case FieldKind.Number:
                    if (f.UnsignedValue is { } u)
                        return ConstantNumber(u, Size(f));
                    return Use("number-" + Decimal(Size(f)));
                case FieldKind.Integer:
                    if (f.SignedValue is { } l)
                        return ConstantNumber(unchecked((ulong)l), Size(f));
                    return Use("integer-" + Decimal(Size(f)));
                case FieldKind.Boolean:
                    return Use("boolean");
                case FieldKind.Octets:
                    return Decimal(f.Size) + "OCTET";
                case FieldKind.String:
                    if (f.Rest)
                        return Use("rest-string");
                    if (f.Value is not null)
                        return ConstantText(f.Value, 1);
                    return Use("string");
                case FieldKind.Longstr:
                    if (f.Rest)
                        return Use("rest-string");
                    if (f.Value is not null)
                        return ConstantText(f.Value, 4);
                    return Use("longstr");
                case FieldKind.Strings:
                    return Use("strings");
                case FieldKind.Hash:
                    return Use(string.Equals(f.Type, "dictionary", StringComparison.OrdinalIgnoreCase) ? "dictionary" : "hash");
                case FieldKind.Chunk:
                    return Use(f.Rest ? "rest-chunk" : "chunk");
                case FieldKind.Uuid:
                    return Use("uuid");
                case FieldKind.Frame:
                    return Use("frame");
                case FieldKind.Msg:
                    return Use(f.Packed ? "packed-msg" : "msg");
                case FieldKind.Composite:
                    QueueComposite(f.TypeRef);
                    return RuleName(f.TypeRef);
                case FieldKind.Enum:
                    QueueEnum(f.TypeRef);
                    return RuleName(f.TypeRef);
                case FieldKind.List:
                    Use("number-4");
                    var item = f.Item is null ? "OCTET" : FieldDefinition(f.Item);
                    return "number-4 *" + (item.IndexOf(' ') >= 0 ? "( " + item + " )" : item);
                default:
                    return "*OCTET";
            }
        }

        private static int Size(FieldSpec f) => f.Size > 0 ? f.Size : 1;

        /// <summary>A number constant as its exact octets, <c>%x00.03</c>.</summary>
        private static string ConstantNumber(ulong value, int size)
        {
            if (size <= 0) size = 1;
            var sb = new StringBuilder("%x");
            for (var i = size - 1; i >= 0; i--)
            {
                sb.Append(Hex((int)((value >> (8 * i)) & 0xFF)));
                if (i > 0) sb.Append('.');
            }
            return sb.ToString();
        }

        /// <summary>A text constant as its length prefix and UTF-8 octets (ABNF quoted strings would ignore case).</summary>
        private static string ConstantText(string value, int lengthSize)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            var prefix = ConstantNumber((ulong)bytes.Length, lengthSize);
            if (bytes.Length == 0)
                return prefix;
            var sb = new StringBuilder(prefix).Append(" %x");
            for (var i = 0; i < bytes.Length; i++)
            {
                if (i > 0) sb.Append('.');
                sb.Append(Hex(bytes[i]));
            }
            return sb.ToString();
        }

        // ---- composites and enums -------------------------------------------------------------

        private void QueueComposite(string name)
        {
            foreach (var t in _compositeQueue)
                if (t.Name == name) return;
            foreach (var t in _spec.Types)
            {
                if (t.Name == name)
                {
                    _compositeQueue.Add(t);
                    return;
                }
            }
        }

        private void QueueEnum(string name)
        {
            foreach (var e in _enumQueue)
                if (e.Name == name) return;
            foreach (var e in _spec.Enums)
            {
                if (e.Name == name)
                {
                    _enumQueue.Add(e);
                    return;
                }
            }
        }

        private void WriteComposites()
        {
            // The queue grows while it is written when a composite holds another composite.
            for (var i = 0; i < _compositeQueue.Count; i++)
            {
                var type = _compositeQueue[i];
                var owner = RuleName(type.Name);
                Comments(type.Doc.Length > 0 ? type.Doc : $"A {type.Name}, its fields inline", "        ");
                var pending = new List<RuleLine>();
                var elements = new List<string>();
                for (var k = 0; k < type.Fields.Count; k++)
                {
                    var f = type.Fields[k];
                    if (f.Bits > 0)
                    {
                        var run = new List<FieldSpec>();
                        while (k < type.Fields.Count && type.Fields[k].Bits > 0)
                            run.Add(type.Fields[k++]);
                        k--;
                        elements.Add(BitRun(run, 0));
                        continue;
                    }
                    elements.Add(FieldReference(f, owner, pending));
                }
                Rule(owner, elements.Count == 0 ? "\"\"" : string.Join(" ", elements), null);
                foreach (var rule in pending)
                    Rule(rule.Name, rule.Definition, rule.Comment);
                Line("");
            }
        }

        private void WriteEnums()
        {
            foreach (var e in _enumQueue)
            {
                Comments(e.Doc.Length > 0 ? e.Doc : $"Values of {e.Name}", "        ");
                var values = new List<string>();
                var names = new List<string>();
                foreach (var v in e.Values)
                {
                    values.Add(ConstantNumber(v.Value, e.Size));
                    names.Add($"{v.Name} = {v.Value.ToString(CultureInfo.InvariantCulture)}");
                }
                Rule(RuleName(e.Name), values.Count == 0 ? Decimal(e.Size) + "OCTET" : string.Join(" / ", values), string.Join(", ", names));
                Line("");
            }
        }

        // ---- text-frame protocols -------------------------------------------------------------

        private void WriteTextMessages()
        {
            Line("; Every element below is one ZeroMQ frame: a tag, an ASCII decimal number or a value.");
            Line("; Tags are case-sensitive; the long and the short form of a tag both decode.");
            Line("");
            foreach (var m in _spec.Messages)
            {
                Comments(m.Doc.Length > 0 ? m.Doc : $"The {m.Name} message", "        ");
                if (m.Direction != Direction.Any)
                    Line(";         Direction: " + (m.Direction == Direction.Request ? "request (client to server)" : "reply (server to client)"));
                var owner = RuleName(m.Name);
                var elements = new List<string>();
                var sections = new List<RuleLine>();
                foreach (var s in m.Sections)
                {
                    var name = SectionName(s, owner);
                    elements.Add(s.Repeat == SectionRepeat.Repeated ? "*" + name
                        : s.Optional ? "[ " + name + " ]"
                        : name);
                    WriteSection(s, name, owner, sections);
                }
                Rule(owner, elements.Count == 0 ? "\"\"" : string.Join(" ", elements), null);
                foreach (var rule in sections)
                    Rule(rule.Name, rule.Definition, rule.Comment);
                Line("");
            }
        }

        private string SectionName(SectionSpec section, string owner)
        {
            var name = RuleName(section.Name);
            if (_reserved.Contains(name) || _fieldRules.ContainsKey(name))
                name = owner + "-" + name;
            _fieldRules[name] = "";
            return name;
        }

        private void WriteSection(SectionSpec s, string name, string owner, List<RuleLine> rules)
        {
            var doc = OneLine(s.Doc);
            if (s.Repeat == SectionRepeat.Choice)
            {
                var alternatives = new List<string>();
                var nested = new List<RuleLine>();
                foreach (var choice in s.Choices)
                {
                    var alternative = SectionName(choice, owner);
                    alternatives.Add(alternative);
                    WriteSection(choice, alternative, owner, nested);
                }
                rules.Add(new RuleLine(name, string.Join(" / ", alternatives), doc.Length > 0 ? doc : "exactly one of these"));
                rules.AddRange(nested);
                return;
            }

            var tag = name + "-tag";
            var fieldRules = new List<RuleLine>();
            var fields = new List<string>();
            foreach (var f in s.Fields)
                fields.Add(TextFieldReference(f, owner, fieldRules));
            var body = fields.Count == 0 ? "" : string.Join(" ", fields);
            string definition;
            if (s.Repeat == SectionRepeat.Counted)
            {
                Use("count");
                var item = fields.Count == 1 ? body : "( " + body + " )";
                definition = $"{tag} count *{item}";
            }
            else
            {
                definition = body.Length == 0 ? tag : tag + " " + body;
            }
            rules.Add(new RuleLine(name, definition, doc.Length > 0 ? doc : null));
            var tags = Quote(s.Tag);
            if (s.Alias.Length > 0)
                tags += " / " + Quote(s.Alias);
            rules.Add(new RuleLine(tag, tags, null));
            rules.AddRange(fieldRules);
        }

        private string TextFieldReference(FieldSpec field, string owner, List<RuleLine> pending)
        {
            var definition = field.Kind switch
            {
                FieldKind.Number or FieldKind.Integer or FieldKind.Enum => Use("decimal"),
                FieldKind.String or FieldKind.Longstr => Use("text"),
                _ => Use("frame"),
            };
            var name = RuleName(field.Name);
            var candidates = new[] { name, owner + "-" + name };
            foreach (var candidate in candidates)
            {
                if (_reserved.Contains(candidate))
                    continue;
                if (_fieldRules.TryGetValue(candidate, out var existing))
                {
                    if (existing == definition)
                        return candidate;
                    continue;
                }
                _fieldRules[candidate] = definition;
                var comment = OneLine(field.Doc);
                pending.Add(new RuleLine(candidate, definition, comment.Length > 0 && comment != field.Name ? comment : null));
                return candidate;
            }
            return definition;
        }

        private static string Quote(string tag)
        {
            // A quoted string cannot hold '"'; ABNF writes such a tag as octets.
            if (tag.IndexOf('"') < 0)
                return "\"" + tag + "\"";
            var sb = new StringBuilder("%x");
            var bytes = Encoding.UTF8.GetBytes(tag);
            for (var i = 0; i < bytes.Length; i++)
            {
                if (i > 0) sb.Append('.');
                sb.Append(Hex(bytes[i]));
            }
            return sb.ToString();
        }

        // ---- type rules -----------------------------------------------------------------------

        /// <summary>Marks the type rule <paramref name="name"/>, and those it refers to, as needed; returns the name.</summary>
        private string Use(string name)
        {
            if (!_used.Add(name))
                return name;
            switch (name)
            {
                case "packed-msg": Use("number-2"); Use("number-4"); break;
                case "msg": Use("frame"); break;
                case "hash": case "dictionary": Use("number-4"); Use("string"); Use("longstr"); break;
                case "strings": Use("number-4"); Use("longstr"); break;
                case "chunk": Use("number-4"); break;
                case "string": Use("number-1"); break;
                case "longstr": Use("number-4"); break;
                case "count": Use("decimal"); break;
            }
            return name;
        }

        private void WriteTypeRules()
        {
            if (_used.Contains("packed-msg"))
            {
                Line("; A packed msg is a list of frames inside one frame or datagram: each frame is a");
                Line("; 1-octet length (0 to 253), or %xFE and a 2-octet length, or %xFF and a 4-octet length,");
                Line("; then that many octets; the list runs to the end");
                Rule("packed-msg", "*packed-frame", null);
                Rule("packed-frame", "( %x00-FD / %xFE number-2 / %xFF number-4 ) *OCTET", null);
                Line("");
            }
            if (_used.Contains("msg"))
            {
                Line("; A msg is zero or more distinct frames");
                Rule("msg", "*frame", null);
                Line("");
            }
            if (_used.Contains("frame"))
            {
                Line("; A frame is zero or more octets encoded as a ZeroMQ frame");
                Rule("frame", "*OCTET", null);
                Line("");
            }
            foreach (var hash in new[] { "hash", "dictionary" })
            {
                if (!_used.Contains(hash))
                    continue;
                Line("; A list of name/value pairs");
                Rule(hash, $"{hash}-count *( {hash}-name {hash}-value )", null);
                Rule(hash + "-count", "number-4", null);
                Rule(hash + "-name", "string", null);
                Rule(hash + "-value", "longstr", null);
                Line("");
            }
            if (_used.Contains("strings"))
            {
                Line("; A list of string values");
                Rule("strings", "strings-count *strings-value", null);
                Rule("strings-count", "number-4", null);
                Rule("strings-value", "longstr", null);
                Line("");
            }
            if (_used.Contains("chunk"))
            {
                Line("; A chunk has 4-octet length + binary contents");
                Rule("chunk", "number-4 *OCTET", null);
                Line("");
            }
            if (_used.Contains("rest-chunk"))
            {
                Line("; A rest-of-frame chunk has no length: its contents run to the end of the frame or datagram");
                Rule("rest-chunk", "*OCTET", null);
                Line("");
            }
            if (_used.Contains("uuid"))
            {
                Line("; A uuid is 16-octet binary content");
                Rule("uuid", "16OCTET", null);
                Line("");
            }
            if (_used.Contains("string") || _used.Contains("longstr"))
            {
                Line("; Strings are always length + text contents");
                if (_used.Contains("string")) Rule("string", "number-1 *VCHAR", null);
                if (_used.Contains("longstr")) Rule("longstr", "number-4 *VCHAR", null);
                Line("");
            }
            if (_used.Contains("rest-string"))
            {
                Line("; A rest-of-frame string has no length: its text runs to the end of the frame or datagram");
                Rule("rest-string", "*VCHAR", null);
                Line("");
            }
            if (_used.Contains("text"))
            {
                Line("; A text value is a whole frame of UTF-8");
                Rule("text", "*OCTET", null);
                Line("");
            }
            if (_used.Contains("count") || _used.Contains("decimal"))
            {
                Line("; Numbers are ASCII decimal, one frame each, with no '+', spaces or leading zeros");
                if (_used.Contains("count")) Rule("count", "\"0\" / %x31-39 *18DIGIT", "number of items that follow");
                if (_used.Contains("decimal")) Rule("decimal", "[ \"-\" ] ( \"0\" / %x31-39 *18DIGIT )", null);
                Line("");
            }
            if (_used.Contains("boolean"))
            {
                Line("; A boolean is one octet, 0 or 1");
                Rule("boolean", "%x00 / %x01", null);
                Line("");
            }
            WriteSizedRules("integer-", "; Integers are signed (two's complement) in network byte order");
            WriteSizedRules("number-", "; Numbers are unsigned integers in network byte order");
        }

        private void WriteSizedRules(string prefix, string comment)
        {
            var any = false;
            foreach (var size in new[] { 1, 2, 3, 4, 5, 6, 7, 8 })
            {
                var name = prefix + Decimal(size);
                if (!_used.Contains(name))
                    continue;
                if (!any)
                    Line(comment);
                any = true;
                Rule(name, Decimal(size) + "OCTET", null);
            }
            if (any)
                Line("");
        }

        // ---- layout ---------------------------------------------------------------------------

        private void Rule(string name, string definition, string? comment)
        {
            var line = new StringBuilder(name.PadRight(NameWidth)).Append(" = ").Append(definition);
            if (comment is not null && comment.Length > 0)
            {
                var pad = NameWidth + 3 + DefinitionWidth;
                if (line.Length < pad)
                    line.Append(' ', pad - line.Length);
                else
                    line.Append(' ');
                line.Append("; ").Append(comment);
            }
            Line(line.ToString());
        }

        private void Comments(string doc, string indent)
        {
            foreach (var line in Dedent(doc))
                Line(line.Length == 0 ? ";" : ";" + indent + " " + line);
        }

        private void Line(string text)
        {
            // One blank line at most, none at the start: the output is stable whatever the input spacing.
            if (text.Length == 0 && (_out.Length == 0 || EndsWithBlankLine()))
                return;
            _out.Append(text.TrimEnd()).Append('\n');
        }

        private bool EndsWithBlankLine() =>
            _out.Length >= 2 && _out[_out.Length - 1] == '\n' && _out[_out.Length - 2] == '\n';

        // ---- names and text -------------------------------------------------------------------

        /// <summary>An ABNF rule name: ASCII letters and digits, lower case, words joined by '-'.</summary>
        internal static string RuleName(string name)
        {
            var sb = new StringBuilder(name.Length);
            var separator = false;
            foreach (var c in name)
            {
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                {
                    if (separator && sb.Length > 0)
                        sb.Append('-');
                    sb.Append(char.ToLowerInvariant(c));
                    separator = false;
                }
                else
                {
                    separator = true;
                }
            }
            if (sb.Length == 0 || !(sb[0] >= 'a' && sb[0] <= 'z'))
                sb.Insert(0, "x-");
            return sb.ToString();
        }

        /// <summary>The names a grammar block defines (<c>name =</c> or <c>name =/</c> at the start of a line).</summary>
        private static IEnumerable<string> GrammarRuleNames(string grammar)
        {
            foreach (var raw in grammar.Split('\n'))
            {
                var line = raw.Trim();
                var i = 0;
                while (i < line.Length && (char.IsLetterOrDigit(line[i]) || line[i] == '-' || line[i] == '_'))
                    i++;
                if (i == 0)
                    continue;
                var rest = line.Substring(i).TrimStart();
                if (rest.StartsWith("=", StringComparison.Ordinal))
                    yield return line.Substring(0, i);
            }
        }

        /// <summary>The lines of a text block, without common indentation or leading and trailing blank lines.</summary>
        private static List<string> Dedent(string text)
        {
            var lines = new List<string>(text.Replace("\r\n", "\n").Replace('\r', '\n').Replace('\t', ' ').Split('\n'));
            while (lines.Count > 0 && lines[0].Trim().Length == 0) lines.RemoveAt(0);
            while (lines.Count > 0 && lines[lines.Count - 1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
            var indent = int.MaxValue;
            foreach (var line in lines)
            {
                if (line.Trim().Length == 0) continue;
                var n = 0;
                while (n < line.Length && line[n] == ' ') n++;
                indent = Math.Min(indent, n);
            }
            for (var i = 0; i < lines.Count; i++)
                lines[i] = lines[i].Trim().Length == 0 ? "" : lines[i].Substring(indent).TrimEnd();
            return lines;
        }

        private static string OneLine(string doc)
        {
            var sb = new StringBuilder();
            foreach (var part in doc.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (sb.Length > 0) sb.Append(' ');
                sb.Append(part);
            }
            return sb.ToString();
        }

        private static string Decimal(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Hex(int octet) => octet.ToString("X2", CultureInfo.InvariantCulture);
    }
}
