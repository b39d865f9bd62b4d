using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Clients;
using Zproto.Wire;

namespace Zp.Client;

/// <summary>
/// A session with a zpd: run commands with streamed stdin/stdout/stderr, start background jobs,
/// list, describe, follow and cancel them. Survives short network breaks: the session is re-opened
/// with the same client id and followed streams resume from the bytes already received.
/// </summary>
/// <remarks>
/// Requests without a reply of their own (exec, follow, cancel) run one at a time, so an ERROR
/// the server sends belongs to the one in flight.
/// </remarks>
public sealed class ZpConnection : IAsyncDisposable, IZpStreamSink
{
    private readonly Dictionary<uint, ZpJob> _jobs = new();
    private readonly Dictionary<uint, CreditWindow> _transfers = new();
    private readonly SemaphoreSlim _fileGate = new(MaxFilesInFlight, MaxFilesInFlight);
    private readonly SemaphoreSlim _requestGate = new(1, 1);
    private readonly object _lock = new();
    private PendingRequest? _pending;
    // The copy probing whether the server takes FILE-PUT; other small files wait for its verdict.
    private Task? _probing;
    // Completed (and replaced) each time the session is re-opened; failed when it is lost for good.
    private TaskCompletionSource _reopened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Re-opened sessions one file may live through before its copy fails.</summary>
    private const int MaxTransferInterruptions = 30;

    /// <summary>
    /// Copies that may run at once on this connection. A small file costs a round trip (its
    /// FILE-PUT) and almost no bytes, so one at a time leaves the link idle; the receiver's table
    /// keeps 64 open transfers, so this stays well inside it. Memory: one window per file.
    /// </summary>
    public const int MaxFilesInFlight = 16;

    /// <summary>
    /// Files up to this size go in one FILE-PUT (an exec chunk's size): with
    /// <see cref="MaxFilesInFlight"/> puts at most 1 MiB is unacknowledged, as the credit bounds
    /// a streamed copy.
    /// </summary>
    public const int MaxPutSize = ExecKeys.MaxChunk;

    private ZpConnection(ZpClient client) => Client = client;

    internal ZpClient Client { get; }

    /// <summary>Connects and opens a session; throws <see cref="ZpTransportException"/> when refused or not reachable in time.</summary>
    public static async Task<ZpConnection> ConnectAsync(ZpConnectOptions options, ILogger<ZpClient>? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new ClientOptions { CurveServerKey = options.ServerKey, CurveKeys = options.ClientKeys, CallTimeout = options.ConnectTimeout + TimeSpan.FromSeconds(5) };
        var client = new ZpClient(clientOptions, logger)
        {
            HeartbeatInterval = options.HeartbeatInterval,
            MaxReconnectAttempts = options.MaxReconnectAttempts,
        };
        var connection = new ZpConnection(client);
        client.Sink = connection;
        try
        {
            client.Start();
            var reply = await client.ConnectAsync(options.Endpoint, options.ClientId, options.User, (uint)options.ConnectTimeout.TotalMilliseconds, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (reply.Value is ZpClient.Failure failure)
                throw new ZpTransportException(failure.Code == 0 ? failure.Reason : $"refused: {failure.Code} {failure.Reason}");
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return connection;
    }

    /// <summary>Runs a command attached to this session: returns once it started; read its output from the job.</summary>
    /// <param name="args">argv, command first.</param>
    /// <param name="stdin">True to stream stdin (<see cref="ZpJob.WriteInputAsync"/>); false gives the command end of file at once.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="cancellationToken">Cancels waiting for the start.</param>
    public async Task<ZpJob> ExecAsync(IReadOnlyList<string> args, bool stdin = false, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var aux = ZprotoHash.Create((ExecKeys.Stdin, stdin ? "pipe" : "null"), (ExecKeys.Credit, ExecKeys.DefaultCredit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        ZpJob? job = null;
        await RunRequestAsync(new PendingRequest(PendingKind.Exec, 0, handle =>
        {
            // Runs on the client's thread before any chunk of the job is delivered.
            job = new ZpJob(this, handle, ExecKeys.DefaultCredit);
            _jobs[handle] = job;
        }), () => Client.ExecAsync(args, aux, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return job!;
    }

    /// <summary>Starts a background job that outlives this session; returns its handle.</summary>
    public async Task<uint> StartAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var aux = ZprotoHash.Create((ExecKeys.Async, "1"), (ExecKeys.Stdin, "null"));
        uint started = 0;
        await RunRequestAsync(new PendingRequest(PendingKind.Exec, 0, handle => started = handle),
            () => Client.ExecAsync(args, aux, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return started;
    }

    /// <summary>Attaches to a job's output (mask 1 stdout, 2 stderr, 3 both): buffered output is replayed, then live output until it exits.</summary>
    public async Task<ZpJob> FollowAsync(uint handle, int mask = 3, CancellationToken cancellationToken = default)
    {
        if (mask is < 1 or > 3)
            throw new ArgumentOutOfRangeException(nameof(mask), mask, "mask is 1 (stdout), 2 (stderr) or 3 (both)");
        var job = new ZpJob(this, handle, ExecKeys.DefaultCredit);
        lock (_lock)
            _jobs[handle] = job;
        try
        {
            await RunRequestAsync(new PendingRequest(PendingKind.Follow, handle, null),
                () => Client.FollowAsync(handle, (uint)mask, (uint)ExecKeys.DefaultCredit, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_lock)
                _jobs.Remove(handle);
            throw;
        }
        return job;
    }

    /// <summary>Kills a job (SIGTERM, then SIGKILL after a grace period) and returns its final status.</summary>
    public Task<int> CancelAsync(uint handle, CancellationToken cancellationToken = default) =>
        RunRequestAsync(new PendingRequest(PendingKind.Cancel, handle, null), () => Client.CancelAsync(handle, cancellationToken: cancellationToken), cancellationToken);

    /// <summary>The handles of the jobs this user and client id own.</summary>
    public async Task<IReadOnlyList<uint>> ListJobsAsync(CancellationToken cancellationToken = default)
    {
        var reply = await Client.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return reply.Match<IReadOnlyList<uint>>(
            jobs: jobs => jobs.Handles.Select(h => uint.Parse(h, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            failure: f => throw new ZpRequestException((ushort)f.Code, f.Reason));
    }

    /// <summary>A job's details; <see cref="ZpRequestException"/> 404 for an unknown handle.</summary>
    public async Task<ZpJobInfo> DescribeAsync(uint handle, CancellationToken cancellationToken = default)
    {
        var reply = await Client.DescribeAsync(handle, cancellationToken: cancellationToken).ConfigureAwait(false);
        return reply.Match(
            jobInfo: info => new ZpJobInfo(info.Handle, (int)info.Returncode, info.Info.ToDictionary(p => p.Key, p => p.Value)),
            failure: f => throw new ZpRequestException((ushort)f.Code, f.Reason));
    }

    /// <summary>
    /// Copies a local file to <paramref name="remotePath"/> (relative to the remote user's home):
    /// skipped when the destination has the same size and mtime, resumed from what an interrupted
    /// copy left, sent under the receiver's credit, verified by the SHA-256 hashed while sending and
    /// renamed into place with mode and mtime. When the session is re-opened mid-transfer (a
    /// network break shorter than the reconnect limit), the file is opened again and the copy
    /// continues from what the receiver has. A file up to <see cref="MaxPutSize"/> goes whole in
    /// one FILE-PUT instead (sent again whole after a break), unless the server is a zpd older than
    /// FILE-PUT: the first put shows that, and this connection then streams small files too. Up to <see cref="MaxFilesInFlight"/>
    /// copies run at once; more wait their turn.
    /// </summary>
    /// <param name="localPath">The file to send.</param>
    /// <param name="remotePath">Destination file path on the server.</param>
    /// <param name="progress">Receives the bytes the receiver has, as they grow.</param>
    /// <param name="cancellationToken">Stops the copy; the partial file stays for a later resume.</param>
    public async Task<ZpCopyResult> CopyFileAsync(string localPath, string remotePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var info = new System.IO.FileInfo(localPath);
        var offer = new FileOffer(localPath, remotePath, info.Length, OperatingSystem.IsWindows() ? 0x1A4 : (int)System.IO.File.GetUnixFileMode(localPath),
            new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds());
        await _fileGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tally = new CopyTally();
            for (var interruptions = 0; ; interruptions++)
            {
                Task reopened;
                lock (_lock)
                    reopened = _reopened.Task;
                try
                {
                    var identical = await SendFileAsync(offer, tally, progress, cancellationToken).ConfigureAwait(false);
                    return new ZpCopyResult(identical, tally.ResumedAt ?? offer.Size, tally.Sent);
                }
                catch (Exception e) when (interruptions < MaxTransferInterruptions && (e is TransferInterruptedException || reopened.IsCompleted || !Client.Connected) && !Client.Terminated)
                {
                    // The session was lost while sending: wait until it is open again, then open
                    // the file again; the receiver answers with the bytes it kept.
                    await reopened.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ZprotoClientTerminatedException)
                {
                    throw new ZpTransportException("server not reachable");
                }
            }
        }
        finally
        {
            _fileGate.Release();
        }
    }

    /// <summary>
    /// One attempt: FILE-OPEN, chunks from the receiver's offset under its credit, FILE-CLOSE with
    /// the digest; true when the receiver had the file already. The file is read once: what the
    /// receiver kept from an earlier attempt is hashed here, the rest as it is sent.
    /// </summary>
    private async Task<bool> SendFileAsync(FileOffer offer, CopyTally tally, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        if (offer.Size <= MaxPutSize && await PutIfTakenAsync(offer, tally, progress, cancellationToken).ConfigureAwait(false) is { } put)
            return put;
        var reply = await Client.OpenFileAsync(offer.RemotePath, offer.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), (uint)offer.Mode,
            offer.MtimeMs.ToString(System.Globalization.CultureInfo.InvariantCulture), digest: "", cancellationToken: cancellationToken).ConfigureAwait(false);
        var opened = reply.Match(
            fileOpened: opened => opened,
            failure: failure => throw new ZpRequestException((ushort)failure.Code, failure.Reason));
        if (opened.Identical != 0)
        {
            progress?.Report(offer.Size);
            return true;
        }
        var resumeAt = long.Parse(opened.Offset, System.Globalization.CultureInfo.InvariantCulture);
        tally.ResumedAt ??= resumeAt;
        var window = new CreditWindow(opened.Credit);
        lock (_lock)
            _transfers[opened.Handle] = window;
        // Small files get a buffer their size, not a whole chunk's.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Clamp(offer.Size, 1, ExecKeys.FileChunk));
        try
        {
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            await using var file = new System.IO.FileStream(offer.LocalPath, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.Read, 1, useAsync: true);
            for (var hashed = 0L; hashed < resumeAt; )
            {
                var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, resumeAt - hashed)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    throw new System.IO.IOException($"{offer.LocalPath} is shorter than the {resumeAt} bytes the receiver has");
                hash.AppendData(buffer, 0, read);
                hashed += read;
            }
            var offset = resumeAt;
            progress?.Report(offset);
            while (offset < offer.Size)
            {
                var size = await window.TakeAsync((int)Math.Min(buffer.Length, offer.Size - offset), cancellationToken).ConfigureAwait(false);
                await file.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                hash.AppendData(buffer, 0, size);
                // The call returns once the chunk is encoded and sent, so the buffer can be reused.
                await Client.SendChunkAsync(opened.Handle, buffer.AsMemory(0, size), cancellationToken: cancellationToken).ConfigureAwait(false);
                offset += size;
                tally.Sent += size;
                progress?.Report(offset);
            }
            var digest = Convert.ToHexStringLower(hash.GetHashAndReset());
            var closed = await Client.CloseFileAsync(opened.Handle, digest, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (closed.Value is ZpClient.Failure closeFailure)
                throw new ZpRequestException((ushort)closeFailure.Code, closeFailure.Reason);
            return false;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            lock (_lock)
                _transfers.Remove(opened.Handle);
        }
    }

    /// <summary>
    /// Sends a small file in one FILE-PUT when the server takes that message; null when it does not
    /// (a zpd older than FILE-PUT), and the caller streams the file. While that is unknown, one copy
    /// probes with its put and the others wait for the verdict, so at most one put is ever dropped.
    /// </summary>
    private async Task<bool?> PutIfTakenAsync(FileOffer offer, CopyTally tally, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            bool? takes;
            Task? probing;
            TaskCompletionSource? verdict = null;
            lock (_lock)
            {
                // Read under the lock: a probe settles the verdict before it clears _probing.
                takes = Client.TakesFilePut;
                probing = _probing;
                if (takes is null && probing is null)
                    _probing = (verdict = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            if (takes is { } known)
                return known ? await PutFileAsync(offer, tally, progress, cancellationToken).ConfigureAwait(false) : null;
            if (verdict is null)
            {
                await probing!.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                return await ProbePutAsync(offer, tally, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                    _probing = null;
                verdict.TrySetResult();
            }
        }
    }

    /// <summary>
    /// The first put on this connection, followed at once by a request every zpd answers (EXEC-LIST,
    /// the fence). The server answers in order, so the client sees the put's reply first, or the
    /// fence's reply alone when the server dropped the put as an unknown message: then null.
    /// </summary>
    private async Task<bool?> ProbePutAsync(FileOffer offer, CopyTally tally, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        // PutFileAsync reads the file and sends before its first await, so the fence goes after it.
        var put = PutFileAsync(offer, tally, progress, cancellationToken);
        var fence = Client.ListAsync(cancellationToken: cancellationToken);
        try
        {
            await Task.WhenAll(put, fence).ConfigureAwait(false);
        }
        catch (ZpRequestException e) when (e.Code == ZpClient.PutNotSupportedCode && Client.TakesFilePut == false)
        {
            return null;
        }
        return await put.ConfigureAwait(false);
    }

    /// <summary>
    /// A small file in one FILE-PUT: read whole, hashed, sent with its digest; one round trip
    /// instead of an offer, a chunk and a close. Nothing to resume: an interrupted put is sent again.
    /// </summary>
    private async Task<bool> PutFileAsync(FileOffer offer, CopyTally tally, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Max(offer.Size, 1));
        try
        {
            var length = 0;
            using (var file = System.IO.File.OpenHandle(offer.LocalPath))
            {
                int read;
                while (length < offer.Size && (read = System.IO.RandomAccess.Read(file, buffer.AsSpan(length, (int)offer.Size - length), length)) > 0)
                    length += read;
            }
            if (length != offer.Size)
                throw new System.IO.IOException($"{offer.LocalPath} is shorter than its {offer.Size} bytes: changed while being copied");
            var data = buffer.AsMemory(0, length);
            var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data.Span));
            var reply = await Client.PutFileAsync(offer.RemotePath, (uint)offer.Mode, offer.MtimeMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                digest, data, cancellationToken: cancellationToken).ConfigureAwait(false);
            var put = reply.Match(
                fileOpened: opened => opened,
                failure: failure => throw new ZpRequestException((ushort)failure.Code, failure.Reason));
            tally.ResumedAt ??= 0;
            if (put.Identical == 0)
                tally.Sent += length;
            progress?.Report(offer.Size);
            return put.Identical != 0;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal Task GrantAsync(uint handle, ulong credit) => Client.GrantAsync(handle, (uint)Math.Min(credit, uint.MaxValue));

    private async Task<int> RunRequestAsync(PendingRequest request, Func<Task> send, CancellationToken cancellationToken)
    {
        await _requestGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_lock)
                _pending = request;
            await send().ConfigureAwait(false);
            using var registration = cancellationToken.Register(() => request.Completion.TrySetCanceled(cancellationToken));
            return await request.Completion.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
                _pending = null;
            _requestGate.Release();
        }
    }

    // ---- IZpStreamSink: the client thread ------------------------------------------------------

    void IZpStreamSink.OnStatus(uint handle, ushort returncode)
    {
        ZpJob? job;
        lock (_lock)
        {
            if (_pending is { } pending && (pending.Handle == handle || (pending.Kind == PendingKind.Exec && !_jobs.ContainsKey(handle))))
            {
                _pending = null;
                pending.OnStarted?.Invoke(handle);
                pending.Completion.TrySetResult(returncode);
            }
            if (returncode > 255 || !_jobs.Remove(handle, out job))
                return;
        }
        job.Finish(returncode);
    }

    void IZpStreamSink.OnChunk(uint handle, uint fd, ReadOnlyMemory<byte> data)
    {
        lock (_lock)
        {
            if (_jobs.TryGetValue(handle, out var job))
                job.Deliver(fd, data);
        }
    }

    void IZpStreamSink.OnCredit(uint handle, ulong credit)
    {
        lock (_lock)
        {
            if (_jobs.TryGetValue(handle, out var job))
                job.AddStdinCredit(credit);
        }
    }

    void IZpStreamSink.OnFileAck(uint handle, ulong offset, ulong credit)
    {
        lock (_lock)
        {
            if (_transfers.TryGetValue(handle, out var window))
                window.Add((long)Math.Min(credit, long.MaxValue));
        }
    }

    void IZpStreamSink.OnError(ushort code, string reason)
    {
        lock (_lock)
        {
            if (_pending is { } pending)
            {
                _pending = null;
                pending.Completion.TrySetException(new ZpRequestException(code, reason));
            }
            else
            {
                // A chunk the receiver could not take: the transfer in flight fails.
                foreach (var window in _transfers.Values)
                    window.Fail(new ZpRequestException(code, reason));
            }
        }
    }

    void IZpStreamSink.OnReopened()
    {
        TaskCompletionSource reopened;
        lock (_lock)
        {
            foreach (var window in _transfers.Values)
                window.Fail(new TransferInterruptedException());
            // Acknowledgements still on their way belong to the old transfers: drop them.
            _transfers.Clear();
            reopened = _reopened;
            _reopened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        reopened.TrySetResult();
    }

    void IZpStreamSink.OnLost(string reason)
    {
        List<ZpJob> jobs;
        lock (_lock)
        {
            _reopened.TrySetException(new ZpTransportException(reason));
            _pending?.Completion.TrySetException(new ZpTransportException(reason));
            _pending = null;
            jobs = _jobs.Values.ToList();
            _jobs.Clear();
            foreach (var window in _transfers.Values)
                window.Fail(new ZpTransportException(reason));
        }
        foreach (var job in jobs)
            job.Fail(new ZpTransportException(reason));
    }

    /// <summary>Closes the session politely (CONNECTION-CLOSE) and stops the client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Client.Terminated && Client.Connected)
        {
            try
            {
                await Client.DisconnectAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or ZprotoClientTerminatedException or ZprotoMethodNotValidException)
            {
                // Closing is a courtesy; the server expires the session anyway.
            }
        }
        await Client.DisposeAsync().ConfigureAwait(false);
        _requestGate.Dispose();
        _fileGate.Dispose();
    }

    /// <summary>What <see cref="CopyFileAsync"/> offers the receiver, the same on every attempt.</summary>
    private sealed record FileOffer(string LocalPath, string RemotePath, long Size, int Mode, long MtimeMs);

    /// <summary>Across the attempts at one file: where the first resumed, and the payload sent in all.</summary>
    private sealed class CopyTally
    {
        public long? ResumedAt { get; set; }
        public long Sent { get; set; }
    }

    /// <summary>A transfer's session was re-opened: the file must be opened again to continue.</summary>
    private sealed class TransferInterruptedException() : Exception("the session was re-opened during the transfer");

    private enum PendingKind
    {
        Exec,
        Follow,
        Cancel,
    }

    private sealed class PendingRequest(PendingKind kind, uint handle, Action<uint>? onStarted)
    {
        public PendingKind Kind { get; } = kind;
        public uint Handle { get; } = handle;
        public Action<uint>? OnStarted { get; } = onStarted;
        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
