using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Zproto.CodeGen.Rendering;

/// <summary>
/// A line diff of two texts in the unified format of <c>diff -u</c> and <c>git diff</c>, for
/// showing how generated code changed: <c>zproto generate --check</c> and the snapshot checks of
/// Zproto.Net.Testing print it.
/// </summary>
/// <remarks>
/// The edit script is Myers' shortest one after the common first and last lines are set aside, so
/// a small edit in a large file costs little. Texts that differ in more than
/// <see cref="MaxEditDistance"/> lines are shown as the whole differing middle removed and added
/// again: still a correct diff, and computing a minimal one would cost quadratic memory. CRLF and
/// LF line ends compare equal; generated code is LF only, a Windows checkout may not be.
/// </remarks>
public static class UnifiedDiff
{
    /// <summary>The largest number of inserted plus deleted lines a minimal diff is searched for.</summary>
    public const int MaxEditDistance = 2000;

    /// <summary>
    /// The unified diff that turns <paramref name="oldText"/> into <paramref name="newText"/>, with
    /// <c>---</c>/<c>+++</c> headers naming them; empty when the texts are equal.
    /// </summary>
    /// <param name="oldText">The text as it was (the verified snapshot, the file on disk); empty for a missing file.</param>
    /// <param name="newText">The text as it is now (what the generator produced); empty for a file no longer produced.</param>
    /// <param name="oldLabel">The <c>---</c> header: a path, or <c>/dev/null</c> for a missing file.</param>
    /// <param name="newLabel">The <c>+++</c> header.</param>
    /// <param name="context">Unchanged lines shown around each change.</param>
    /// <param name="maxLines">
    /// The most lines of hunks printed; the rest is summarised in one line, so a rewritten file
    /// does not bury the first differences.
    /// </param>
    public static string Create(string oldText, string newText, string oldLabel, string newLabel, int context = 3, int maxLines = int.MaxValue)
    {
        if (oldText is null) throw new ArgumentNullException(nameof(oldText));
        if (newText is null) throw new ArgumentNullException(nameof(newText));
        if (context < 0) throw new ArgumentOutOfRangeException(nameof(context));
        if (maxLines < 1) throw new ArgumentOutOfRangeException(nameof(maxLines));

        var a = Lines(oldText);
        var b = Lines(newText);
        var edits = Edits(a, b);
        if (!edits.Exists(e => e.Kind != EditKind.Same))
            return "";

        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldLabel).Append('\n');
        sb.Append("+++ ").Append(newLabel).Append('\n');
        var printed = 0;
        var hidden = 0;
        foreach (var hunk in Hunks(edits, context))
        {
            foreach (var line in HunkLines(hunk, a, b))
            {
                if (printed < maxLines)
                {
                    sb.Append(line).Append('\n');
                    printed++;
                }
                else if (line[0] == '+' || line[0] == '-')
                {
                    hidden++;
                }
            }
        }
        if (hidden > 0)
            sb.Append("... ").Append(hidden.ToString(CultureInfo.InvariantCulture)).Append(" more changed lines not shown\n");
        return sb.ToString();
    }

    private enum EditKind { Same, Delete, Insert }

    /// <summary>One line of the edit script: <see cref="OldIndex"/> into the old lines, <see cref="NewIndex"/> into the new.</summary>
    private readonly struct Edit(EditKind kind, int oldIndex, int newIndex)
    {
        public EditKind Kind { get; } = kind;
        public int OldIndex { get; } = oldIndex;
        public int NewIndex { get; } = newIndex;
    }

    /// <summary>A line and whether it ended with a line break (only the last line of a text may not).</summary>
    private readonly struct Line(string text, bool terminated) : IEquatable<Line>
    {
        public string Text { get; } = text;
        public bool Terminated { get; } = terminated;
        public bool Equals(Line other) => Terminated == other.Terminated && string.Equals(Text, other.Text, StringComparison.Ordinal);
        public override bool Equals(object? obj) => obj is Line other && Equals(other);
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text) ^ (Terminated ? 1 : 0);
    }

    private static Line[] Lines(string text)
    {
        var lines = new List<Line>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                lines.Add(new Line(text.Substring(start), terminated: false));
                break;
            }
            var length = end > start && text[end - 1] == '\r' ? end - 1 - start : end - start;
            lines.Add(new Line(text.Substring(start, length), terminated: true));
            start = end + 1;
        }
        return lines.ToArray();
    }

    /// <summary>The whole edit script: common prefix, the middle's shortest script, common suffix.</summary>
    private static List<Edit> Edits(Line[] a, Line[] b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix].Equals(b[prefix]))
            prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix].Equals(b[b.Length - 1 - suffix]))
            suffix++;

        var edits = new List<Edit>(a.Length + b.Length);
        for (var i = 0; i < prefix; i++)
            edits.Add(new Edit(EditKind.Same, i, i));
        var middle = Myers(a, prefix, a.Length - suffix, b, prefix, b.Length - suffix) ?? Replacement(prefix, a.Length - suffix, prefix, b.Length - suffix);
        edits.AddRange(middle);
        for (var i = suffix; i > 0; i--)
            edits.Add(new Edit(EditKind.Same, a.Length - i, b.Length - i));
        return edits;
    }

    /// <summary>Every old line deleted, then every new line inserted.</summary>
    private static List<Edit> Replacement(int aStart, int aEnd, int bStart, int bEnd)
    {
        var edits = new List<Edit>();
        for (var i = aStart; i < aEnd; i++)
            edits.Add(new Edit(EditKind.Delete, i, bStart));
        for (var j = bStart; j < bEnd; j++)
            edits.Add(new Edit(EditKind.Insert, aEnd, j));
        return edits;
    }

    /// <summary>
    /// Myers' O((N+M)D) shortest edit script of a[aStart..aEnd) into b[bStart..bEnd), or null
    /// when it needs more than <see cref="MaxEditDistance"/> edits.
    /// </summary>
    private static List<Edit>? Myers(Line[] a, int aStart, int aEnd, Line[] b, int bStart, int bEnd)
    {
        int n = aEnd - aStart, m = bEnd - bStart;
        var max = Math.Min(n + m, MaxEditDistance);
        var offset = max + 1;
        var v = new int[2 * max + 3];
        // trace[d] holds v for diagonals -d..d as it was before step d, for walking back.
        var trace = new List<int[]>();
        for (var d = 0; d <= max; d++)
        {
            var snapshot = new int[2 * d + 1];
            Array.Copy(v, offset - d, snapshot, 0, snapshot.Length);
            trace.Add(snapshot);
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[aStart + x].Equals(b[bStart + y]))
                {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m)
                    return Backtrack(trace, n, m, aStart, bStart);
            }
        }
        return null;
    }

    private static List<Edit> Backtrack(List<int[]> trace, int n, int m, int aStart, int bStart)
    {
        var reversed = new List<Edit>();
        int x = n, y = m;
        for (var d = trace.Count - 1; d > 0; d--)
        {
            var v = trace[d];
            var k = x - y;
            var prevK = k == -d || (k != d && v[k - 1 + d] < v[k + 1 + d]) ? k + 1 : k - 1;
            var prevX = v[prevK + d];
            var prevY = prevX - prevK;
            while (x > prevX && y > prevY)
            {
                x--;
                y--;
                reversed.Add(new Edit(EditKind.Same, aStart + x, bStart + y));
            }
            if (x == prevX)
                reversed.Add(new Edit(EditKind.Insert, aStart + x, bStart + y - 1));
            else
                reversed.Add(new Edit(EditKind.Delete, aStart + x - 1, bStart + y));
            x = prevX;
            y = prevY;
        }
        while (x > 0 && y > 0)
        {
            x--;
            y--;
            reversed.Add(new Edit(EditKind.Same, aStart + x, bStart + y));
        }
        reversed.Reverse();
        return reversed;
    }

    /// <summary>Groups the edit script into hunks: runs of changes with up to <paramref name="context"/> same lines around them.</summary>
    private static IEnumerable<List<Edit>> Hunks(List<Edit> edits, int context)
    {
        var i = 0;
        while (i < edits.Count)
        {
            while (i < edits.Count && edits[i].Kind == EditKind.Same)
                i++;
            if (i == edits.Count)
                yield break;
            var start = Math.Max(0, i - context);
            var end = i;
            // Extend over changes whose gap of same lines is small enough for one hunk.
            while (true)
            {
                while (end < edits.Count && edits[end].Kind != EditKind.Same)
                    end++;
                var same = end;
                while (same < edits.Count && edits[same].Kind == EditKind.Same)
                    same++;
                if (same < edits.Count && same - end <= 2 * context)
                {
                    end = same;
                    continue;
                }
                end = Math.Min(edits.Count, end + context);
                break;
            }
            yield return edits.GetRange(start, end - start);
            i = end;
        }
    }

    private static IEnumerable<string> HunkLines(List<Edit> hunk, Line[] a, Line[] b)
    {
        int oldCount = 0, newCount = 0;
        foreach (var e in hunk)
        {
            if (e.Kind != EditKind.Insert) oldCount++;
            if (e.Kind != EditKind.Delete) newCount++;
        }
        // A range of no lines names the line before it, as diff does.
        var oldStart = oldCount == 0 ? hunk[0].OldIndex : hunk[0].OldIndex + 1;
        var newStart = newCount == 0 ? hunk[0].NewIndex : hunk[0].NewIndex + 1;
        yield return string.Format(CultureInfo.InvariantCulture, "@@ -{0},{1} +{2},{3} @@", oldStart, oldCount, newStart, newCount);
        foreach (var e in hunk)
        {
            var line = e.Kind == EditKind.Insert ? b[e.NewIndex] : a[e.OldIndex];
            var marker = e.Kind switch { EditKind.Delete => '-', EditKind.Insert => '+', _ => ' ' };
            yield return marker + line.Text;
            if (!line.Terminated)
                yield return "\\ No newline at end of file";
        }
    }
}
