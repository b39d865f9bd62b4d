using System;
using System.Linq;
using Xunit;
using Zccpd.Routing;

namespace Zccp.Tests;

/// <summary>The broker's subscription index, without sockets.</summary>
public sealed class SubscriptionIndexTests
{
    private sealed record Sub(string Name);

    private static readonly Sub s_a = new("a");
    private static readonly Sub s_b = new("b");

    [Fact]
    public void One_entry_per_subscriber_however_many_patterns_match()
    {
        var index = new SubscriptionIndex<Sub>();
        Assert.Equal(SubscribeResult.Added, index.Subscribe(s_a, "H.*O"));
        Assert.Equal(SubscribeResult.AlreadySubscribed, index.Subscribe(s_a, "H.*O"));
        Assert.Equal(SubscribeResult.Added, index.Subscribe(s_a, "HELLO"));
        Assert.Equal(new[] { s_a }, index.Match("(HELLO, WORLD)").ToArray());
    }

    [Fact]
    public void Duplicate_mode_lists_a_subscriber_once_per_matching_pattern_as_in_2014()
    {
        var index = new SubscriptionIndex<Sub>(duplicateDeliveries: true);
        index.Subscribe(s_a, "H.*O");
        index.Subscribe(s_a, "H.*O");
        index.Subscribe(s_a, "HELLO");
        index.Subscribe(s_a, "nomatch");
        Assert.Equal(new[] { s_a, s_a }, index.Match("(HELLO, WORLD)").ToArray());
    }

    [Fact]
    public void Subscribers_come_in_pattern_order_then_subscription_order()
    {
        var index = new SubscriptionIndex<Sub>();
        index.Subscribe(s_b, "^cpu\\.");
        index.Subscribe(s_a, "cpu");
        index.Subscribe(s_a, "^cpu\\.");
        Assert.Equal(new[] { s_b, s_a }, index.Match("cpu.1").ToArray());
        Assert.Equal(new[] { s_a }, index.Match("cpu-count").ToArray());
        Assert.True(index.Match("mem.1").IsEmpty);
    }

    [Fact]
    public void Invalid_pattern_is_not_stored()
    {
        var index = new SubscriptionIndex<Sub>();
        Assert.Equal(SubscribeResult.Invalid, index.Subscribe(s_a, "(oops"));
        Assert.Equal(0, index.PatternCount);
        Assert.Equal(0, index.CountOf(s_a));
        Assert.True(index.Match("(oops").IsEmpty);
    }

    [Fact]
    public void Limit_per_subscriber_refuses_the_pattern_past_it()
    {
        var index = new SubscriptionIndex<Sub>(maxPatternsPerSubscriber: 2);
        Assert.Equal(SubscribeResult.Added, index.Subscribe(s_a, "x"));
        Assert.Equal(SubscribeResult.Added, index.Subscribe(s_a, "y"));
        Assert.Equal(SubscribeResult.AlreadySubscribed, index.Subscribe(s_a, "y"));
        Assert.Equal(SubscribeResult.LimitReached, index.Subscribe(s_a, "z"));
        Assert.Equal(SubscribeResult.Added, index.Subscribe(s_b, "z"));
        Assert.Equal(2, index.CountOf(s_a));
    }

    [Fact]
    public void Removing_a_subscriber_forgets_patterns_nobody_else_holds_and_updates_cached_answers()
    {
        var index = new SubscriptionIndex<Sub>();
        index.Subscribe(s_a, "^cpu\\.");
        index.Subscribe(s_b, "^cpu\\.");
        index.Subscribe(s_a, "^mem\\.");
        Assert.Equal(new[] { s_a, s_b }, index.Match("cpu.1").ToArray());
        index.Remove(s_a);
        Assert.Equal(new[] { s_b }, index.Match("cpu.1").ToArray());
        Assert.True(index.Match("mem.1").IsEmpty);
        Assert.Equal(1, index.PatternCount);
        index.Subscribe(s_a, "^mem\\.");
        Assert.Equal(new[] { s_a }, index.Match("mem.1").ToArray());
    }

    [Fact]
    public void Ten_thousand_subscriptions_from_one_client_index_match_and_remove()
    {
        var index = new SubscriptionIndex<Sub>();
        for (var i = 0; i < 10_000; i++)
            Assert.Equal(SubscribeResult.Added, index.Subscribe(s_a, $"^dev\\.{i}\\.temp$"));
        index.Subscribe(s_b, "temp$");
        Assert.Equal(10_001, index.PatternCount);
        Assert.Equal(new[] { s_a, s_b }, index.Match("dev.4242.temp").ToArray());
        Assert.Equal(new[] { s_b }, index.Match("dev.10000.temp").ToArray());
        Assert.Equal(SubscribeResult.LimitReached, index.Subscribe(s_a, "one more"));
        index.Remove(s_a);
        Assert.Equal(1, index.PatternCount);
        Assert.Equal(new[] { s_b }, index.Match("dev.4242.temp").ToArray());
    }

    [Fact]
    public void Cache_starting_over_when_full_keeps_answers_right()
    {
        var index = new SubscriptionIndex<Sub>(cacheCapacity: 2);
        index.Subscribe(s_a, "^a");
        foreach (var address in new[] { "a1", "b1", "a2", "b2", "a1" })
            Assert.Equal(address.StartsWith('a') ? 1 : 0, index.Match(address).Length);
    }

    [Fact]
    public void Matches_agree_with_testing_every_pattern()
    {
        // The trie and the cache are shortcuts: the answer must equal the brute-force one.
        var patterns = new[] { "^cpu\\.", "^cpu\\.1", "^c", "^cpu$", "cpu", "1$", "^(cpu|mem)\\.", "^m.m", "^cpu\\.\\d+$", "" };
        var subscribers = patterns.Select((_, i) => new Sub($"s{i}")).ToArray();
        var index = new SubscriptionIndex<Sub>();
        for (var i = 0; i < patterns.Length; i++)
            index.Subscribe(subscribers[i], patterns[i]);
        var addresses = new[] { "cpu.1", "cpu.12", "cpu", "mem.1", "c", "", "xcpu.1", "mom", "cpu.x" };
        foreach (var address in addresses)
        {
            var expected = subscribers.Where((_, i) => Zccp.Protocol.ZrexPattern.Parse(patterns[i]).IsMatch(address)).ToArray();
            Assert.Equal(expected, index.Match(address).ToArray());
        }
        Assert.Equal(9, addresses.Length);
    }

    [Fact]
    public void Unanchored_patterns_found_through_their_literals_agree_with_testing_every_pattern()
    {
        // Random patterns built from literal runs, classes, repetitions, groups and alternations over a
        // small alphabet (so literals collide and share grams), one subscriber each, against random
        // addresses: the literal prefilter may only skip patterns that cannot match.
        var random = new Random(12);
        string Literal(int max) => new(Enumerable.Range(0, random.Next(1, max + 1)).Select(_ => "abc-."[random.Next(5)]).ToArray());
        string Piece() => random.Next(8) switch
        {
            0 => "\\d+",
            1 => ".*",
            2 => Literal(2) + "?",
            3 => "(" + Literal(3) + ")",
            4 => "(" + Literal(2) + "|" + Literal(2) + ")",
            5 => "[ab]",
            _ => Literal(6).Replace(".", "\\."),
        };
        var patterns = Enumerable.Range(0, 2000).Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Piece()))).Distinct().ToArray();
        var parsed = patterns.Select(Zccp.Protocol.ZrexPattern.Parse).ToArray();
        Assert.All(parsed, p => Assert.True(p.IsValid, p.Error));
        Assert.True(parsed.Count(p => !p.RequiredLiteral.IsEmpty) > patterns.Length / 2, "most patterns should go through the literal index");
        var subscribers = patterns.Select((_, i) => new Sub($"s{i}")).ToArray();
        var index = new SubscriptionIndex<Sub>(cacheCapacity: 0);
        for (var i = 0; i < patterns.Length; i++)
            index.Subscribe(subscribers[i], patterns[i]);

        var addresses = Enumerable.Range(0, 1000).Select(_ => Literal(12) + random.Next(100)).ToArray();
        var matches = 0;
        foreach (var address in addresses)
        {
            var expected = subscribers.Where((_, i) => parsed[i].IsMatch(address)).ToArray();
            Assert.Equal(expected, index.Match(address).ToArray());
            matches += expected.Length;
        }
        Assert.Equal(1000, addresses.Length);
        Assert.True(matches > 1000, $"only {matches} matches: the case would not exercise the index");

        // Removing subscribers takes their literals out of the index, and no one else's.
        for (var i = 0; i < subscribers.Length; i += 2)
            index.Remove(subscribers[i]);
        foreach (var address in addresses.Take(200))
            Assert.Equal(subscribers.Where((_, i) => i % 2 == 1 && parsed[i].IsMatch(address)).ToArray(), index.Match(address).ToArray());
    }

    [Fact]
    public void Limits_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SubscriptionIndex<Sub>(maxPatternsPerSubscriber: 0));
    }
}
