using System;
using System.Collections.Generic;
using System.Text;

namespace Zccp;

/// <summary>A DELIVER from the broker: a notification someone published, or a DIRECT message to this client.</summary>
/// <param name="Sender">The publisher's or requester's HELLO identifier (empty for the broker's own answers).</param>
/// <param name="Address">The PUBLISH address, or this client's identifier for a DIRECT.</param>
/// <param name="Headers">The sender's headers (e.g. <c>request-id</c>, <c>reply-to</c>, <c>error</c>).</param>
/// <param name="Content">Every content frame.</param>
public sealed record Delivery(string Sender, string Address, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<ReadOnlyMemory<byte>> Content)
{
    /// <summary>The first content frame as UTF-8 text (empty when there is none), as zccp_sh prints it.</summary>
    public string Text => Content.Count == 0 ? "" : Encoding.UTF8.GetString(Content[0].Span);
}
