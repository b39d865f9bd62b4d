using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Zproto.Echo;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>
/// The server engine over a datagram transport: run on a host loop's thread, fed datagrams keyed by a
/// peer address, sending through the transport. A small hand-written server in the generated shape
/// (the VTX udp driver's generated machines are the full-size user, tests/Systems/Vtx).
/// </summary>
public sealed class DatagramTransportTests : IDisposable
{
    private readonly ZmqContext _context = new();

    public void Dispose() => _context.Dispose();

    private static byte[] Encode(EchoMsg.Message message)
    {
        var bytes = new byte[EchoMsg.GetEncodedLength(message)];
        EchoMsg.Encode(message, bytes);
        return bytes;
    }

    [Fact]
    public async Task Datagrams_are_decoded_dispatched_per_peer_and_answered_through_the_transport_on_the_host_thread()
    {
        await using var host = new HostLoop(_context);
        host.Start();
        await using var server = new DatagramEchoServer(new ServerOptions { Context = _context });
        var transport = new RecordingTransport();

        var outcomes = await host.Invoke(() =>
        {
            server.Attach(host, transport);
            return new[]
            {
                server.Feed("127.0.0.2:5", Encode(new EchoMsg.Echo { Sequence = 1 })), // a stranger's ECHO: refused
                server.Feed("127.0.0.2:5", Encode(new EchoMsg.Hello { Name = "a" })),
                server.Feed("127.0.0.2:5", Encode(new EchoMsg.Echo { Sequence = 7, Body = new byte[] { 1, 2 } })),
                server.Feed("127.0.0.3:6", [0xFF, 0x00, 0x01]),                              // garbage
                server.Feed("127.0.0.3:6", Encode(new EchoMsg.Hello { Name = "b" })),
            };
        });

        Assert.Equal(new[] { DatagramOutcome.Refused, DatagramOutcome.Delivered, DatagramOutcome.Delivered, DatagramOutcome.Malformed, DatagramOutcome.Delivered }, outcomes);
        Assert.Equal(2, await host.Invoke(() => server.Count));
        Assert.Equal(3, transport.Sent.Count);
        Assert.Equal("127.0.0.2:5", transport.Sent[0].Peer);
        Assert.IsType<EchoMsg.HelloOk>(transport.Sent[0].Message);
        var echoed = Assert.IsType<EchoMsg.EchoOk>(transport.Sent[1].Message);
        Assert.Equal(7u, echoed.Sequence);
        Assert.Equal(new byte[] { 1, 2 }, echoed.Body.ToArray());
        Assert.Equal("127.0.0.3:6", transport.Sent[2].Peer);
        Assert.True(transport.OnHostThread.All(on => on));
    }

    [Fact]
    public async Task A_client_opened_by_the_host_and_rekeyed_keeps_its_state_under_the_new_key()
    {
        await using var host = new HostLoop(_context);
        host.Start();
        await using var server = new DatagramEchoServer(new ServerOptions { Context = _context });
        var transport = new RecordingTransport();

        var (rekeyed, refused, outcome) = await host.Invoke(() =>
        {
            server.Attach(host, transport);
            server.Open("*:9");
            server.Feed("*:9", Encode(new EchoMsg.Hello { Name = "x" }));
            server.Open("127.0.0.1:9");
            var first = server.Rekey("*:9", "127.0.0.2:9");
            var second = server.Rekey("127.0.0.2:9", "127.0.0.1:9"); // taken by another client
            return (first, !second, server.Feed("127.0.0.2:9", Encode(new EchoMsg.Echo { Sequence = 3 })));
        });

        Assert.True(rekeyed);
        Assert.True(refused);
        Assert.Equal(DatagramOutcome.Delivered, outcome);
        Assert.Equal(2, transport.Sent.Count);
        Assert.Equal("127.0.0.2:9", transport.Sent[1].Peer);
        Assert.Equal(3u, Assert.IsType<EchoMsg.EchoOk>(transport.Sent[1].Message).Sequence);
    }

    [Fact]
    public async Task Past_the_mailbox_limit_datagrams_are_dropped_as_overloaded_not_queued()
    {
        await using var host = new HostLoop(_context);
        host.Start();
        await using var server = new DatagramEchoServer(new ServerOptions { Context = _context, MailboxLimit = 1 });

        var outcomes = await host.Invoke(() =>
        {
            server.Attach(host, new RecordingTransport());
            server.Open("p");
            // PING waits in the start state's mailbox (it defers everything but HELLO).
            return Enumerable.Range(0, 4).Select(_ => server.Feed("p", Encode(new EchoMsg.Ping()))).ToArray();
        });

        Assert.Equal(new[] { DatagramOutcome.Delivered, DatagramOutcome.Delivered, DatagramOutcome.Overloaded, DatagramOutcome.Overloaded }, outcomes);
    }

    [Fact]
    public async Task A_server_run_on_a_host_cannot_also_start_a_thread_of_its_own()
    {
        await using var host = new HostLoop(_context);
        host.Start();
        await using var server = new DatagramEchoServer(new ServerOptions { Context = _context });
        await host.Invoke(() => { server.Attach(host, new RecordingTransport()); return true; });

        Assert.Throws<InvalidOperationException>(server.Start);
        Assert.Throws<InvalidOperationException>(() => new DatagramEchoServer(new ServerOptions { Context = _context }).Attach(host, new RecordingTransport()));
    }

    /// <summary>A loop with no sockets of its own, as a driver would be.</summary>
    private sealed class HostLoop(ZmqContext context) : ActorLoop(context, NullLogger.Instance, "host")
    {
        public void Start() => StartLoop();

        public bool IsOwnerThread => OnOwnerThread;

        protected override void OnStart(ZmqPoller poller) { }

        protected override void OnReadable(int index) { }

        protected override void OnStop() { }
    }

    private sealed class RecordingTransport : IDatagramTransport<DatagramEchoServer.Peer>
    {
        public List<(string Peer, EchoMsg.Message Message)> Sent { get; } = [];

        public List<bool> OnHostThread { get; } = [];

        public void Send(DatagramEchoServer.Peer client, ReadOnlySpan<byte> datagram)
        {
            Assert.True(EchoMsg.TryDecode([datagram.ToArray()], out var message, out _));
            Sent.Add((Encoding.UTF8.GetString(client.RoutingId), message!));
            OnHostThread.Add(client.Host.IsOwnerThread);
        }
    }

    /// <summary>start: HELLO → HELLO-OK, ready; ready: ECHO → ECHO-OK. Only a HELLO opens a client.</summary>
    private sealed class DatagramEchoServer(ServerOptions options)
        : ZprotoServer<EchoMsg, EchoMsg.Message, DatagramEchoServer.Peer, DatagramEchoServer.State, DatagramEchoServer.Event>(options, null, "datagram_echo")
    {
        private HostLoop? _host;

        public enum State { Start, Ready }

        public enum Event { Hello, Echo, Other }

        public sealed class Peer : ServerClient<EchoMsg.Message, State, Event>
        {
            public HostLoop Host { get; set; } = null!;
        }

        public int Count => ClientCount;

        public void Attach(HostLoop host, IDatagramTransport<Peer> transport)
        {
            _host = host;
            StartOnDatagrams(host, transport);
        }

        public DatagramOutcome Feed(string peer, byte[] datagram) => ReceiveDatagram(Encoding.UTF8.GetBytes(peer), datagram);

        public void Open(string peer) => OpenClient(Encoding.UTF8.GetBytes(peer));

        public bool Rekey(string from, string to) =>
            FindClient(Encoding.UTF8.GetBytes(from)) is { } client && RekeyClient(client, Encoding.UTF8.GetBytes(to));

        protected override Peer CreateClient() => new() { Host = _host! };

        protected override Event EventOf(EchoMsg.Message message) => message switch
        {
            EchoMsg.Hello => Event.Hello,
            EchoMsg.Echo => Event.Echo,
            _ => Event.Other,
        };

        protected override Disposition GetDisposition(Peer client, Event @event) =>
            client.State == State.Start && @event == Event.Other ? Disposition.Defer : Disposition.Handle;

        protected override bool Execute(Peer client, Event @event)
        {
            switch (client.State, @event)
            {
                case (State.Start, Event.Hello):
                    Send(client, new EchoMsg.HelloOk());
                    client.State = State.Ready;
                    return true;
                case (State.Ready, Event.Echo):
                    var echo = (EchoMsg.Echo)client.Request!;
                    Send(client, new EchoMsg.EchoOk { Sequence = echo.Sequence, Body = echo.Body });
                    return true;
                default:
                    return false;
            }
        }

        protected override string EventName(Event @event) => @event.ToString();

        protected override string StateName(State state) => state.ToString();

        protected override Event? ExpiredEvent => null;

        protected override bool AdmitsNewClient(byte[] peer, EchoMsg.Message message) => message is EchoMsg.Hello;
    }
}
