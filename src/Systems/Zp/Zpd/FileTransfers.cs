using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace Zpd;

/// <summary>What a FILE-OPEN gets: identical (nothing to send), or the offset to resume from.</summary>
internal sealed record FileOpenResult(uint Handle, bool Identical, long Offset, long Credit);

/// <summary>
/// Files being received from zpc. Each is written to a temporary name next to its destination
/// (<c>.NAME.zpc-part</c>), so an interrupted copy leaves the partial file for the next attempt to
/// resume; bytes must arrive in order; at close the SHA-256 of the whole file is checked and the
/// file renamed into place with its mode and mtime. The sender gives the digest with the offer or,
/// having hashed while sending, with the close; without a digest in the offer a destination of the
/// same size and mtime is identical (rsync's quick check), with one the same size and digest. Memory
/// per transfer is one hash state and one file handle whatever the size. Not thread-safe: the server
/// calls it on its own thread.
/// </summary>
internal sealed class FileTransfers : IDisposable
{
    private const string PartSuffix = ".zpc-part";
    private readonly Dictionary<uint, Incoming> _open = new();
    private readonly long _window;
    private readonly int _maxOpen;
    private readonly bool _flushToDisk;
    private uint _nextHandle;

    /// <param name="window">
    /// Credit per transfer: the most bytes a sender may have unacknowledged. 8 MiB keeps a copy
    /// streaming when acknowledgements are slow to come back (a busy host, a long path); 1 MiB
    /// held zpc to a third of rsync's speed on a loaded machine.
    /// </param>
    /// <param name="maxOpen">Open transfers kept at once; the oldest is closed (its partial file stays) to make room.</param>
    /// <param name="flushToDisk">
    /// fsync each file before renaming it into place, so a copy reported done survives a crash of
    /// the host. Off by default, as rsync and scp: the rename is atomic either way (a reader sees
    /// the old file or the whole new one), and an fsync per file cost more than the copy itself for
    /// small files.
    /// </param>
    public FileTransfers(long window = 8 * 1024 * 1024, int maxOpen = 64, bool flushToDisk = false)
    {
        _window = window;
        _maxOpen = maxOpen;
        _flushToDisk = flushToDisk;
    }

    public int Count => _open.Count;

    /// <summary>The temporary name a file is received under.</summary>
    public static string PartPath(string path) => Path.Combine(Path.GetDirectoryName(path) ?? ".", "." + Path.GetFileName(path) + PartSuffix);

    public FileOpenResult Open(string owner, string home, string path, long size, int mode, long mtimeMs, string digest)
    {
        if (size < 0 || digest.Length is not (0 or 64))
            throw new JobRequestException(400, "bad size or digest");
        var full = Destination(home, path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            if (IsIdentical(full, size, mtimeMs, digest))
            {
                ApplyMetadata(full, mode, mtimeMs);
                return new FileOpenResult(0, Identical: true, size, 0);
            }
            var part = PartPath(full);
            // A new attempt at the same file (the sender was interrupted) replaces the old one.
            foreach (var stale in _open.Values.Where(t => t.PartPath == part).ToList())
                Drop(stale);
            // Unbuffered: chunks arrive whole (up to 256 KiB), and a failed write then fails the
            // chunk that made it rather than a later flush.
            var stream = new FileStream(part, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            if (stream.Length > size)
                stream.SetLength(0);
            var incoming = new Incoming(owner, full, part, stream, size, mode, mtimeMs, digest);
            // Resume: hash what an earlier attempt left, then append after it.
            if (stream.Length > 0)
                HashPrefix(stream, incoming.Hash);
            incoming.Written = stream.Length;
            if (_open.Count >= _maxOpen)
                Drop(_open.Values.OrderBy(t => t.Handle).First());
            incoming.Handle = NextHandle();
            _open.Add(incoming.Handle, incoming);
            return new FileOpenResult(incoming.Handle, Identical: false, incoming.Written, _window);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JobRequestException(403, $"cannot write {full}: {e.Message}");
        }
    }

    /// <summary>
    /// A small file whole (FILE-PUT): true when the destination was identical (same size and
    /// mtime; only mode and mtime are set). Otherwise the data is checked against the digest
    /// before anything is written (409 on a mismatch), written under the temporary name and
    /// renamed into place, as a streamed copy ends.
    /// </summary>
    public bool Put(string home, string path, int mode, long mtimeMs, string digest, ReadOnlySpan<byte> data)
    {
        if (digest.Length != 64)
            throw new JobRequestException(400, "bad digest");
        var full = Destination(home, path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            if (IsIdentical(full, data.Length, mtimeMs, digest: ""))
            {
                ApplyMetadata(full, mode, mtimeMs);
                return true;
            }
            if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(data)), digest, StringComparison.OrdinalIgnoreCase))
                throw new JobRequestException(409, "digest mismatch");
            var part = PartPath(full);
            // A streamed attempt at the same file, interrupted earlier, is superseded.
            foreach (var stale in _open.Values.Where(t => t.PartPath == part).ToList())
                Drop(stale);
            using (var stream = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                try
                {
                    stream.Write(data);
                    if (_flushToDisk)
                        stream.Flush(flushToDisk: true);
                }
                catch (IOException e)
                {
                    // As a streamed copy's close reports a failed write: 507, no partial file left.
                    stream.Dispose();
                    File.Delete(part);
                    throw new JobRequestException(507, $"cannot write {full}: {e.Message}");
                }
            }
            File.Move(part, full, overwrite: true);
            ApplyMetadata(full, mode, mtimeMs);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JobRequestException(403, $"cannot write {full}: {e.Message}");
        }
    }

    /// <summary>Appends a chunk; returns the bytes written so far (the FILE-ACK offset).</summary>
    public long Write(string owner, uint handle, long offset, ReadOnlySpan<byte> data)
    {
        var incoming = Get(owner, handle);
        if (offset != incoming.Written)
            throw new JobRequestException(400, $"offset {offset} does not follow the {incoming.Written} bytes received");
        if (incoming.Written + data.Length > incoming.Size)
            throw new JobRequestException(400, "more bytes than the file's size");
        incoming.Written += data.Length;
        // After a failed write the rest of the file is acknowledged unwritten and the failure is
        // FILE-CLOSE's answer: an ERROR now could not be told from the reply to another file's
        // open or close the sender has in flight.
        if (incoming.WriteFailure is not null)
            return incoming.Written;
        try
        {
            incoming.Stream.Write(data);
            incoming.Hash.AppendData(data);
        }
        catch (IOException e)
        {
            incoming.WriteFailure = $"cannot write {incoming.Path}: {e.Message}";
            incoming.Stream.Dispose();
        }
        return incoming.Written;
    }

    /// <summary>
    /// Verifies the digest (the offer's, else <paramref name="digest"/>) and moves the file into
    /// place; 409 (and the partial file deleted) on a mismatch, 507 when a write had failed.
    /// </summary>
    public void Close(string owner, uint handle, string digest = "")
    {
        var incoming = Get(owner, handle);
        if (incoming.Written != incoming.Size)
            throw new JobRequestException(400, $"incomplete: {incoming.Written} of {incoming.Size} bytes");
        var expected = incoming.Digest.Length > 0 ? incoming.Digest : digest;
        if (expected.Length != 64)
            throw new JobRequestException(400, "the digest is missing from both the offer and the close");
        _open.Remove(handle);
        try
        {
            if (_flushToDisk && incoming.WriteFailure is null)
                incoming.Stream.Flush(flushToDisk: true);
            incoming.Stream.Dispose();
        }
        catch (IOException e)
        {
            incoming.WriteFailure = $"cannot write {incoming.Path}: {e.Message}";
        }
        if (incoming.WriteFailure is { } failure)
        {
            incoming.Hash.Dispose();
            File.Delete(incoming.PartPath);
            throw new JobRequestException(507, failure);
        }
        var received = Convert.ToHexStringLower(incoming.Hash.GetHashAndReset());
        incoming.Hash.Dispose();
        if (!string.Equals(received, expected, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(incoming.PartPath);
            throw new JobRequestException(409, "digest mismatch");
        }
        File.Move(incoming.PartPath, incoming.Path, overwrite: true);
        ApplyMetadata(incoming.Path, incoming.Mode, incoming.MtimeMs);
    }

    /// <summary>The absolute destination of <paramref name="path"/> (relative to <paramref name="home"/>).</summary>
    private static string Destination(string home, string path)
    {
        if (path.Length == 0 || path.EndsWith('/'))
            throw new JobRequestException(400, "a file path is required");
        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(home, path));
    }

    private Incoming Get(string owner, uint handle) =>
        _open.TryGetValue(handle, out var incoming) && incoming.Owner == owner ? incoming : throw new JobRequestException(404, "no such transfer");

    private void Drop(Incoming incoming)
    {
        _open.Remove(incoming.Handle);
        incoming.Stream.Dispose();
        incoming.Hash.Dispose();
    }

    private static void ApplyMetadata(string path, int mode, long mtimeMs)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, (UnixFileMode)(mode & 0xFFF));
        File.SetLastWriteTimeUtc(path, DateTimeOffset.FromUnixTimeMilliseconds(mtimeMs).UtcDateTime);
    }

    /// <summary>The offer's digest when it has one, else rsync's quick check: same size and mtime.</summary>
    private static bool IsIdentical(string path, long size, long mtimeMs, string digest)
    {
        var existing = new FileInfo(path);
        if (!existing.Exists || existing.Length != size)
            return false;
        if (digest.Length == 0)
            return new DateTimeOffset(existing.LastWriteTimeUtc).ToUnixTimeMilliseconds() == mtimeMs;
        using var stream = existing.OpenRead();
        return Convert.ToHexStringLower(SHA256.HashData(stream)) == digest;
    }

    private static void HashPrefix(FileStream stream, IncrementalHash hash)
    {
        // In 1 MiB pieces, so resuming a large file costs no more memory than receiving it.
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            stream.Position = 0;
            int read;
            while ((read = stream.Read(buffer)) > 0)
                hash.AppendData(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private uint NextHandle()
    {
        do
            _nextHandle = _nextHandle >= 0x7FFF_FFFF ? 1 : _nextHandle + 1;
        while (_open.ContainsKey(_nextHandle));
        return _nextHandle;
    }

    public void Dispose()
    {
        foreach (var incoming in _open.Values.ToList())
            Drop(incoming);
    }

    private sealed class Incoming(string owner, string path, string partPath, FileStream stream, long size, int mode, long mtimeMs, string digest)
    {
        public uint Handle { get; set; }
        public string Owner { get; } = owner;
        public string Path { get; } = path;
        public string PartPath { get; } = partPath;
        public FileStream Stream { get; } = stream;
        public long Size { get; } = size;
        public int Mode { get; } = mode;
        public long MtimeMs { get; } = mtimeMs;
        public string Digest { get; } = digest;
        public long Written { get; set; }
        /// <summary>Why a write failed; the transfer then only counts bytes until its close reports it.</summary>
        public string? WriteFailure { get; set; }
        public IncrementalHash Hash { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }
}
