namespace Zproto.Runtime.Servers;

/// <summary>
/// The network side of a server whose peers are datagram addresses instead of a ROUTER's routing ids
/// (the VTX udp driver's NOM-1, for one). The transport owns its sockets and reads them itself; it hands
/// each datagram to the server's <c>ReceiveDatagram</c> with the sender's key, and the engine calls
/// <see cref="Send"/> for every message an action sends. Both happen on the owner thread of the loop
/// the server runs on (<c>StartOnDatagrams</c>), so a transport needs no locks.
/// </summary>
/// <typeparam name="TClient">The server's client type: a transport may keep a peer's address in the
/// generated <c>Client</c>'s partial part rather than look it up by key on every send.</typeparam>
public interface IDatagramTransport<in TClient>
{
    /// <summary>Sends one encoded message, a whole datagram, to <paramref name="client"/>'s peer.
    /// A failure is the transport's to report (for instance by raising an event on the client); it must not throw.</summary>
    void Send(TClient client, System.ReadOnlySpan<byte> datagram);
}
