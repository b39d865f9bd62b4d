using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zp.Client;
using Zpd.Codec;
using Zproto.Runtime.Servers;
using Zproto.Wire;

namespace Zpd;

/// <summary>
/// zpd's server actions; the state machine is generated from models/zp_server.xml. Each action is
/// a thin call into <see cref="JobTable"/> (jobs, buffers, followers) and <see cref="SessionPolicy"/>
/// (which users a session may act as); process events are posted onto the server's thread.
/// </summary>
public sealed partial class ZpServer : IJobTransport
{
    // Session key (user, client id) → the client record currently serving it.
    private readonly Dictionary<string, Client> _sessions = new(StringComparer.Ordinal);
    private readonly FileTransfers? _fileTransfers;
    private readonly SessionPolicy? _sessionPolicy;
    private readonly JobTable? _jobTable;
    private bool _stopping;

    /// <summary>Creates the server with its session policy and job limits.</summary>
    [ActivatorUtilitiesConstructor]
    public ZpServer(ServerOptions options, SessionPolicy policy, ZpdLimits limits, ILogger<ZpServer>? logger = null)
        : this(options, logger)
    {
        _sessionPolicy = policy;
        _fileTransfers = new FileTransfers(flushToDisk: limits.FlushToDisk);
        _jobTable = new JobTable(limits.Jobs, this, (job, launch, events) => JobProcess.Start(job, launch, new PostedEvents(this, events), limits.Jobs.MaxChunk));
    }

    // The generated (options, logger) constructor leaves these unset; zpd always uses the one above.
    private SessionPolicy _policy => _sessionPolicy ?? throw new InvalidOperationException("create ZpServer with a SessionPolicy");

    private JobTable _jobs => _jobTable ?? throw new InvalidOperationException("create ZpServer with a SessionPolicy");

    private FileTransfers _files => _fileTransfers ?? throw new InvalidOperationException("create ZpServer with a SessionPolicy");

    /// <summary>Per-client data.</summary>
    public sealed partial class Client
    {
        /// <summary>The session key (user and client id) once opened.</summary>
        public string Owner { get; set; } = "";

        /// <summary>The local user the session acts as.</summary>
        public string User { get; set; } = "";

        /// <summary>The reply an action prepared for the model's next <c>send</c> (taken by the composers).</summary>
        internal ZpMsg.Message? Prepared { get; set; }
    }

    /// <summary>
    /// The prepared reply when it is a <typeparamref name="T"/>, else <typeparamref name="T"/> with default fields
    /// (CONNECTION-CLOSE's OK); the slot is cleared either way.
    /// </summary>
    private static T TakePrepared<T>(Client client) where T : ZpMsg.Message, new()
    {
        var prepared = client.Prepared;
        client.Prepared = null;
        return prepared as T ?? new T();
    }

    /// <summary>Jobs not ended yet (for shutdown).</summary>
    public System.Threading.Tasks.Task<int> RunningJobsAsync() => Invoke(() => _jobs.RunningCount);

    /// <summary>Stops taking new jobs and sends SIGTERM (SIGKILL after the grace period) to every running one.</summary>
    public System.Threading.Tasks.Task<int> TerminateJobsAsync() => Invoke(() =>
    {
        _stopping = true;
        _jobs.TerminateAll();
        return _jobs.RunningCount;
    });

    // ---- actions -------------------------------------------------------------------------------

    private partial void RegisterClient(Client client)
    {
        var (clientId, user) = client.Request switch
        {
            ZpMsg.SessionOpen open => (open.ClientId, open.User),
            ZpMsg.ConnectionOpen open => (open.ClientId, _policy.DefaultUser),
            _ => throw new InvalidOperationException("register client runs for CONNECTION-OPEN and SESSION-OPEN"),
        };
        if (_policy.Refuse(client.UserId, user) is { } reason)
        {
            client.Prepared = new ZpMsg.Error { Code = 403, Reason = reason };
            RaiseException(client, Event.Refused);
            return;
        }
        var owner = JobTable.OwnerKey(user, clientId);
        if (client.Owner.Length > 0 && client.Owner != owner)
            EndSession(client);
        client.Owner = owner;
        client.User = user;
        client.LogPrefix = $"{user}/{clientId}";
        // A reconnecting client comes from a new routing id; the newest record serves the session.
        _sessions[owner] = client;
        client.Prepared = new ZpMsg.Ok { Code = 200, Reason = "OK" };
    }

    private partial ZpMsg.Ok ComposeOk(Client client) => TakePrepared<ZpMsg.Ok>(client);

    private partial ZpMsg.Error ComposeError(Client client) => TakePrepared<ZpMsg.Error>(client);

    private partial ZpMsg.ExecStatusReply ComposeExecStatusReply(Client client) => TakePrepared<ZpMsg.ExecStatusReply>(client);

    private partial ZpMsg.ExecInfo ComposeExecInfo(Client client, ZpMsg.ExecInfoGet request) => TakePrepared<ZpMsg.ExecInfo>(client);

    private partial ZpMsg.FileOpenReply ComposeFileOpenReply(Client client) => TakePrepared<ZpMsg.FileOpenReply>(client);

    private partial ZpMsg.FileAck ComposeFileAck(Client client, ZpMsg.FileChunk request) => TakePrepared<ZpMsg.FileAck>(client);

    private partial void DeregisterClient(Client client)
    {
        EndSession(client);
        SetWakeup(client, TimeSpan.FromSeconds(1), Event.Settled);
    }

    private void EndSession(Client client)
    {
        if (client.Owner.Length > 0 && _sessions.TryGetValue(client.Owner, out var current) && ReferenceEquals(current, client))
        {
            _sessions.Remove(client.Owner);
            _jobs.SessionEnded(client.Owner);
        }
        client.Owner = "";
    }

    private partial void SignalCommandInvalid(Client client) =>
        client.Prepared = new ZpMsg.Error { Code = 400, Reason = ZpClient.CommandInvalidReason };

    private partial void SignalOperationFailed(Client client) =>
        client.Prepared = new ZpMsg.Error { Code = 500, Reason = "operation failed" };

    private partial void StartJob(Client client, ZpMsg.Exec request)
    {
        Serve(client, () =>
        {
            if (_stopping)
                throw new JobRequestException(503, "zpd is shutting down");
            var aux = request.Aux;
            var detached = aux.TryGetValue(ExecKeys.Async, out var async) && async == "1";
            var pipeStdin = aux.TryGetValue(ExecKeys.Stdin, out var stdin) && stdin == "pipe";
            var credit = aux.TryGetValue(ExecKeys.Credit, out var text) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : ExecKeys.DefaultCredit;
            aux.TryGetValue(ExecKeys.Cwd, out var cwd);
            var launch = new JobLaunch(request.Args, request.Env, cwd, pipeStdin && !detached, _policy.RunAs(client.User));
            var job = _jobs.Start(client.Owner, launch, detached, credit);
            Logger.LogInformation("{Client}: job {Handle} started: {Command}", client.LogPrefix, job.Handle, job.CommandLine);
            client.Prepared = new ZpMsg.ExecStatusReply { Handle = job.Handle, Returncode = JobTable.StatusCode(job) };
            // After this event, so the client has the handle before its first credit.
            if (launch.PipeStdin)
                Post(() => _jobs.GrantInitialStdin(job));
        });
    }

    private partial void WriteJobInput(Client client, ZpMsg.ExecChunk request)
    {
        Serve(client, () =>
        {
            if (request.Fd != 0)
                throw new JobRequestException(400, "clients send only fd 0 (stdin)");
            _jobs.WriteInput(_jobs.Get(client.Owner, request.Handle), request.Chunk);
        });
    }

    private partial void AddOutputCredit(Client client, ZpMsg.ExecCredit request)
    {
        _jobs.AddCredit(client.Owner, request.Handle, request.Credit);
    }

    private partial void FollowJob(Client client, ZpMsg.ExecFollow request)
    {
        Serve(client, () => _jobs.Follow(client.Owner, _jobs.Get(client.Owner, request.Handle), request.Mask,
            (long)Math.Min(request.StdoutOffset, long.MaxValue), (long)Math.Min(request.StderrOffset, long.MaxValue), (long)Math.Min(request.Credit, long.MaxValue)));
    }

    private partial void GetJobStatus(Client client, ZpMsg.ExecStatusGet request)
    {
        var handle = request.Handle;
        Serve(client, () => client.Prepared = new ZpMsg.ExecStatusReply { Handle = handle, Returncode = JobTable.StatusCode(_jobs.Get(client.Owner, handle)) });
    }

    private partial void GetJobInfo(Client client, ZpMsg.ExecInfoGet request)
    {
        var handle = request.Handle;
        Serve(client, () =>
        {
            var job = _jobs.Get(client.Owner, handle);
            client.Prepared = new ZpMsg.ExecInfo
            {
                Handle = handle,
                Returncode = JobTable.StatusCode(job),
                Info = ZprotoHash.Create(_jobs.Describe(job).Select(p => new KeyValuePair<string, string>(p.Key, p.Value))),
            };
        });
    }

    private partial ZpMsg.ExecListReply ComposeExecListReply(Client client, ZpMsg.ExecList request) =>
        new()
        {
            Handles = _jobs.List(client.Owner).Select(j => j.Handle.ToString(CultureInfo.InvariantCulture)).ToArray(),
        };

    private partial void CancelJob(Client client, ZpMsg.ExecCancel request)
    {
        var handle = request.Handle;
        Serve(client, () =>
        {
            var job = _jobs.Get(client.Owner, handle);
            Logger.LogInformation("{Client}: job {Handle} cancelled", client.LogPrefix, handle);
            _jobs.Cancel(client.Owner, job);
        });
    }

    private partial void OpenFile(Client client, ZpMsg.FileOpen request)
    {
        Serve(client, () =>
        {
            var home = _policy.RunAs(client.User)?.Home ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var result = _files.Open(client.Owner, home, request.Path, (long)Math.Min(request.Size, long.MaxValue), (int)request.Mode, (long)Math.Min(request.Mtime, long.MaxValue), request.Digest);
            client.Prepared = new ZpMsg.FileOpenReply { Handle = result.Handle, Identical = result.Identical ? (byte)1 : (byte)0, Offset = (ulong)result.Offset, Credit = (ulong)result.Credit };
        });
    }

    private partial void WriteFileChunk(Client client, ZpMsg.FileChunk request)
    {
        Serve(client, () =>
        {
            var written = _files.Write(client.Owner, request.Handle, (long)Math.Min(request.Offset, long.MaxValue), request.Chunk.Span);
            // Acknowledge and refill exactly what was written: the sender's window slides.
            client.Prepared = new ZpMsg.FileAck { Handle = request.Handle, Offset = (ulong)written, Credit = (ulong)request.Chunk.Length };
        });
    }

    private partial void PutFile(Client client, ZpMsg.FilePut request)
    {
        Serve(client, () =>
        {
            var home = _policy.RunAs(client.User)?.Home ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var identical = _files.Put(home, request.Path, (int)request.Mode, (long)Math.Min(request.Mtime, long.MaxValue), request.Digest, request.Data.Span);
            client.Prepared = new ZpMsg.FileOpenReply { Handle = 0, Identical = identical ? (byte)1 : (byte)0, Offset = (ulong)request.Data.Length, Credit = 0 };
        });
    }

    private partial void CloseFile(Client client, ZpMsg.FileClose request)
    {
        Serve(client, () =>
        {
            _files.Close(client.Owner, request.Handle, request.Digest);
            client.Prepared = new ZpMsg.Ok { Code = 200, Reason = "file in place" };
        });
    }

    /// <summary>Runs a request; a <see cref="JobRequestException"/> becomes ERROR with its code and the session stays.</summary>
    private void Serve(Client client, Action request)
    {
        try
        {
            request();
        }
        catch (JobRequestException e)
        {
            client.Prepared = new ZpMsg.Error { Code = e.Code, Reason = e.Message };
            RaiseException(client, Event.BadRequest);
        }
    }

    // ---- IJobTransport: the job table's sends ------------------------------------------------------

    void IJobTransport.SendChunk(string session, uint handle, int fd, ReadOnlyMemory<byte> data)
    {
        if (_sessions.TryGetValue(session, out var client))
            Send(client, new ZpMsg.ExecChunk { Handle = handle, Fd = (uint)fd, Chunk = data });
    }

    void IJobTransport.SendStatus(string session, uint handle, ushort returncode)
    {
        if (_sessions.TryGetValue(session, out var client))
            Send(client, new ZpMsg.ExecStatusReply { Handle = handle, Returncode = returncode });
    }

    void IJobTransport.SendStdinCredit(string session, uint handle, ulong credit)
    {
        if (_sessions.TryGetValue(session, out var client))
            Send(client, new ZpMsg.ExecCredit { Handle = handle, Fd = 0, Credit = credit });
    }

    /// <summary>Marshals a job's process events onto the server thread.</summary>
    private sealed class PostedEvents(ZpServer server, IJobEvents table) : IJobEvents
    {
        public void Output(Job job, int fd, byte[] data) => Post(() => table.Output(job, fd, data));

        public void OutputClosed(Job job, int fd) => Post(() => table.OutputClosed(job, fd));

        public void InputWritten(Job job, int count) => Post(() => table.InputWritten(job, count));

        public void Exited(Job job, int exitCode, bool failedToStart) => Post(() => table.Exited(job, exitCode, failedToStart));

        private void Post(Action action)
        {
            try
            {
                server.Post(action);
            }
            catch (ObjectDisposedException)
            {
                // zpd is stopping; nobody is left to tell.
            }
        }
    }
}
