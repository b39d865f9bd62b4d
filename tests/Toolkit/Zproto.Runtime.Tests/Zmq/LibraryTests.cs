using System;
using Xunit;
using Zproto.Runtime.Zmq;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Tests.Zmq;

public sealed class LibraryTests
{
    [Fact]
    public void Loaded_libzmq_is_at_least_4_3()
    {
        Assert.True(ZmqLibrary.Version >= new Version(4, 3), $"libzmq {ZmqLibrary.Version}");
        Assert.Equal(new Version(4, 3), ZmqLibrary.MinimumVersion);
    }

    [Fact]
    public void Missing_library_fails_with_the_install_command()
    {
        var error = Assert.Throws<ZmqNotFoundException>(
            () => LibZmq.Load(["libzmq-that-does-not-exist.so.99", "libzmq-nor-this"]));

        Assert.IsAssignableFrom<DllNotFoundException>(error);
        Assert.Contains("apt-get install -y libzmq5", error.Message);
        Assert.Contains("libzmq >= 4.3", error.Message);
        Assert.Contains("libzmq-that-does-not-exist.so.99", error.Message);
    }

    [Fact]
    public void Libzmq_older_than_4_3_is_rejected_with_the_install_command()
    {
        var error = Assert.Throws<ZmqNotFoundException>(() => LibZmq.CheckVersion(new Version(4, 2, 5)));

        Assert.Contains("4.2.5", error.Message);
        Assert.Contains("libzmq >= 4.3", error.Message);
        Assert.Contains("apt-get install -y libzmq5", error.Message);
        LibZmq.CheckVersion(new Version(4, 3, 0));
    }

    [Fact]
    public void Has_reports_a_built_in_transport_and_rejects_an_unknown_one()
    {
        Assert.True(ZmqLibrary.Has("ipc"));
        Assert.False(ZmqLibrary.Has("no-such-capability"));
    }
}
