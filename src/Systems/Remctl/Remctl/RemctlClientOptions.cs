using System;
using System.Collections.Generic;
using Remctl.Protocol;
using Zproto.Runtime.Zmq;

namespace Remctl;

/// <summary>Settings of a <see cref="RemctlClient"/>: what remctld's side of the ZeroMQ leg needs.</summary>
public sealed record RemctlClientOptions
{
    /// <summary>How long to wait for each attempt's reply (remctld's backend timeout; 60 s by default).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times to try again after a timeout, each on a new REQ socket (lazy pirate).
    /// 0 sends once.</summary>
    public int Retries { get; init; }

    /// <summary>How request tags are spelled (long by default; replies are accepted in either form).</summary>
    public RemctlMsg.TagStyle RequestTags { get; init; } = RemctlMsg.TagStyle.Long;

    /// <summary><c>REMOTE_USER</c>: the principal remctld authenticated. Defaults to the current user name.</summary>
    public string User { get; init; } = Environment.UserName;

    /// <summary><c>REMOTE_ADDR</c>: the remctl client's address.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary><c>REMOTE_HOST</c>: the client's reverse-DNS name; null leaves it out, as remctld does
    /// when resolution fails.</summary>
    public string? Host { get; init; }

    /// <summary>More variables, sent after the standard ones (e.g. <c>REMOTE_EXPIRES</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraEnvironment { get; init; } = [];

    /// <summary>The ZeroMQ context to connect in; null creates one the client owns. Share one with
    /// the server to reach <c>inproc://</c> endpoints.</summary>
    public ZmqContext? Context { get; init; }
}
