using Xunit;
using Zccpd.Routing;

namespace Zccp.Tests;

public sealed class DirectRouterTests
{
    private sealed record Peer(string Name);

    [Fact]
    public void Routes_by_identifier_and_forgets_on_unregister()
    {
        var router = new DirectRouter<Peer>();
        var device = new Peer("dev-42");
        Assert.Null(router.Register("dev-42", device));
        Assert.True(router.TryGet("dev-42", out var found));
        Assert.Same(device, found);
        router.Unregister("dev-42", device);
        Assert.False(router.TryGet("dev-42", out _));
    }

    [Fact]
    public void Second_holder_takes_the_identifier_over_and_the_first_cannot_unregister_it()
    {
        var router = new DirectRouter<Peer>();
        var old = new Peer("old");
        var fresh = new Peer("new");
        router.Register("dev-42", old);
        Assert.Same(old, router.Register("dev-42", fresh));
        router.Unregister("dev-42", old);
        Assert.True(router.TryGet("dev-42", out var found));
        Assert.Same(fresh, found);
        Assert.Null(router.Register("dev-42", fresh));
    }

    [Fact]
    public void Empty_identifier_is_never_routable()
    {
        var router = new DirectRouter<Peer>();
        Assert.Null(router.Register("", new Peer("c")));
        Assert.Null(router.Register("", new Peer("d")));
        Assert.False(router.TryGet("", out _));
        Assert.Equal(0, router.Count);
    }
}
