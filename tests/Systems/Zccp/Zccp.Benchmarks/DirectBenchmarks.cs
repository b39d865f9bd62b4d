using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using Zccpd;
using Zproto.Runtime.Zmq;

namespace Zccp.Benchmarks;

/// <summary>
/// DIRECT round trips through the client library: 100 requesters each send 10 concurrent
/// <c>RequestAsync</c> calls to one device that answers with a request handler (1,000 round trips
/// per operation; times are per round trip). The presence timeout is raised to 30 s: with 102
/// client threads on a shared 2-core machine a client loop can be starved for seconds, and a
/// client that re-HELLOs its live session loses it (see docs/benchmarks-zccp.md).
/// </summary>
[MemoryDiagnoser]
public class DirectBenchmarks
{
    private const int Requesters = 100;
    private const int PerRequester = 10;
    private ZmqContext _context = null!;
    private ILoggerFactory _logging = null!;
    private ZccpServer _server = null!;
    private ZccpClient _device = null!;
    private IDisposable _handler = null!;
    private ZccpClient[] _requesters = null!;
    private readonly ReadOnlyMemory<byte>[] _body = { new byte[64] };

    [GlobalSetup]
    public void Setup()
    {
        _context = new ZmqContext();
        _logging = LoggerFactory.Create(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning));
        _server = Sockets.StartBroker(_context, new BrokerPolicy(), _logging.CreateLogger<ZccpServer>());
        var endpoint = _server.Endpoints[0];
        var options = new ZccpClientOptions { PresenceTimeout = TimeSpan.FromSeconds(30), LoggerFactory = _logging };
        _device = ZccpClient.ConnectAsync(endpoint, "device", TimeSpan.FromSeconds(5), options).GetAwaiter().GetResult();
        _handler = _device.HandleRequests((request, _) => Task.FromResult(request.Content));
        _requesters = Task.WhenAll(Enumerable.Range(0, Requesters).Select(i => ZccpClient.ConnectAsync(endpoint, $"app-{i}", TimeSpan.FromSeconds(5), options))).GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Requesters * PerRequester, Description = "DIRECT round trips, 100 requesters")]
    public Task RoundTrips()
    {
        var calls = new List<Task>(Requesters * PerRequester);
        foreach (var requester in _requesters)
        {
            for (var n = 0; n < PerRequester; n++)
                calls.Add(requester.RequestAsync("device", _body, TimeSpan.FromSeconds(30)));
        }
        return Task.WhenAll(calls);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var requester in _requesters)
            requester.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _handler.Dispose();
        _device.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.Dispose();
        _context.Dispose();
        _logging.Dispose();
    }
}
