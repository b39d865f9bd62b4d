using Xunit;
using Zccp.Protocol;

namespace Zccp.Tests;

/// <summary>The zrex dialect: search semantics, every supported construct, invalid patterns and hostile ones.</summary>
public sealed class ZrexPatternTests
{
    [Theory]
    // The 2014 selftests: a search, not a full match.
    [InlineData("H.*O", "(HELLO, WORLD)", true)]
    [InlineData("HELLO", "(HELLO, WORLD)", true)]
    [InlineData("^cpu\\.", "cpu.1", true)]
    [InlineData("^cpu\\.", "cpu-count", false)]
    [InlineData("^cpu\\.", "xcpu.1", false)]
    [InlineData("cpu", "cpu.1", true)]
    // Anchors.
    [InlineData("^abc$", "abc", true)]
    [InlineData("^abc$", "abcd", false)]
    [InlineData("c$", "abc", true)]
    [InlineData("c$", "cab", false)]
    [InlineData("", "anything", true)]
    [InlineData("^$", "", true)]
    [InlineData("^$", "x", false)]
    [InlineData("a^b", "a^b", false)]
    // Quantifiers, including the lazy forms.
    [InlineData("^ab*c$", "ac", true)]
    [InlineData("^ab+c$", "ac", false)]
    [InlineData("^ab+c$", "abbbc", true)]
    [InlineData("^ab?c$", "abc", true)]
    [InlineData("^ab?c$", "abbc", false)]
    [InlineData("^a.*?c$", "abbbc", true)]
    [InlineData("^a.+?c$", "ac", false)]
    // Groups and alternation.
    [InlineData("^(ab)+$", "ababab", true)]
    [InlineData("^(ab)+$", "ababa", false)]
    [InlineData("^(GET|POST) ", "POST /x", true)]
    [InlineData("^(GET|POST) ", "PUT /x", false)]
    [InlineData("^a|b$", "xxb", true)]
    // Classes: C-locale \w is alphanumeric without '_', \a alphabetic.
    [InlineData("^\\d+$", "12345", true)]
    [InlineData("^\\d+$", "12a45", false)]
    [InlineData("^\\D$", "x", true)]
    [InlineData("^\\s$", "\t", true)]
    [InlineData("^\\S+$", "a b", false)]
    [InlineData("^\\a+$", "abcXYZ", true)]
    [InlineData("^\\a+$", "abc1", false)]
    [InlineData("^\\A$", "1", true)]
    [InlineData("^\\w+$", "abc123", true)]
    [InlineData("^\\w+$", "abc_123", false)]
    [InlineData("^\\W$", "_", true)]
    [InlineData("^[a-c]+$", "abcabc", true)]
    [InlineData("^[a-c]+$", "abcd", false)]
    [InlineData("^[^a-c]+$", "xyz", true)]
    [InlineData("^[^a-c]+$", "xaz", false)]
    [InlineData("^[\\d.]+$", "127.0.0.1", true)]
    [InlineData("^[-a]+$", "-a-", true)]
    // Escapes.
    [InlineData("^\\(x\\)$", "(x)", true)]
    [InlineData("^a\\.b$", "axb", false)]
    [InlineData("^\\x41$", "A", true)]
    [InlineData("^\\$$", "$", true)]
    [InlineData("^a\\nb$", "a\nb", true)]
    // Bytes: a non-ASCII literal is its UTF-8 sequence.
    [InlineData("^é+$", "é", true)]
    [InlineData("^.$", "é", false)]
    [InlineData("^..$", "é", true)]
    public void Matches_as_zrex_does(string pattern, string address, bool expected)
    {
        var compiled = ZrexPattern.Parse(pattern);
        Assert.True(compiled.IsValid, compiled.Error);
        Assert.Equal(expected, compiled.IsMatch(address));
    }

    [Theory]
    [InlineData("*a", "nothing to repeat")]
    [InlineData("a**", "follows a quantifier")]
    [InlineData("^*", "follows an anchor")]
    [InlineData("(ab", "unbalanced '('")]
    [InlineData("ab)", "unbalanced ')'")]
    [InlineData("[abc", "is not closed")]
    [InlineData("[]", "is empty")]
    [InlineData("[z-a]", "reversed")]
    [InlineData("abc\\", "ends with")]
    [InlineData("\\q", "not a zrex escape")]
    [InlineData("\\x4", "two hex digits")]
    public void Invalid_patterns_are_reported_and_match_nothing(string pattern, string reason)
    {
        var compiled = ZrexPattern.Parse(pattern);
        Assert.False(compiled.IsValid);
        Assert.Contains(reason, compiled.Error);
        Assert.Contains("offset", compiled.Error);
        Assert.False(compiled.IsMatch(pattern));
        Assert.False(compiled.IsMatch(""));
    }

    [Fact]
    public void Pattern_longer_than_a_string_field_is_invalid()
    {
        Assert.True(ZrexPattern.Parse(new string('a', ZrexPattern.MaxLength)).IsValid);
        var tooLong = ZrexPattern.Parse(new string('a', ZrexPattern.MaxLength + 1));
        Assert.False(tooLong.IsValid);
        Assert.Contains("at most 255", tooLong.Error);
    }

    [Fact]
    public void Groups_nested_too_deep_are_invalid()
    {
        Assert.True(ZrexPattern.Parse(new string('(', 32) + "a" + new string(')', 32)).IsValid);
        Assert.False(ZrexPattern.Parse(new string('(', 33) + "a" + new string(')', 33)).IsValid);
    }

    [Theory]
    [InlineData("^cpu\\.", "cpu.")]
    [InlineData("^ab*c", "a")]
    [InlineData("^(ab)", "")]
    [InlineData("^a|b", "")]
    [InlineData("cpu", "")]
    [InlineData("^dev\\.42\\.temp$", "dev.42.temp")]
    public void Anchored_prefix_is_the_literal_run_after_the_caret(string pattern, string prefix)
    {
        Assert.Equal(prefix, System.Text.Encoding.UTF8.GetString(ZrexPattern.Parse(pattern).AnchoredPrefix.Span));
    }

    [Theory]
    [InlineData("dev-\\d+-temp", "-temp")]
    [InlineData("cpu", "cpu")]
    [InlineData("^cpu\\.", "cpu.")]
    [InlineData("\\.temp$", ".temp")]
    [InlineData("a(bc)d", "abcd")]
    [InlineData("(ab)+x", "ab")]
    [InlineData("ab+c", "a")]
    [InlineData("xy?z", "x")]
    [InlineData("ab*cde", "cde")]
    [InlineData("H.*O", "H")]
    [InlineData("\\d+", "")]
    [InlineData("a|b", "")]
    [InlineData("(abc|abd)x", "x")]
    [InlineData("x*", "")]
    [InlineData("[ab]c", "c")]
    [InlineData("", "")]
    public void Required_literal_is_the_longest_run_every_match_contains(string pattern, string literal)
    {
        var parsed = ZrexPattern.Parse(pattern);
        Assert.True(parsed.IsValid, parsed.Error);
        Assert.Equal(literal, System.Text.Encoding.UTF8.GetString(parsed.RequiredLiteral.Span));
    }

    [Fact]
    public void Invalid_pattern_has_no_required_literal()
    {
        Assert.True(ZrexPattern.Parse("abc(").RequiredLiteral.IsEmpty);
    }

    [Fact]
    public void Catastrophic_backtracking_pattern_is_answered_by_counting_steps_not_time()
    {
        // (a*)*b against a long run of 'a' takes exponential time in a backtracking engine. The NFA
        // simulation visits each (position, state) pair at most once, so its work is bounded by
        // address length × program size whatever the pattern; the answer is simply false.
        var hostile = ZrexPattern.Parse("^(a*)*(a+)+(a|aa)*b$");
        Assert.True(hostile.IsValid);
        var address = new string('a', 255);
        Assert.False(hostile.IsMatch(address));
        Assert.True(hostile.IsMatch(address + "b"));
    }
}
