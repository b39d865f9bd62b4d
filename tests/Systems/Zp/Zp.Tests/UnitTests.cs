using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;
using Zp.Client;
using Zpd;

namespace Zp.Tests;

public sealed class OutputBufferTests
{
    [Fact]
    public void Read_ReturnsBytesByAbsoluteOffset_AcrossSegments()
    {
        var buffer = new OutputBuffer(1024);
        buffer.Append(Encoding.ASCII.GetBytes("hello "));
        buffer.Append(Encoding.ASCII.GetBytes("world"));
        Assert.Equal("hello ", Encoding.ASCII.GetString(buffer.Read(0, 100, out var at0).Span));
        Assert.Equal(0, at0);
        Assert.Equal("wor", Encoding.ASCII.GetString(buffer.Read(6, 3, out _).Span));
        Assert.Equal("lo ", Encoding.ASCII.GetString(buffer.Read(3, 100, out _).Span));
        Assert.True(buffer.Read(11, 10, out _).IsEmpty);
        Assert.Equal(11, buffer.End);
    }

    [Fact]
    public void Append_PastTheBound_DropsOldestSegments_AndKeepsAtLeastTheBound()
    {
        var buffer = new OutputBuffer(100);
        for (var i = 0; i < 1000; i++)
            buffer.Append(new byte[10]);
        Assert.Equal(10_000, buffer.End);
        Assert.InRange(buffer.Length, 100, 110);
        Assert.Equal(buffer.End - buffer.Length, buffer.Dropped);
        // A reader behind the window resumes at the oldest byte held.
        Assert.False(buffer.Read(0, 10, out var actual).IsEmpty);
        Assert.Equal(buffer.Start, actual);
    }
}

public sealed class AuthorizedKeysTests
{
    private const string Key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";

    [Fact]
    public void Parse_ReadsKeysAndUsers_SkippingCommentsAndBlankLines()
    {
        var keys = AuthorizedKeys.Parse($"# comment\n\n{Key} alice,bob\n", "ak");
        Assert.Single(keys.Keys);
        Assert.Equal(new[] { "alice", "bob" }, keys.UsersOf(Key));
    }

    [Fact]
    public void SessionPolicy_LetsAKeyActOnlyAsTheUsersOfItsOwnLine()
    {
        const string Other = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
        var keys = AuthorizedKeys.Parse($"{Key} alice\n{Other} bob\n", "ak");
        var policy = new SessionPolicy(keys, "alice", privileged: false);
        Assert.Null(policy.Refuse(Key, "alice"));
        Assert.Equal("this client key may not act as 'alice' (authorized_keys)", policy.Refuse(Other, "alice"));
        Assert.Equal("this client key may not act as 'bob' (authorized_keys)", policy.Refuse(Key, "bob"));
        Assert.Equal("this client key may not act as 'alice' (authorized_keys)", policy.Refuse("", "alice"));
    }

    [Theory]
    [InlineData("notakey alice", "ak:1: 'notakey' is not a Z85 CURVE public key")]
    [InlineData("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", "ak:1: expected 'Z85-PUBLIC-KEY user[,user...]'")]
    [InlineData("\nrq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7 ,", "ak:2: no user after the key")]
    public void Parse_RejectsMalformedLines_NamingTheLine(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => AuthorizedKeys.Parse(text, "ak"));
        Assert.StartsWith(message, e.Message);
    }
}

public sealed class ZpTargetTests
{
    [Theory]
    [InlineData("alice@localhost", null, "alice", "localhost", 6522)]
    [InlineData("alice@localhost", 2200, "alice", "localhost", 2200)]
    [InlineData("alice@host:7000", 2200, "alice", "host", 7000)]
    [InlineData("alice@tcp://127.0.0.2:7001", null, "alice", "127.0.0.2", 7001)]
    [InlineData("alice@tcp://example.org", null, "alice", "example.org", 6522)]
    [InlineData("bob@[::1]:7002", null, "bob", "::1", 7002)]
    public void Parse_AcceptsSshAndZeroMqForms(string text, int? port, string user, string host, int expectedPort)
    {
        var target = ZpTarget.Parse(text, port);
        Assert.Equal(new ZpTarget(user, host, expectedPort), target);
    }

    [Fact]
    public void Parse_RejectsUdp_SayingWhy()
    {
        var e = Assert.Throws<FormatException>(() => ZpTarget.Parse("alice@udp://localhost"));
        Assert.Contains("no UDP transport", e.Message);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("@localhost")]
    [InlineData("alice@")]
    [InlineData("alice@host:99999")]
    [InlineData("alice@ipc://x")]
    public void Parse_RejectsMalformedTargets(string text) => Assert.Throws<FormatException>(() => ZpTarget.Parse(text));

    [Fact]
    public void Endpoint_BracketsIpv6() => Assert.Equal("tcp://[::1]:7002", ZpTarget.Parse("bob@[::1]:7002").Endpoint);
}

/// <summary>The job table with a fake process and a recording transport: streaming under credit, backpressure, follow, cancel, ownership.</summary>
public sealed class JobTableTests
{
    private const string Alice = "alice\nc1";
    private readonly Recorder _sent = new();
    private readonly List<FakeProcess> _processes = new();
    private readonly JobTable _table;
    private readonly IJobEvents _events;

    public JobTableTests()
    {
        _table = new JobTable(new JobLimits { OutputBound = 1000, MaxChunk = 100, StdinWindow = 500 }, _sent, (job, launch, events) =>
        {
            var process = new FakeProcess();
            _processes.Add(process);
            return process;
        }, () => 0);
        _events = _table;
    }

    private Job Start(bool detached = false, ulong credit = 250) =>
        _table.Start(Alice, new JobLaunch(new[] { "cmd", "arg" }, new Dictionary<string, string>(), null, PipeStdin: true), detached, credit);

    [Fact]
    public void SyncJob_StreamsOutputUpToTheCredit_ThenWaitsForMore()
    {
        var job = Start(credit: 250);
        _events.Output(job, 1, new byte[400]);
        Assert.Equal(250, _sent.Chunks.Sum(c => c.Length));
        Assert.All(_sent.Chunks, c => Assert.True(c.Length <= 100));
        _table.AddCredit(Alice, job.Handle, 1000);
        Assert.Equal(400, _sent.Chunks.Sum(c => c.Length));
    }

    [Fact]
    public void Exit_AfterAllOutputWasSent_EndsTheFollowerWithTheFinalStatus()
    {
        var job = Start(credit: 10);
        _events.Output(job, 2, new byte[20]);
        _events.Exited(job, 3, failedToStart: false);
        Assert.Empty(_sent.Statuses);
        _table.AddCredit(Alice, job.Handle, 100);
        Assert.Equal((job.Handle, (ushort)3), Assert.Single(_sent.Statuses));
        Assert.Equal(JobState.Finished, job.State);
    }

    [Fact]
    public void FollowerWithoutCredit_ClosesTheGate_WhenItLagsByTheBound()
    {
        var job = Start(credit: 0);
        var process = _processes.Single();
        _events.Output(job, 1, new byte[800]);
        Assert.True(process.Room[0]);
        _events.Output(job, 1, new byte[200]);
        Assert.False(process.Room[0]);
        Assert.True(process.Room[1]);
        _table.AddCredit(Alice, job.Handle, 1000);
        Assert.True(process.Room[0]);
    }

    [Fact]
    public void UnfollowedOutput_IsBounded_AndNeverBlocksTheProgram()
    {
        var job = Start(detached: true);
        for (var i = 0; i < 1000; i++)
            _events.Output(job, 1, new byte[100]);
        Assert.InRange(job.Output[0].Length, 1000, 1100);
        Assert.True(_processes.Single().Room[0]);
        Assert.Empty(_sent.Chunks);
    }

    [Fact]
    public void Follow_FromOffsets_ReplaysOnlyWhatTheClientLacks()
    {
        var job = Start(detached: true);
        _events.Output(job, 1, Encoding.ASCII.GetBytes("one\ntwo\n"));
        _events.Output(job, 2, Encoding.ASCII.GetBytes("err\n"));
        _table.Follow(Alice, job, 1, 4, 0, 1000);
        Assert.Equal("two\n", Encoding.ASCII.GetString(Assert.Single(_sent.Chunks)));
        Assert.Equal((job.Handle, JobTable.Running), Assert.Single(_sent.Statuses));
    }

    [Fact]
    public void Cancel_TerminatesTheProcess_AndTheCancellerHearsTheFinalStatus()
    {
        var job = Start(detached: true);
        _table.Cancel("bob\nc2", job);
        Assert.True(_processes.Single().Terminated);
        _events.Exited(job, 143, failedToStart: false);
        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Contains(("bob\nc2", job.Handle, (ushort)143), _sent.StatusesTo);
    }

    [Fact]
    public void Jobs_BelongToTheirOwner_AnotherOwnerGets404()
    {
        var job = Start(detached: true);
        Assert.Same(job, _table.Get(Alice, job.Handle));
        Assert.Equal(404, Assert.Throws<JobRequestException>(() => _table.Get("mallory\nc1", job.Handle)).Code);
        Assert.Equal(404, Assert.Throws<JobRequestException>(() => _table.Get(Alice, 999_999)).Code);
        Assert.Empty(_table.List("mallory\nc1"));
        Assert.Single(_table.List(Alice));
    }

    [Fact]
    public void EmptyCommand_Is400()
    {
        var e = Assert.Throws<JobRequestException>(() => _table.Start(Alice, new JobLaunch(Array.Empty<string>(), new Dictionary<string, string>(), null, false), false, 0));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void StdinCredit_IsGrantedBack_AsTheProgramReads()
    {
        var job = Start();
        _table.GrantInitialStdin(job);
        _table.WriteInput(job, new byte[300]);
        _events.InputWritten(job, 300);
        Assert.Equal(new ulong[] { 500, 300 }, _sent.Credits);
        _table.WriteInput(job, ReadOnlyMemory<byte>.Empty);
        Assert.True(_processes.Single().InputClosed);
    }

    [Fact]
    public void SessionEnded_DetachesItsFollowers_SoTheProgramIsNotHeldBack()
    {
        var job = Start(credit: 0);
        _events.Output(job, 1, new byte[1000]);
        Assert.False(_processes.Single().Room[0]);
        _table.SessionEnded(Alice);
        Assert.True(_processes.Single().Room[0]);
        Assert.Equal("disconnected", _table.Describe(job).Single(p => p.Key == "stdout").Value);
    }

    private sealed class Recorder : IJobTransport
    {
        public List<byte[]> Chunks { get; } = new();
        public List<(uint, ushort)> Statuses { get; } = new();
        public List<(string, uint, ushort)> StatusesTo { get; } = new();
        public List<ulong> Credits { get; } = new();

        public void SendChunk(string session, uint handle, int fd, ReadOnlyMemory<byte> data) => Chunks.Add(data.ToArray());

        public void SendStatus(string session, uint handle, ushort returncode)
        {
            Statuses.Add((handle, returncode));
            StatusesTo.Add((session, handle, returncode));
        }

        public void SendStdinCredit(string session, uint handle, ulong credit) => Credits.Add(credit);
    }

    private sealed class FakeProcess : IJobProcess
    {
        public bool[] Room { get; } = { true, true };
        public bool Terminated { get; private set; }
        public bool InputClosed { get; private set; }

        public void WriteInput(ReadOnlyMemory<byte> data) { }

        public void CloseInput() => InputClosed = true;

        public void SetRoom(int fd, bool room) => Room[fd - 1] = room;

        public void Terminate(TimeSpan grace) => Terminated = true;
    }
}
