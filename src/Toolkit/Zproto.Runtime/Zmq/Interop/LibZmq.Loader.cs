using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace Zproto.Runtime.Zmq.Interop;

internal static unsafe partial class LibZmq
{
    /// <summary>The oldest libzmq the runtime supports: 4.3 brought ZMTP heartbeats as options,
    /// ZMQ_ROUTING_ID, handshake monitor events and the hardened Z85 decoder.</summary>
    internal static readonly Version MinimumVersion = new(4, 3);

    /// <summary>What to tell a user who does not have libzmq.</summary>
    internal const string InstallCommand = "apt-get install -y libzmq5";

    /// <summary>Debian's runtime package ships only the versioned name; the others cover a
    /// development install and the platform-specific names NativeLibrary derives from "libzmq".</summary>
    private static readonly string[] s_candidates = [LibraryName, "libzmq.so", "libzmq"];

    private static readonly Lock s_gate = new();
    private static nint s_library;
    private static volatile bool s_available;

    /// <summary>
    /// Loads libzmq and checks its version once; every public entry point calls this before its first
    /// native call, so a missing or old library fails there with <see cref="ZmqNotFoundException"/>
    /// instead of a bare <see cref="DllNotFoundException"/> from deep inside a call. A failure is not
    /// cached: the next call tries again.
    /// </summary>
    internal static void EnsureAvailable()
    {
        if (s_available)
        {
            return;
        }

        lock (s_gate)
        {
            if (s_available)
            {
                return;
            }

            if (s_library == 0)
            {
                s_library = Load(s_candidates);
                NativeLibrary.SetDllImportResolver(typeof(LibZmq).Assembly, Resolve);
            }

            CheckVersion(ReadVersion());
            s_available = true;
        }
    }

    /// <summary>Loads the first candidate that exists, or throws with the install command.</summary>
    internal static nint Load(IReadOnlyList<string> candidates)
    {
        foreach (string candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, typeof(LibZmq).Assembly, searchPath: null, out nint library))
            {
                return library;
            }
        }

        throw new ZmqNotFoundException(
            $"libzmq could not be loaded (tried {string.Join(", ", candidates)}). "
            + $"Zproto.Net needs libzmq >= {MinimumVersion}; install it with: {InstallCommand}");
    }

    /// <summary>Throws if <paramref name="version"/> is older than <see cref="MinimumVersion"/>.</summary>
    internal static void CheckVersion(Version version)
    {
        if (version < MinimumVersion)
        {
            throw new ZmqNotFoundException(
                $"libzmq {version} is too old: Zproto.Net needs libzmq >= {MinimumVersion}; "
                + $"install a current one with: {InstallCommand}");
        }
    }

    /// <summary>zmq_version as a <see cref="Version"/>; callers must have loaded the library.</summary>
    internal static Version ReadVersion()
    {
        int major, minor, patch;
        zmq_version(&major, &minor, &patch);
        return new Version(major, minor, patch);
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibraryName ? s_library : 0;
}
