using System;
using System.Collections.Generic;
using System.Text;

namespace Zccp.Protocol;

/// <summary>
/// A ZCCP subscription pattern with CZMQ <c>zrex</c> semantics (the SLRE dialect): a search, not a
/// full match, over the UTF-8 bytes of an address. Supported: <c>^ $ . ( ) |</c>, <c>* + ?</c> (and
/// their lazy forms <c>*? +? ??</c>, which match the same addresses), <c>[...]</c> and <c>[^...]</c>
/// with ranges, <c>\s \S \d \D \a \A \w \W</c> (C-locale classes: <c>\w</c> is alphanumeric, without
/// the underscore, <c>\a</c> alphabetic), <c>\r \n \xDD</c>, and a backslash before any other
/// non-alphanumeric character for that character.
/// </summary>
/// <remarks>
/// Matching is a Thompson NFA simulation: time is linear in the address length times the pattern
/// size, whatever the pattern, so no subscription can make the broker backtrack catastrophically.
/// Patterns longer than <see cref="MaxLength"/> bytes (a ZCCP string field's limit) are invalid.
/// An invalid pattern never throws: <see cref="IsValid"/> is false, <see cref="Error"/> says why and
/// it matches nothing (what zrex does with an expression that fails to compile).
/// </remarks>
public sealed class ZrexPattern
{
    /// <summary>The longest pattern, in UTF-8 bytes: what a ZCCP <c>string</c> field can carry.</summary>
    public const int MaxLength = 255;

    // Groups nest at most this deep; deeper is refused rather than recursing without bound.
    private const int MaxDepth = 32;

    private readonly Instruction[] _program;
    private readonly ByteSet[] _sets;
    private readonly byte[] _literal;
    private readonly LiteralShape _shape;

    private ZrexPattern(string expression, string? error, Instruction[] program, ByteSet[] sets, byte[] prefix, byte[] required, byte[] literal, LiteralShape shape)
    {
        Expression = expression;
        Error = error;
        _program = program;
        _sets = sets;
        AnchoredPrefix = prefix;
        RequiredLiteral = required;
        _literal = literal;
        _shape = shape;
    }

    /// <summary>The pattern as given.</summary>
    public string Expression { get; }

    /// <summary>True when the pattern compiled; an invalid pattern matches nothing.</summary>
    public bool IsValid => Error is null;

    /// <summary>Why the pattern is invalid (with the byte offset), or null.</summary>
    public string? Error { get; }

    /// <summary>
    /// Bytes every matching address starts with: the literal run after a leading <c>^</c>
    /// (<c>^cpu\.</c> gives <c>cpu.</c>); empty when the pattern is not anchored that way. The
    /// broker indexes patterns by it so a PUBLISH never tests patterns that cannot match.
    /// </summary>
    public ReadOnlyMemory<byte> AnchoredPrefix { get; }

    /// <summary>
    /// Bytes every matching address contains: the longest run of literal bytes that any match must
    /// include, in order and adjacent (<c>dev-\d+-temp</c> gives <c>-temp</c>, <c>(ab)+x</c> gives
    /// <c>ab</c>); empty when there is none (<c>\d+</c>, <c>a|b</c>, <c>x*</c>). The broker tests an
    /// unanchored pattern only against addresses in which this literal occurs.
    /// </summary>
    public ReadOnlyMemory<byte> RequiredLiteral { get; }

    /// <summary>Compiles <paramref name="expression"/>; never throws for a bad pattern (see <see cref="IsValid"/>).</summary>
    public static ZrexPattern Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var bytes = Encoding.UTF8.GetBytes(expression);
        if (bytes.Length > MaxLength)
            return Invalid(expression, $"pattern is {bytes.Length} bytes; at most {MaxLength} are allowed");
        var parser = new Parser(bytes);
        Node root;
        try
        {
            root = parser.ParseAll();
        }
        catch (PatternException e)
        {
            return Invalid(expression, e.Message);
        }
        var compiler = new Compiler();
        compiler.Emit(root);
        compiler.Add(new Instruction(OpCode.Match, 0, 0));
        var (shape, literal) = Classify(root);
        return new ZrexPattern(expression, null, compiler.Program.ToArray(), parser.Sets.ToArray(), Prefix(root), Required(root), literal, shape);
    }

    /// <summary>True when the pattern occurs anywhere in <paramref name="address"/>.</summary>
    public bool IsMatch(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var count = Encoding.UTF8.GetMaxByteCount(address.Length);
        Span<byte> buffer = count <= 1024 ? stackalloc byte[count] : new byte[count];
        var length = Encoding.UTF8.GetBytes(address, buffer);
        return IsMatch(buffer[..length]);
    }

    /// <summary>True when the pattern occurs anywhere in the UTF-8 <paramref name="address"/>.</summary>
    public bool IsMatch(ReadOnlySpan<byte> address)
    {
        if (!IsValid)
            return false;
        return _shape switch
        {
            LiteralShape.Contains => address.IndexOf(_literal) >= 0,
            LiteralShape.StartsWith => address.StartsWith(_literal),
            LiteralShape.EndsWith => address.EndsWith(_literal),
            LiteralShape.Equals => address.SequenceEqual(_literal),
            _ => Simulate(address),
        };
    }

    /// <inheritdoc />
    public override string ToString() => Expression;

    private static ZrexPattern Invalid(string expression, string error) =>
        new(expression, error, Array.Empty<Instruction>(), Array.Empty<ByteSet>(), Array.Empty<byte>(), Array.Empty<byte>(), Array.Empty<byte>(), LiteralShape.None);

    // ---- matching -------------------------------------------------------------------------------

    // Pike-VM without captures: every live NFA state advances in lock step, one byte at a time.
    private bool Simulate(ReadOnlySpan<byte> input)
    {
        var size = _program.Length;
        Span<int> current = size <= 512 ? stackalloc int[size] : new int[size];
        Span<int> next = size <= 512 ? stackalloc int[size] : new int[size];
        Span<int> stack = size <= 512 ? stackalloc int[size] : new int[size];
        Span<int> marks = size <= 512 ? stackalloc int[size] : new int[size];
        marks.Clear();
        var currentCount = 0;
        var anchored = _program[0].Op == OpCode.Begin;
        for (var position = 0; ; position++)
        {
            var step = position + 1;
            // A search: a new thread starts at every position (only at 0 when the pattern begins with ^).
            if ((position == 0 || !anchored) && AddThread(current, ref currentCount, 0, position, input.Length, marks, step, stack))
                return true;
            if (currentCount == 0 && (anchored || position >= input.Length))
                return false;
            if (position >= input.Length)
                return false;
            var b = input[position];
            var nextCount = 0;
            for (var i = 0; i < currentCount; i++)
            {
                var pc = current[i];
                var instruction = _program[pc];
                var consumes = instruction.Op switch
                {
                    OpCode.Byte => b == instruction.Argument,
                    OpCode.Set => _sets[instruction.Argument].Contains(b),
                    OpCode.Any => true,
                    _ => false,
                };
                if (consumes && AddThread(next, ref nextCount, pc + 1, position + 1, input.Length, marks, step + 1, stack))
                    return true;
            }
            var swap = current;
            current = next;
            next = swap;
            currentCount = nextCount;
        }
    }

    // Follows jumps, splits and assertions from pc; adds the byte-consuming states to the list.
    // True as soon as Match is reachable: a search needs no more than that.
    private bool AddThread(Span<int> list, ref int count, int start, int position, int length, Span<int> marks, int step, Span<int> stack)
    {
        if (marks[start] == step)
            return false;
        marks[start] = step;
        var top = 0;
        stack[top++] = start;
        while (top > 0)
        {
            var pc = stack[--top];
            var instruction = _program[pc];
            switch (instruction.Op)
            {
                case OpCode.Match:
                    return true;
                case OpCode.Jump:
                    Push(instruction.Argument, marks, step, stack, ref top);
                    break;
                case OpCode.Split:
                    // Pushed in reverse so the preferred branch is explored first (order is irrelevant to the answer).
                    Push(instruction.Second, marks, step, stack, ref top);
                    Push(instruction.Argument, marks, step, stack, ref top);
                    break;
                case OpCode.Begin:
                    if (position == 0)
                        Push(pc + 1, marks, step, stack, ref top);
                    break;
                case OpCode.End:
                    if (position == length)
                        Push(pc + 1, marks, step, stack, ref top);
                    break;
                default:
                    list[count++] = pc;
                    break;
            }
        }
        return false;
    }

    private static void Push(int pc, Span<int> marks, int step, Span<int> stack, ref int top)
    {
        if (marks[pc] == step)
            return;
        marks[pc] = step;
        stack[top++] = pc;
    }

    // ---- shape analysis -------------------------------------------------------------------------

    private static byte[] Prefix(Node root)
    {
        if (root is not ConcatNode { Items: [BeginNode, ..] items })
            return Array.Empty<byte>();
        var prefix = new List<byte>();
        for (var i = 1; i < items.Count && items[i] is ByteNode literal; i++)
            prefix.Add(literal.Value);
        return prefix.ToArray();
    }

    // The longest literal run every match contains. Concatenations (groups included) are walked in
    // order: adjacent literal bytes extend the run, anything else ends it. The body of a repetition
    // that must occur (x+) has a required literal of its own, not adjacent to its neighbours.
    // Optional parts, alternations, classes and anchors contribute nothing.
    private static byte[] Required(Node root)
    {
        var best = new List<byte>();
        var run = new List<byte>();
        Walk(root);
        EndRun();
        return best.ToArray();

        void Walk(Node node)
        {
            switch (node)
            {
                case ByteNode b:
                    run.Add(b.Value);
                    break;
                case ConcatNode concat:
                    foreach (var item in concat.Items)
                        Walk(item);
                    break;
                case RepeatNode { Optional: false } repeat:
                    EndRun();
                    var inner = Required(repeat.Body);
                    if (inner.Length > best.Count)
                    {
                        best.Clear();
                        best.AddRange(inner);
                    }
                    break;
                default:
                    EndRun();
                    break;
            }
        }

        void EndRun()
        {
            if (run.Count > best.Count)
            {
                best.Clear();
                best.AddRange(run);
            }
            run.Clear();
        }
    }

    // Patterns that are only literal bytes, optionally anchored, match with a span search.
    private static (LiteralShape Shape, byte[] Literal) Classify(Node root)
    {
        IReadOnlyList<Node> items = root switch
        {
            ConcatNode concat => concat.Items,
            _ => new[] { root },
        };
        var begin = items.Count > 0 && items[0] is BeginNode;
        var end = items.Count > 0 && items[^1] is EndNode && !(begin && items.Count == 1);
        var literal = new List<byte>();
        for (var i = begin ? 1 : 0; i < items.Count - (end ? 1 : 0); i++)
        {
            if (items[i] is not ByteNode b)
                return (LiteralShape.None, Array.Empty<byte>());
            literal.Add(b.Value);
        }
        var shape = (begin, end) switch
        {
            (true, true) => LiteralShape.Equals,
            (true, false) => LiteralShape.StartsWith,
            (false, true) => LiteralShape.EndsWith,
            _ => LiteralShape.Contains,
        };
        return (shape, literal.ToArray());
    }

    private enum LiteralShape
    {
        None,
        Contains,
        StartsWith,
        EndsWith,
        Equals,
    }

    // ---- syntax tree ----------------------------------------------------------------------------

    private abstract class Node;

    private sealed class ByteNode(byte value) : Node
    {
        public byte Value { get; } = value;
    }

    private sealed class SetNode(int index) : Node
    {
        public int Index { get; } = index;
    }

    private sealed class AnyNode : Node;

    private sealed class BeginNode : Node;

    private sealed class EndNode : Node;

    private sealed class ConcatNode(List<Node> items) : Node
    {
        public List<Node> Items { get; } = items;
    }

    private sealed class AlternateNode(List<Node> branches) : Node
    {
        public List<Node> Branches { get; } = branches;
    }

    private sealed class RepeatNode(Node body, bool optional, bool many) : Node
    {
        public Node Body { get; } = body;

        /// <summary>Zero occurrences allowed (<c>*</c>, <c>?</c>).</summary>
        public bool Optional { get; } = optional;

        /// <summary>More than one occurrence allowed (<c>*</c>, <c>+</c>).</summary>
        public bool Many { get; } = many;
    }

    private sealed class PatternException(string message) : Exception(message);

    // Recursive descent over bytes: alternation → concatenation → piece (atom + quantifier).
    private sealed class Parser(byte[] pattern)
    {
        private int _position;
        private int _depth;

        public List<ByteSet> Sets { get; } = new();

        public Node ParseAll()
        {
            var node = ParseAlternation();
            if (_position < pattern.Length)
                throw Fail("unbalanced ')'");
            return node;
        }

        private Node ParseAlternation()
        {
            var branches = new List<Node> { ParseConcatenation() };
            while (_position < pattern.Length && pattern[_position] == (byte)'|')
            {
                _position++;
                branches.Add(ParseConcatenation());
            }
            return branches.Count == 1 ? branches[0] : new AlternateNode(branches);
        }

        private Node ParseConcatenation()
        {
            var items = new List<Node>();
            while (_position < pattern.Length && pattern[_position] is not ((byte)'|' or (byte)')'))
                items.Add(ParsePiece());
            return items.Count == 1 ? items[0] : new ConcatNode(items);
        }

        private Node ParsePiece()
        {
            var atom = ParseAtom();
            if (_position >= pattern.Length || pattern[_position] is not ((byte)'*' or (byte)'+' or (byte)'?'))
                return atom;
            if (atom is BeginNode or EndNode)
                throw Fail($"'{(char)pattern[_position]}' follows an anchor; there is nothing to repeat");
            var quantifier = pattern[_position++];
            // The lazy forms (*? +? ??) match the same addresses; only captures would differ.
            if (_position < pattern.Length && pattern[_position] == (byte)'?')
                _position++;
            if (_position < pattern.Length && pattern[_position] is (byte)'*' or (byte)'+' or (byte)'?')
                throw Fail($"'{(char)pattern[_position]}' follows a quantifier");
            return new RepeatNode(atom, optional: quantifier != (byte)'+', many: quantifier != (byte)'?');
        }

        private Node ParseAtom()
        {
            var c = pattern[_position];
            switch (c)
            {
                case (byte)'*' or (byte)'+' or (byte)'?':
                    throw Fail($"'{(char)c}' has nothing to repeat");
                case (byte)'(':
                    _position++;
                    if (++_depth > MaxDepth)
                        throw Fail($"groups nest deeper than {MaxDepth}");
                    var inner = ParseAlternation();
                    if (_position >= pattern.Length)
                        throw Fail("unbalanced '('");
                    _position++;
                    _depth--;
                    return inner;
                case (byte)'[':
                    return ParseClass();
                case (byte)'.':
                    _position++;
                    return new AnyNode();
                case (byte)'^':
                    _position++;
                    return new BeginNode();
                case (byte)'$':
                    _position++;
                    return new EndNode();
                case (byte)'\\':
                    var escaped = ParseEscape();
                    return escaped.Set is { } set ? AddSet(set) : new ByteNode(escaped.Byte);
                default:
                    _position++;
                    return new ByteNode(c);
            }
        }

        private Node ParseClass()
        {
            var start = _position++;
            var set = new ByteSet();
            var negated = _position < pattern.Length && pattern[_position] == (byte)'^';
            if (negated)
                _position++;
            var empty = true;
            while (true)
            {
                if (_position >= pattern.Length)
                    throw Fail($"'[' at offset {start} is not closed", start);
                if (pattern[_position] == (byte)']')
                    break;
                empty = false;
                byte low;
                if (pattern[_position] == (byte)'\\')
                {
                    var escaped = ParseEscape();
                    if (escaped.Set is { } inner)
                    {
                        set.UnionWith(inner);
                        continue;
                    }
                    low = escaped.Byte;
                }
                else
                {
                    low = pattern[_position++];
                }
                if (_position + 1 < pattern.Length && pattern[_position] == (byte)'-' && pattern[_position + 1] != (byte)']')
                {
                    _position++;
                    byte high;
                    if (pattern[_position] == (byte)'\\')
                    {
                        var escaped = ParseEscape();
                        if (escaped.Set is not null)
                            throw Fail("a class escape cannot end a range");
                        high = escaped.Byte;
                    }
                    else
                    {
                        high = pattern[_position++];
                    }
                    if (high < low)
                        throw Fail($"range {(char)low}-{(char)high} is reversed");
                    set.AddRange(low, high);
                }
                else
                {
                    set.Add(low);
                }
            }
            _position++;
            if (empty)
                throw Fail("'[]' is empty", start);
            if (negated)
                set.Invert();
            return AddSet(set);
        }

        private (byte Byte, ByteSet? Set) ParseEscape()
        {
            var at = _position;
            if (++_position >= pattern.Length)
                throw Fail("the pattern ends with '\\'", at);
            var c = pattern[_position++];
            switch (c)
            {
                case (byte)'d': return (0, ByteSet.Digits());
                case (byte)'D': return (0, ByteSet.Digits().Inverted());
                case (byte)'s': return (0, ByteSet.Spaces());
                case (byte)'S': return (0, ByteSet.Spaces().Inverted());
                case (byte)'a': return (0, ByteSet.Letters());
                case (byte)'A': return (0, ByteSet.Letters().Inverted());
                case (byte)'w': return (0, ByteSet.Alphanumerics());
                case (byte)'W': return (0, ByteSet.Alphanumerics().Inverted());
                case (byte)'r': return ((byte)'\r', null);
                case (byte)'n': return ((byte)'\n', null);
                case (byte)'x':
                    if (_position + 1 >= pattern.Length || !IsHex(pattern[_position]) || !IsHex(pattern[_position + 1]))
                        throw Fail("'\\x' needs two hex digits", at);
                    var value = (byte)(HexValue(pattern[_position]) * 16 + HexValue(pattern[_position + 1]));
                    _position += 2;
                    return (value, null);
                default:
                    if (c < 0x80 && char.IsAsciiLetterOrDigit((char)c))
                        throw Fail($"'\\{(char)c}' is not a zrex escape", at);
                    return (c, null);
            }
        }

        private SetNode AddSet(ByteSet set)
        {
            Sets.Add(set);
            return new SetNode(Sets.Count - 1);
        }

        private static bool IsHex(byte c) => char.IsAsciiHexDigit((char)c);

        private static int HexValue(byte c) => c <= (byte)'9' ? c - '0' : (c | 0x20) - 'a' + 10;

        private PatternException Fail(string message, int? offset = null) => new($"{message} (offset {offset ?? _position})");
    }

    // ---- compilation ----------------------------------------------------------------------------

    private enum OpCode : byte
    {
        Byte,
        Set,
        Any,
        Split,
        Jump,
        Begin,
        End,
        Match,
    }

    private readonly record struct Instruction(OpCode Op, int Argument, int Second);

    private sealed class Compiler
    {
        public List<Instruction> Program { get; } = new();

        public int Add(Instruction instruction)
        {
            Program.Add(instruction);
            return Program.Count - 1;
        }

        public void Emit(Node node)
        {
            switch (node)
            {
                case ByteNode b:
                    Add(new Instruction(OpCode.Byte, b.Value, 0));
                    break;
                case SetNode s:
                    Add(new Instruction(OpCode.Set, s.Index, 0));
                    break;
                case AnyNode:
                    Add(new Instruction(OpCode.Any, 0, 0));
                    break;
                case BeginNode:
                    Add(new Instruction(OpCode.Begin, 0, 0));
                    break;
                case EndNode:
                    Add(new Instruction(OpCode.End, 0, 0));
                    break;
                case ConcatNode concat:
                    foreach (var item in concat.Items)
                        Emit(item);
                    break;
                case AlternateNode alternate:
                    EmitAlternation(alternate.Branches, 0);
                    break;
                case RepeatNode repeat:
                    EmitRepeat(repeat);
                    break;
            }
        }

        private void EmitAlternation(List<Node> branches, int index)
        {
            if (index == branches.Count - 1)
            {
                Emit(branches[index]);
                return;
            }
            var split = Add(default);
            Emit(branches[index]);
            var jump = Add(default);
            var rest = Program.Count;
            EmitAlternation(branches, index + 1);
            Program[split] = new Instruction(OpCode.Split, split + 1, rest);
            Program[jump] = new Instruction(OpCode.Jump, Program.Count, 0);
        }

        private void EmitRepeat(RepeatNode repeat)
        {
            if (repeat.Optional && repeat.Many)
            {
                // L: split body, out; body; jump L
                var split = Add(default);
                Emit(repeat.Body);
                Add(new Instruction(OpCode.Jump, split, 0));
                Program[split] = new Instruction(OpCode.Split, split + 1, Program.Count);
            }
            else if (repeat.Many)
            {
                // L: body; split L, out
                var start = Program.Count;
                Emit(repeat.Body);
                Add(new Instruction(OpCode.Split, start, Program.Count + 1));
            }
            else
            {
                // split body, out; body
                var split = Add(default);
                Emit(repeat.Body);
                Program[split] = new Instruction(OpCode.Split, split + 1, Program.Count);
            }
        }
    }
}
