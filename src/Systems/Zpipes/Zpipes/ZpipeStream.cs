using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Zpipes;

/// <summary>
/// A <see cref="Stream"/> over one end of a pipe, so pipes work with <see cref="Stream.CopyToAsync(Stream)"/>
/// and friends: readable for a reader, writable for a writer, never seekable.
/// </summary>
/// <remarks>
/// A read asks the broker for min(buffer, chunk size) bytes. ZPIPES answers a read only once that
/// many bytes are queued (or the writer has closed), so a read waits for a full buffer while the
/// pipe is open; it returns 0 at the end of the pipe. A write is cut into chunk-size WRITEs.
/// <see cref="Stream.ReadTimeout"/> and <see cref="Stream.WriteTimeout"/> (ms, default infinite) are
/// the per-request timeouts sent to the broker. Without a timeout the stream keeps a window of
/// requests in flight (<see cref="ZpipesClientOptions.Window"/>): reads are answered from READs sent
/// ahead (<see cref="Zpipe.ReadAheadAsync"/>), and a write returns once its WRITEs are sent
/// (<see cref="Zpipe.QueueWriteAsync"/>); <see cref="FlushAsync(CancellationToken)"/> waits for their
/// answers, and disposing the stream flushes before it closes the pipe. With a timeout every request
/// waits for its answer, since a timed-out request inside a window could leave a gap.
/// </remarks>
public sealed class ZpipeStream : Stream
{
    /// <summary>Default largest READ or WRITE: 64 KiB.</summary>
    public const int DefaultChunkSize = 64 * 1024;

    private readonly Zpipe _pipe;
    private readonly int _chunkSize;
    private readonly bool _leaveOpen;
    private int _readTimeout = Timeout.Infinite;
    private int _writeTimeout = Timeout.Infinite;
    private bool _disposed;
    // What is left of the last chunk read ahead, for reads smaller than it.
    private ReadOnlyMemory<byte> _readAhead;

    internal ZpipeStream(Zpipe pipe, int chunkSize, bool leaveOpen)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        _pipe = pipe;
        _chunkSize = chunkSize;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The pipe under the stream.</summary>
    public Zpipe Pipe => _pipe;

    /// <inheritdoc />
    public override bool CanRead => !_disposed && _pipe.Mode == ZpipeMode.Read;

    /// <inheritdoc />
    public override bool CanWrite => !_disposed && _pipe.Mode == ZpipeMode.Write;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanTimeout => true;

    /// <inheritdoc />
    public override int ReadTimeout
    {
        get => _readTimeout;
        set => _readTimeout = CheckTimeout(value);
    }

    /// <inheritdoc />
    public override int WriteTimeout
    {
        get => _writeTimeout;
        set => _writeTimeout = CheckTimeout(value);
    }

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException("a pipe has no length");

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException("a pipe has no position");
        set => throw new NotSupportedException("a pipe cannot seek");
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureCan(CanRead, "read from");
        if (buffer.IsEmpty)
            return 0;
        var want = Math.Min(buffer.Length, _chunkSize);
        if (_readTimeout != Timeout.Infinite)
            return _pipe.EndOfPipe ? 0 : await _pipe.ReadAsync(buffer[..want], ToTimeSpan(_readTimeout), cancellationToken).ConfigureAwait(false);
        if (_readAhead.IsEmpty)
            _readAhead = await _pipe.ReadAheadAsync(want, cancellationToken).ConfigureAwait(false);
        var n = Math.Min(_readAhead.Length, buffer.Length);
        _readAhead.Span[..n].CopyTo(buffer.Span);
        _readAhead = _readAhead[n..];
        return n;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureCan(CanWrite, "write to");
        for (var offset = 0; offset < buffer.Length; offset += _chunkSize)
        {
            var chunk = buffer.Slice(offset, Math.Min(_chunkSize, buffer.Length - offset));
            if (_writeTimeout == Timeout.Infinite)
                await _pipe.QueueWriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            else
                await _pipe.WriteAsync(chunk, ToTimeSpan(_writeTimeout), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Waits until the broker has answered every WRITE sent (see <see cref="FlushAsync(CancellationToken)"/>).</summary>
    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Waits until the broker has answered every WRITE sent; throws the first failure. Nothing to do on a reader.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        CanWrite ? _pipe.FlushAsync(cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a pipe cannot seek");

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("a pipe has no length");

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            // A stream's dispose flushes: WRITEs still in the window must reach the reader.
            if (_pipe.Mode == ZpipeMode.Write)
            {
                if (_leaveOpen)
                    await _pipe.FlushAsync().ConfigureAwait(false);
                else
                    await _pipe.CloseAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (!_leaveOpen)
                await _pipe.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    private void EnsureCan(bool can, string what)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!can)
            throw new NotSupportedException($"cannot {what} pipe '{_pipe.Name}': it is open for {(_pipe.Mode == ZpipeMode.Read ? "reading" : "writing")}");
    }

    private static int CheckTimeout(int value)
    {
        if (value <= 0 && value != Timeout.Infinite)
            throw new ArgumentOutOfRangeException(nameof(value), value, "a timeout is positive milliseconds or Timeout.Infinite");
        return value;
    }

    private static TimeSpan? ToTimeSpan(int milliseconds) => milliseconds == Timeout.Infinite ? null : TimeSpan.FromMilliseconds(milliseconds);
}
