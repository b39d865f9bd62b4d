using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Xunit;
using Zproto.CodeGen.Rendering;

namespace Zproto.Testing.Tests;

/// <summary>The unified diff that snapshot failures and <c>zproto generate --check</c> print.</summary>
public sealed class UnifiedDiffTests
{
    private static string Text(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    private static string[] Numbered(int count) => [.. Enumerable.Range(1, count).Select(i => "line " + i.ToString(CultureInfo.InvariantCulture))];

    [Fact]
    public void Equal_texts_have_an_empty_diff_even_with_CRLF_line_ends()
    {
        Assert.Equal("", UnifiedDiff.Create("a\nb\n", "a\nb\n", "old", "new"));
        Assert.Equal("", UnifiedDiff.Create("a\r\nb\r\n", "a\nb\n", "old", "new"));
        Assert.Equal("", UnifiedDiff.Create("", "", "old", "new"));
    }

    [Fact]
    public void One_changed_line_is_one_hunk_with_three_lines_of_context()
    {
        var old = Numbered(10);
        var @new = old.ToArray();
        @new[4] = "line five";

        var diff = UnifiedDiff.Create(Text(old), Text(@new), "a/file.cs", "b/file.cs");

        Assert.Equal(Text("--- a/file.cs", "+++ b/file.cs", "@@ -2,7 +2,7 @@", " line 2", " line 3", " line 4", "-line 5", "+line five", " line 6", " line 7", " line 8"), diff);
    }

    [Fact]
    public void Distant_changes_are_separate_hunks_and_near_ones_share_one()
    {
        var old = Numbered(30);
        var @new = old.ToList();
        @new.RemoveAt(24);            // line 25 deleted
        @new.Insert(1, "inserted");   // after line 1
        @new[4] = "line 4 changed";   // line 4 (shifted by the insertion)

        var lines = UnifiedDiff.Create(Text(old), Text([.. @new]), "old", "new").TrimEnd('\n').Split('\n');

        Assert.Equal(["@@ -1,7 +1,8 @@", "@@ -22,7 +23,6 @@"], lines.Where(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Equal(["+inserted", "-line 4", "+line 4 changed", "-line 25"], lines.Skip(2).Where(l => l[0] is '+' or '-'));
    }

    [Fact]
    public void A_missing_file_is_all_additions_and_a_removed_one_all_deletions()
    {
        Assert.Equal(Text("--- /dev/null", "+++ new", "@@ -0,0 +1,2 @@", "+a", "+b"), UnifiedDiff.Create("", "a\nb\n", "/dev/null", "new"));
        Assert.Equal(Text("--- old", "+++ /dev/null", "@@ -1,2 +0,0 @@", "-a", "-b"), UnifiedDiff.Create("a\nb\n", "", "old", "/dev/null"));
    }

    [Fact]
    public void A_missing_final_line_break_is_marked()
    {
        Assert.Equal(Text("--- old", "+++ new", "@@ -1,2 +1,2 @@", " a", "-b", "\\ No newline at end of file", "+b"), UnifiedDiff.Create("a\nb", "a\nb\n", "old", "new"));
    }

    [Fact]
    public void Long_diffs_stop_after_max_lines_and_count_the_changes_not_shown()
    {
        var diff = UnifiedDiff.Create("", Text(Numbered(50)), "/dev/null", "new", maxLines: 11);

        var lines = diff.TrimEnd('\n').Split('\n');
        Assert.Equal(2 + 11 + 1, lines.Length);
        Assert.Equal("+line 10", lines[^2]);
        Assert.Equal("... 40 more changed lines not shown", lines[^1]);
    }

    [Fact]
    public void Texts_beyond_the_edit_distance_limit_still_get_a_correct_diff()
    {
        var old = Numbered(UnifiedDiff.MaxEditDistance + 10);
        var @new = old.Select(l => l + " changed").ToArray();

        var diff = UnifiedDiff.Create(Text(old), Text(@new), "old", "new");

        Assert.Equal(Text(@new), Apply(Text(old), diff));
    }

    /// <summary>Random edits of random texts: applying the diff to the old text gives the new one, and the diff is minimal (it keeps a longest common subsequence).</summary>
    [Fact]
    public void Applying_the_diff_to_the_old_text_gives_the_new_text()
    {
        var random = new Random(16);
        const int cases = 300;
        var checkedCases = 0;
        for (var i = 0; i < cases; i++)
        {
            var old = RandomLines(random, random.Next(0, 40));
            var @new = Edit(random, old);
            var oldText = Text([.. old]);
            var newText = Text([.. @new]);
            var diff = UnifiedDiff.Create(oldText, newText, "old", "new", context: random.Next(0, 4));

            Assert.Equal(newText, Apply(oldText, diff));
            var changed = diff.Split('\n').Skip(2).Count(l => l.Length > 0 && l[0] is '+' or '-');
            Assert.Equal(old.Count + @new.Count - 2 * LongestCommonSubsequence(old, @new), changed);
            checkedCases++;
        }
        Assert.Equal(cases, checkedCases);
    }

    private static int LongestCommonSubsequence(List<string> a, List<string> b)
    {
        var table = new int[a.Count + 1, b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
            for (var j = 1; j <= b.Count; j++)
                table[i, j] = a[i - 1] == b[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
        return table[a.Count, b.Count];
    }

    private static List<string> RandomLines(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => "l" + random.Next(0, 8).ToString(CultureInfo.InvariantCulture))];

    private static List<string> Edit(Random random, List<string> lines)
    {
        var edited = lines.ToList();
        for (var edits = random.Next(0, 6); edits > 0; edits--)
        {
            var at = random.Next(0, edited.Count + 1);
            switch (random.Next(3))
            {
                case 0:
                    edited.Insert(at, "new" + random.Next(0, 4).ToString(CultureInfo.InvariantCulture));
                    break;
                case 1 when at < edited.Count:
                    edited.RemoveAt(at);
                    break;
                case 2 when at < edited.Count:
                    edited[at] += "'";
                    break;
            }
        }
        return edited;
    }

    /// <summary>A minimal <c>patch</c>: applies the hunks of a unified diff, checking every context and deleted line.</summary>
    private static string Apply(string oldText, string diff)
    {
        if (diff.Length == 0)
            return oldText;
        var old = oldText.Length == 0 ? [] : oldText.TrimEnd('\n').Split('\n');
        var result = new StringBuilder();
        var next = 0; // next old line to copy
        foreach (var line in diff.TrimEnd('\n').Split('\n').Skip(2))
        {
            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                var oldStart = int.Parse(line.Split(' ')[1].TrimStart('-').Split(',')[0], CultureInfo.InvariantCulture);
                var oldCount = int.Parse(line.Split(' ')[1].Split(',')[1], CultureInfo.InvariantCulture);
                var firstOld = oldCount == 0 ? oldStart : oldStart - 1;
                while (next < firstOld)
                    result.Append(old[next++]).Append('\n');
                continue;
            }
            switch (line[0])
            {
                case ' ':
                    Assert.Equal(old[next], line[1..]);
                    result.Append(old[next++]).Append('\n');
                    break;
                case '-':
                    Assert.Equal(old[next], line[1..]);
                    next++;
                    break;
                case '+':
                    result.Append(line[1..]).Append('\n');
                    break;
                default:
                    throw new InvalidOperationException("unexpected diff line: " + line);
            }
        }
        while (next < old.Length)
            result.Append(old[next++]).Append('\n');
        return result.ToString();
    }
}
