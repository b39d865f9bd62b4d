using System;
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
/// file renamed into place with its mode and mtime. A destination that already has the same size
/// and digest is reported identical and not sent. Memory per transfer is one hash state and one
/// file handle whatever the size. Not thread-safe: the server calls it on its own thread.
/// </summary>
internal sealed class FileTransfers : IDisposable
{
    private const string PartSuffix = ".zpc-part";
    private readonly Dictionary<uint, Incoming> _open = new();
    private readonly long _window;
    private readonly int _maxOpen;
    private uint _nextHandle;

    /// <param name="window">
    /// Credit per transfer: the most bytes a sender may have unacknowledged. 8 MiB keeps a copy
    /// streaming when acknowledgements are slow to come back (a busy host, a long path); 1 MiB
    /// held zpc to a third of rsync's speed on a loaded machine.
    /// </param>
    /// <param name="maxOpen">Open transfers kept at once; the oldest is closed (its partial file stays) to make room.</param>
    public FileTransfers(long window = 8 * 1024 * 1024, int maxOpen = 64)
    {
        _window = window;
        _maxOpen = maxOpen;
    }

    public int Count => _open.Count;

    /// <summary>The temporary name a file is received under.</summary>
    public static string PartPath(string path) => Path.Combine(Path.GetDirectoryName(path) ?? ".", "." + Path.GetFileName(path) + PartSuffix);

    public FileOpenResult Open(string owner, string home, string path, long size, int mode, long mtimeMs, string digest)
    {
        if (path.Length == 0 || path.EndsWith('/'))
            throw new JobRequestException(400, "a file path is required");
        if (size < 0 || digest.Length != 64)
            throw new JobRequestException(400, "bad size or digest");
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(home, path));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            if (File.Exists(full) && new FileInfo(full).Length == size && HexDigest(full) == digest)
            {
                ApplyMetadata(full, mode, mtimeMs);
                return new FileOpenResult(0, Identical: true, size, 0);
            }
            var part = PartPath(full);
            // A new attempt at the same file (the sender was interrupted) replaces the old one.
            foreach (var stale in _open.Values.Where(t => t.PartPath == part).ToList())
                Drop(stale);
            var stream = new FileStream(part, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            if (stream.Length > size)
                stream.SetLength(0);
            var incoming = new Incoming(owner, full, part, stream, size, mode, mtimeMs, digest);
            // Resume: hash what an earlier attempt left, then append after it.
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

    /// <summary>Appends a chunk; returns the bytes written so far (the FILE-ACK offset).</summary>
    public long Write(string owner, uint handle, long offset, ReadOnlySpan<byte> data)
    {
        var incoming = Get(owner, handle);
        if (offset != incoming.Written)
            throw new JobRequestException(400, $"offset {offset} does not follow the {incoming.Written} bytes received");
        if (incoming.Written + data.Length > incoming.Size)
            throw new JobRequestException(400, "more bytes than the file's size");
        try
        {
            incoming.Stream.Write(data);
        }
        catch (IOException e)
        {
            Drop(incoming);
            throw new JobRequestException(507, $"cannot write {incoming.Path}: {e.Message}");
        }
        incoming.Hash.AppendData(data);
        incoming.Written += data.Length;
        return incoming.Written;
    }

    /// <summary>Verifies the digest and moves the file into place; 409 (and the partial file deleted) on a mismatch.</summary>
    public void Close(string owner, uint handle)
    {
        var incoming = Get(owner, handle);
        if (incoming.Written != incoming.Size)
            throw new JobRequestException(400, $"incomplete: {incoming.Written} of {incoming.Size} bytes");
        _open.Remove(handle);
        incoming.Stream.Flush(flushToDisk: true);
        incoming.Stream.Dispose();
        var digest = Convert.ToHexStringLower(incoming.Hash.GetHashAndReset());
        incoming.Hash.Dispose();
        if (digest != incoming.Digest)
        {
            File.Delete(incoming.PartPath);
            throw new JobRequestException(409, "digest mismatch");
        }
        File.Move(incoming.PartPath, incoming.Path, overwrite: true);
        ApplyMetadata(incoming.Path, incoming.Mode, incoming.MtimeMs);
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

    private static string HexDigest(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void HashPrefix(FileStream stream, IncrementalHash hash)
    {
        // In 1 MiB pieces, so resuming a large file costs no more memory than receiving it.
        var buffer = new byte[1024 * 1024];
        stream.Position = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
            hash.AppendData(buffer, 0, read);
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
        public IncrementalHash Hash { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }
}
