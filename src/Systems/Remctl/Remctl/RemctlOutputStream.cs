using System;
using System.Text;

namespace Remctl;

/// <summary>
/// One numbered output stream of a command (1 stdout, 2 stderr, or any other number). Each
/// <c>Write</c> becomes one OUTPUT triple of the reply, in the order written across all streams.
/// Safe to use from several threads.
/// </summary>
public sealed class RemctlOutputStream
{
    private readonly RemctlOutput _output;

    internal RemctlOutputStream(RemctlOutput output, long number)
    {
        _output = output;
        Number = number;
    }

    /// <summary>The stream number sent in the triple.</summary>
    public long Number { get; }

    /// <summary>Writes raw bytes as one chunk (copied; an empty write sends nothing).</summary>
    /// <exception cref="InvalidOperationException">The handler has already completed.</exception>
    public void Write(ReadOnlySpan<byte> data) => _output.Write(Number, data);

    /// <summary>Writes <paramref name="text"/> as one UTF-8 chunk.</summary>
    public void Write(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _output.Write(Number, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Writes <paramref name="text"/> and "\n" as one UTF-8 chunk.</summary>
    public void WriteLine(string text = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(text + "\n");
    }
}
