using System;
using System.Collections.Generic;
using System.IO;
using Remctl.Protocol;

namespace Remctl;

/// <summary>A command's outcome as the backend replied it: output chunks in order, then a return
/// code or an error code.</summary>
public sealed class RemctlResult
{
    /// <summary>Wraps a decoded reply.</summary>
    public RemctlResult(RemctlMsg.Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        Reply = reply;
    }

    /// <summary>The decoded reply.</summary>
    public RemctlMsg.Reply Reply { get; }

    /// <summary>The output chunks, in the order the handler wrote them.</summary>
    public IReadOnlyList<RemctlMsg.Reply.OutputItem> Output => Reply.Output;

    /// <summary>The <c>RETURNCODE</c>, or null when the backend sent an error.</summary>
    public long? ReturnCode => Reply.Status is RemctlMsg.Reply.ReturnCode r ? r.Code : null;

    /// <summary>The <c>ERRORCODE</c>, or null when the command ran to a return code.</summary>
    public long? ErrorCode => Reply.Status is RemctlMsg.Reply.ErrorCode e ? e.Code : null;

    /// <summary>The standard remctl text of <see cref="ErrorCode"/>, or null.</summary>
    public string? ErrorMessage => ErrorCode is { } code ? RemctlErrors.Message(code) : null;

    /// <summary>What the stock remctl client exits with: the return code's low 8 bits (256 → 0, like
    /// a Unix exit status), or 255 after an error.</summary>
    public int ExitStatus => ReturnCode is { } code ? (int)(code & 0xFF) : 255;

    /// <summary>All chunks of stream <paramref name="number"/> joined in order.</summary>
    public byte[] GetStream(long number)
    {
        using var joined = new MemoryStream();
        foreach (var item in Output)
        {
            if (item.Stream == number)
                joined.Write(item.Data.Span);
        }
        return joined.ToArray();
    }

    /// <summary>Stream 1 (stdout), joined.</summary>
    public byte[] Stdout => GetStream(1);

    /// <summary>Stream 2 (stderr), joined.</summary>
    public byte[] Stderr => GetStream(2);
}
