using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Zp.Benchmarks;

/// <summary>
/// The cryptography a 1 GiB copy cannot skip, alone on one core: CURVE's message box (libsodium's
/// crypto_box_easy_afternm, XSalsa20-Poly1305, what libzmq 4.3 calls for each message) sealed on
/// the sender's I/O thread and opened on the receiver's, and SHA-256 (IncrementalHash, OpenSSL
/// with SHA-NI here) on both sides. Each operation processes 1 GiB in FILE-CHUNK-sized pieces
/// (256 KiB); the sum is the CPU floor of a verified, encrypted copy.
/// </summary>
public partial class CryptoFloorBenchmarks
{
    private const int Chunk = 256 * 1024;
    private const int Chunks = 4096;
    // crypto_box_MACBYTES: the Poly1305 tag before the ciphertext.
    private const int MacBytes = 16;
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _nonce = new byte[24];
    private readonly byte[] _plain = new byte[Chunk];
    private readonly byte[] _sealed = new byte[Chunk + MacBytes];
    private readonly byte[] _opened = new byte[Chunk];

    [GlobalSetup]
    public void Setup()
    {
        if (sodium_init() < 0)
            throw new InvalidOperationException("libsodium failed to initialise");
        new Random(3).NextBytes(_plain);
        _key[0] = 1;
        // One sealed chunk to open again and again: opening authenticates, then decrypts.
        if (crypto_box_easy_afternm(_sealed, _plain, (ulong)_plain.Length, _nonce, _key) != 0)
            throw new InvalidOperationException("crypto_box_easy_afternm failed");
    }

    [Benchmark]
    public void CurveSeal_1GiB()
    {
        // One nonce throughout: the cost does not depend on it, and _sealed stays openable.
        for (var i = 0; i < Chunks; i++)
            crypto_box_easy_afternm(_sealed, _plain, (ulong)_plain.Length, _nonce, _key);
    }

    [Benchmark]
    public void CurveOpen_1GiB()
    {
        for (var i = 0; i < Chunks; i++)
        {
            if (crypto_box_open_easy_afternm(_opened, _sealed, (ulong)_sealed.Length, _nonce, _key) != 0)
                throw new InvalidOperationException("the sealed chunk did not authenticate");
        }
    }

    [Benchmark]
    public byte[] Sha256_1GiB()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < Chunks; i++)
            hash.AppendData(_plain);
        return hash.GetHashAndReset();
    }

    // libzmq's own dependency (libsodium23), so it is present wherever zpd runs.
    private const string Sodium = "libsodium.so.23";

    [LibraryImport(Sodium)]
    private static partial int sodium_init();

    [LibraryImport(Sodium)]
    private static partial int crypto_box_easy_afternm(byte[] c, byte[] m, ulong mlen, byte[] n, byte[] k);

    [LibraryImport(Sodium)]
    private static partial int crypto_box_open_easy_afternm(byte[] m, byte[] c, ulong clen, byte[] n, byte[] k);
}
