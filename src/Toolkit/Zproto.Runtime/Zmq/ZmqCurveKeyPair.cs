namespace Zproto.Runtime.Zmq;

/// <summary>A CURVE long-term key pair, both keys as 40-character Z85 text.</summary>
/// <param name="PublicKey">The public key: give it to peers.</param>
/// <param name="SecretKey">The secret key: keep it out of logs and source control.</param>
public sealed record ZmqCurveKeyPair(string PublicKey, string SecretKey)
{
    /// <summary>Shows the public key only, so that logging a key pair does not leak the secret.</summary>
    public override string ToString() => $"ZmqCurveKeyPair {{ PublicKey = {PublicKey} }}";
}
