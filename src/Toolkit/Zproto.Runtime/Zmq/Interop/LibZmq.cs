using System;
using System.Runtime.InteropServices;

namespace Zproto.Runtime.Zmq.Interop;

/// <summary>
/// The libzmq 4.3 C API the runtime binds to, with source-generated marshalling. Names follow the C
/// API so each declaration can be checked against <c>zmq.h</c> at a glance.
/// </summary>
/// <remarks>
/// Every function that reports failure through errno is declared with <c>SetLastError</c>, so the
/// generated stub saves errno the moment the call returns; <see cref="LastErrno"/> reads it back.
/// Sockets and contexts are passed as <see cref="SafeHandle"/>s wherever a handle is live, so a
/// concurrent dispose cannot free the native object in the middle of a call. Call
/// <see cref="EnsureAvailable"/> before the first call: it loads the library and checks its version.
/// </remarks>
internal static unsafe partial class LibZmq
{
    /// <summary>The name every declaration binds to; the resolver in LibZmq.Loader.cs maps it to
    /// whichever candidate actually loaded.</summary>
    internal const string LibraryName = "libzmq.so.5";

    // Errors and version.

    [LibraryImport(LibraryName)]
    internal static partial int zmq_errno();

    [LibraryImport(LibraryName)]
    internal static partial byte* zmq_strerror(int errnum);

    [LibraryImport(LibraryName)]
    internal static partial void zmq_version(int* major, int* minor, int* patch);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int zmq_has(string capability);

    // Contexts.

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial nint zmq_ctx_new();

    /// <summary>Takes the raw pointer: it is only called from <see cref="ZmqContextHandle"/>'s release,
    /// when the SafeHandle can no longer be marshalled.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_ctx_term(nint context);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_ctx_shutdown(ZmqContextHandle context);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_ctx_set(ZmqContextHandle context, ZmqContextOption option, int value);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_ctx_get(ZmqContextHandle context, ZmqContextOption option);

    // Sockets.

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial nint zmq_socket(ZmqContextHandle context, int type);

    /// <summary>Takes the raw pointer: it is only called from <see cref="ZmqSocketHandle"/>'s release.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_close(nint socket);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int zmq_bind(ZmqSocketHandle socket, string endpoint);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int zmq_unbind(ZmqSocketHandle socket, string endpoint);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int zmq_connect(ZmqSocketHandle socket, string endpoint);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int zmq_disconnect(ZmqSocketHandle socket, string endpoint);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_setsockopt(ZmqSocketHandle socket, ZmqSocketOption option, void* value, nuint length);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_getsockopt(ZmqSocketHandle socket, ZmqSocketOption option, void* value, nuint* length);

    /// <summary>A null <paramref name="endpoint"/> stops monitoring.</summary>
    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int zmq_socket_monitor(ZmqSocketHandle socket, string? endpoint, ZmqMonitorEventType events);

    // Frames go out through zmq_send, which copies the buffer before returning. They come in through
    // zmq_msg_t (below): zmq_recv would truncate a frame to the caller's buffer.

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_send(ZmqSocketHandle socket, byte* buffer, nuint length, ZmqSendReceiveFlags flags);

    // Messages (send side): a frame encoded straight into libzmq's memory (ZmqOutgoingFrame), so
    // zmq_send's copy is not needed. init_size mallocs (ENOMEM), copy shares the content by reference
    // count, send takes the message on success and leaves it ours on failure.

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_msg_init_size(ZmqMsg* message, nuint size);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_msg_copy(ZmqMsg* destination, ZmqMsg* source);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_msg_send(ZmqMsg* message, ZmqSocketHandle socket, ZmqSendReceiveFlags flags);

    // Messages (receive side). A ZmqMsg that went through zmq_msg_init must reach zmq_msg_close on every path.
    // These run once or more per received frame, so they cost as little as a call can: init, data, size
    // and more only read or clear the struct (no lock, no blocking, no callback), which is what
    // SuppressGCTransition requires; init, close and move report nothing the runtime reads (it discards
    // their results), so they skip saving errno.

    [LibraryImport(LibraryName)]
    [SuppressGCTransition]
    internal static partial int zmq_msg_init(ZmqMsg* message);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_msg_recv(ZmqMsg* message, ZmqSocketHandle socket, ZmqSendReceiveFlags flags);

    /// <summary>Releases the content, freeing it when this was the last reference: it may take the
    /// allocator's lock, so it keeps the GC transition.</summary>
    [LibraryImport(LibraryName)]
    internal static partial int zmq_msg_close(ZmqMsg* message);

    /// <summary>Moves <paramref name="source"/>'s content to <paramref name="destination"/> (which must be
    /// initialised; its old content is released); <paramref name="source"/> is left an empty message.</summary>
    [LibraryImport(LibraryName)]
    internal static partial int zmq_msg_move(ZmqMsg* destination, ZmqMsg* source);

    [LibraryImport(LibraryName)]
    [SuppressGCTransition]
    internal static partial byte* zmq_msg_data(ZmqMsg* message);

    [LibraryImport(LibraryName)]
    [SuppressGCTransition]
    internal static partial nuint zmq_msg_size(ZmqMsg* message);

    [LibraryImport(LibraryName)]
    [SuppressGCTransition]
    internal static partial int zmq_msg_more(ZmqMsg* message);

    /// <summary>A metadata property of a received message (e.g. <c>User-Id</c>, set by the ZAP handler),
    /// or null with EINVAL when it has none. libzmq owns the string; it lives until the message is closed.</summary>
    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial byte* zmq_msg_gets(ZmqMsg* message, byte* property);

    // Polling. The item layout depends on the platform's fd type; see ZmqPollItem.

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_poll(void* items, int count, CLong timeoutMilliseconds);

    // CURVE and Z85. Key buffers are 41 bytes: 40 Z85 characters and a terminating NUL.

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_curve_keypair(byte* z85PublicKey, byte* z85SecretKey);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int zmq_curve_public(byte* z85PublicKey, byte* z85SecretKey);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial byte* zmq_z85_encode(byte* destination, byte* data, nuint size);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial byte* zmq_z85_decode(byte* destination, byte* text);

    /// <summary>
    /// The errno of the last failed call. On Unix the generated stub captured it right after the
    /// call, so nothing the runtime did since (a GC transition, another P/Invoke) can have replaced
    /// it. On Windows libzmq's errno lives in its own C runtime, which only zmq_errno can read.
    /// </summary>
    internal static int LastErrno() => OperatingSystem.IsWindows() ? zmq_errno() : Marshal.GetLastPInvokeError();

    /// <summary>zmq_strerror's text for <paramref name="errno"/>; libzmq owns the returned string.</summary>
    internal static string StrError(int errno) => Marshal.PtrToStringUTF8((nint)zmq_strerror(errno)) ?? $"errno {errno}";
}
