using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace Zproto.Vtx;

/// <summary>The <c>host:port</c> part of an IPv4 driver's endpoint (what follows <c>scheme://</c>).</summary>
internal static class VtxAddress
{
    /// <summary>Splits <c>host:port</c>; the host may be <c>*</c>.</summary>
    /// <exception cref="VtxInvalidEndpointException">No port, or a port outside 0–65535.</exception>
    public static (string Host, int Port) Split(string scheme, string address)
    {
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > IPEndPoint.MaxPort)
            throw new VtxInvalidEndpointException($"{scheme}://{address}", "expected host:port with a port from 0 to 65535");
        return (address[..colon], port);
    }

    /// <summary>An IPv4 literal as is, a name through DNS.</summary>
    /// <exception cref="VtxInvalidEndpointException">The name does not resolve to an IPv4 address.</exception>
    public static IPAddress Resolve(string scheme, string address, string host)
    {
        if (IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork)
            return ip;
        try
        {
            return Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new VtxInvalidEndpointException($"{scheme}://{address}", $"'{host}' has no IPv4 address");
        }
        catch (SocketException e)
        {
            throw new VtxInvalidEndpointException($"{scheme}://{address}", $"cannot resolve '{host}': {e.Message}");
        }
    }
}
