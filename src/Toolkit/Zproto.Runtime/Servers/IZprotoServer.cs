using System;
using System.Collections.Generic;

namespace Zproto.Runtime.Servers;

/// <summary>What hosting needs of any generated server, whatever its protocol.</summary>
public interface IZprotoServer : IAsyncDisposable, IDisposable
{
    /// <summary>The server's name (its model class name).</summary>
    string Name { get; }

    /// <summary>The settings; change them before <see cref="Start"/>.</summary>
    ServerOptions Options { get; }

    /// <summary>Endpoints bound, with wildcard ports resolved.</summary>
    IReadOnlyList<string> Endpoints { get; }

    /// <summary>Binds the configured endpoints and starts the owner thread.</summary>
    void Start();
}
