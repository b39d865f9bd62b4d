using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using Remctl.Protocol;

namespace Remctl;

/// <summary>
/// What a handler sees of one command: its arguments (argument 0 is the subcommand), the
/// environment remctld sent, and the output streams it writes to.
/// </summary>
public sealed class RemctlContext
{
    private readonly RemctlOutput _output;
    private readonly RemctlOutputStream _out;
    private readonly RemctlOutputStream _err;

    internal RemctlContext(RemctlMsg.Request request, RemctlEnvironment environment, RemctlOutput output, CancellationToken aborted)
    {
        Request = request;
        Environment = environment;
        _output = output;
        _out = new RemctlOutputStream(output, 1);
        _err = new RemctlOutputStream(output, 2);
        Aborted = aborted;
    }

    /// <summary>The decoded request, exactly as it arrived.</summary>
    public RemctlMsg.Request Request { get; }

    /// <summary>All arguments as raw bytes, the subcommand first. Binary-safe: NUL and non-UTF-8 bytes
    /// arrive as sent.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Arguments => Request.Arguments;

    /// <summary>The subcommand (argument 0) as text, or null for a command with no subcommand.</summary>
    public string? Subcommand => Arguments.Count > 0 ? GetString(0) : null;

    /// <summary>The arguments after the subcommand, decoded as UTF-8 (invalid bytes become U+FFFD;
    /// use <see cref="Arguments"/> for the exact bytes).</summary>
    public IReadOnlyList<string> Parameters
    {
        get
        {
            var count = Math.Max(0, Arguments.Count - 1);
            var values = new string[count];
            for (var i = 0; i < count; i++)
                values[i] = GetString(i + 1);
            return values;
        }
    }

    /// <summary>The environment: <see cref="RemctlEnvironment.User"/>, <see cref="RemctlEnvironment.Address"/>, ...</summary>
    public RemctlEnvironment Environment { get; }

    /// <summary>The authenticated principal (<c>REMOTE_USER</c>), or null.</summary>
    public string? User => Environment.User;

    /// <summary>Stream 1, stdout.</summary>
    public RemctlOutputStream Out => _out;

    /// <summary>Stream 2, stderr.</summary>
    public RemctlOutputStream Err => _err;

    /// <summary>Octets written so far, over all streams.</summary>
    public long OutputLength => _output.Length;

    /// <summary>Signalled when the server stops while the handler is still running.</summary>
    public CancellationToken Aborted { get; }

    /// <summary>Argument <paramref name="index"/> decoded as UTF-8 (invalid bytes become U+FFFD).</summary>
    public string GetString(int index) => Encoding.UTF8.GetString(Arguments[index].Span);

    /// <summary>Any numbered stream; the stock remctl client shows only 1 and 2 and sends the rest to
    /// stderr with a warning.</summary>
    public RemctlOutputStream Stream(long number) => number switch
    {
        1 => _out,
        2 => _err,
        _ => new RemctlOutputStream(_output, number),
    };

    /// <summary>For pipe-like producers: appends to the previous chunk when it is on the same
    /// stream, so reads of arbitrary size do not each become a triple.</summary>
    internal void Append(long stream, ReadOnlySpan<byte> data) => _output.Append(stream, data);
}
