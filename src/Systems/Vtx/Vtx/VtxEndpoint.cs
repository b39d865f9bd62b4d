using System;

namespace Zproto.Vtx;

/// <summary>A <c>scheme://address</c> endpoint split into its parts.</summary>
/// <param name="Scheme">The scheme, which selects the driver (e.g. <c>udp</c>).</param>
/// <param name="Address">What follows <c>://</c>, interpreted by the driver.</param>
public readonly record struct VtxEndpoint(string Scheme, string Address)
{
    /// <summary>Splits <paramref name="endpoint"/>.</summary>
    /// <exception cref="VtxInvalidEndpointException">There is no <c>://</c>, or the scheme or address is empty.</exception>
    public static VtxEndpoint Parse(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        int separator = endpoint.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
            throw new VtxInvalidEndpointException(endpoint, "expected scheme://address");
        if (separator == 0)
            throw new VtxInvalidEndpointException(endpoint, "the scheme is empty");
        if (separator + 3 == endpoint.Length)
            throw new VtxInvalidEndpointException(endpoint, "the address is empty");
        return new VtxEndpoint(endpoint[..separator], endpoint[(separator + 3)..]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Scheme}://{Address}";
}
