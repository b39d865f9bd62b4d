using System;

namespace Zp.Client;

/// <summary>
/// Receives what the server streams for jobs: output chunks, status replies, credit and request
/// errors. Called on the client's owner thread, so implementations must not block (hand the data
/// to a channel and return).
/// </summary>
public interface IZpStreamSink
{
    /// <summary>EXEC-STATUS-REPLY: RUNNING or QUEUED for a job just started, else the final exit code.</summary>
    void OnStatus(uint handle, ushort returncode);

    /// <summary>EXEC-CHUNK from the server: output on fd 1 or 2.</summary>
    void OnChunk(uint handle, uint fd, ReadOnlyMemory<byte> data);

    /// <summary>EXEC-CREDIT from the server: more stdin bytes the client may send.</summary>
    void OnCredit(uint handle, ulong credit);

    /// <summary>FILE-ACK: the receiver has <paramref name="offset"/> bytes and grants <paramref name="credit"/> more.</summary>
    void OnFileAck(uint handle, ulong offset, ulong credit);

    /// <summary>An ERROR answering a request that has no reply of its own (exec, follow, cancel).</summary>
    void OnError(ushort code, string reason);

    /// <summary>
    /// The session was re-opened after a loss and followed streams re-attached; file transfers in
    /// flight must open their file again to learn what the receiver has.
    /// </summary>
    void OnReopened();

    /// <summary>The session was lost for good (reconnection gave up).</summary>
    void OnLost(string reason);
}
