using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zccp.Protocol;
using Zccp.Tests.Infrastructure;
using Zproto.Runtime.Clients;
using Zproto.Runtime.Zmq;

namespace Zccp.Tests;

/// <summary>
/// Sends beyond the DEALER's high-water mark. Before the client engine kept a backlog, a message the
/// DEALER refused was dropped with a rate-limited warning: the cause of the DIRECT benchmark's rare
/// unanswered request (a device answering a burst while its I/O thread was starved). Every message
/// must now arrive, or its call fail with a typed error; never silence.
/// </summary>
public sealed class DirectBurstTests
{
    private const int Requesters = 100;
    private const int PerRequester = 20;

    /// <summary>
    /// 100 requesters × 20 requests to one device that holds every answer until all 2,000 requests
    /// arrived, then answers them at once: more sends in one go than its DEALER's high-water mark
    /// (1,000). Before the fix about 150 of the 2,000 requesters heard nothing.
    /// </summary>
    [Fact]
    public async Task Hundred_concurrent_requesters_get_every_reply_when_the_device_answers_in_one_burst()
    {
        await using var broker = TestBroker.Start(tcp: true);
        // Generous budgets: no answer leaves the device until all 2,000 requests reached it, and on a
        // loaded machine 101 HELLOs and that many requests take far longer than on a quiet one.
        var patient = TimeSpan.FromSeconds(60);
        var options = new ZccpClientOptions { Context = broker.Context, PresenceTimeout = patient };
        await using var device = await ZccpClient.ConnectAsync(broker.Endpoint, "device", patient, options);
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = device.HandleRequests(async (request, _) =>
        {
            if (Interlocked.Increment(ref arrived) == Requesters * PerRequester)
                allArrived.TrySetResult();
            await allArrived.Task;
            return request.Content;
        });
        var requesters = await Task.WhenAll(Enumerable.Range(0, Requesters).Select(i => ZccpClient.ConnectAsync(broker.Endpoint, $"app-{i}", patient, options)));
        try
        {
            var outcomes = await Task.WhenAll(requesters.SelectMany((r, i) => Enumerable.Range(0, PerRequester).Select(async n =>
            {
                try
                {
                    var reply = await r.RequestAsync("device", $"{i}:{n}", patient);
                    return reply.Text == $"{i}:{n}" ? "reply" : $"wrong reply {reply.Text} to {i}:{n}";
                }
                catch (ZccpException e)
                {
                    return "typed error " + e.GetType().Name;
                }
                catch (TimeoutException)
                {
                    return "silence";
                }
            })));
            Assert.Equal(Requesters * PerRequester, arrived);
            Assert.Equal(Requesters * PerRequester, outcomes.Length);
            Assert.Empty(outcomes.Where(o => o != "reply").GroupBy(o => o).Select(g => $"{g.Count()} × {g.Key}"));
        }
        finally
        {
            foreach (var requester in requesters)
                await requester.DisposeAsync();
        }
    }

    /// <summary>
    /// A broker that greets and then stops reading: publishes fill the DEALER (and the peer's receive
    /// queue), then the client's backlog up to SendQueueLimit, after which PublishAsync fails with
    /// <see cref="ZprotoSendQueueFullException"/>. Once the broker reads again, every publish that was
    /// accepted arrives, in order.
    /// </summary>
    [Fact]
    public async Task Publishes_past_the_high_water_mark_arrive_or_fail_with_send_queue_full()
    {
        using var context = new ZmqContext();
        using var router = new ZmqSocket(context, ZmqSocketType.Router) { ReceiveTimeout = TimeSpan.FromSeconds(5) };
        var endpoint = $"inproc://zccp-stalled-{Guid.NewGuid():N}";
        router.Bind(endpoint);
        var greeting = Task.Run(() =>
        {
            var frames = new List<byte[]>();
            Assert.True(router.TryReceiveMultipart(frames), "no HELLO arrived");
            router.SendMultipart(new ReadOnlyMemory<byte>[] { frames[0] }.Concat(ZccpMsg.EncodeFrames(new ZccpMsg.HelloOk())).ToArray());
        });
        var options = new ZccpClientOptions { Context = context, PresenceTimeout = TimeSpan.FromMinutes(5), SendQueueLimit = 100 };
        await using var client = await ZccpClient.ConnectAsync(endpoint, "flooder", TimeSpan.FromSeconds(5), options);
        await greeting;
        var accepted = 0;
        ZprotoSendQueueFullException? refusal = null;
        while (refusal is null && accepted < 100_000)
        {
            try
            {
                await client.PublishAsync("flood", accepted.ToString(System.Globalization.CultureInfo.InvariantCulture));
                accepted++;
            }
            catch (ZprotoSendQueueFullException e)
            {
                refusal = e;
            }
        }
        Assert.NotNull(refusal);
        // libzmq's queues hold about 2,000 (both high-water marks), the backlog 100 more.
        Assert.InRange(accepted, 1_000, 10_000);
        var received = new List<string>();
        var message = new List<byte[]>();
        while (received.Count < accepted && router.TryReceiveMultipart(message))
        {
            Assert.True(ZccpMsg.TryDecode(message.Skip(1).Select(f => (ReadOnlyMemory<byte>)f).ToArray(), out var decoded, out var error), error.ToString());
            if (decoded is ZccpMsg.Publish publish)
                received.Add(Bytes.Text(publish.Content![0]));
            message.Clear();
        }
        Assert.Equal(Enumerable.Range(0, accepted).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), received);
    }
}
