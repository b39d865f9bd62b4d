using System.Collections.Generic;

namespace Zproto.Runtime.Servers;

/// <summary>
/// A client's decoded requests waiting for a state that takes them (zproto pipelining: a state that
/// waits for an internal event defers requests, which run in arrival order once it moves on), each
/// with the bytes it costs, so <see cref="InboundFlowControl"/> can bound mailboxes in bytes as well
/// as in messages.
/// </summary>
internal sealed class Mailbox<TMessage> where TMessage : class
{
    private readonly List<TMessage> _messages = new();
    private readonly List<int> _sizes = new();

    public int Count => _messages.Count;

    public TMessage this[int index] => _messages[index];

    /// <summary>The bytes entry <paramref name="index"/> was counted for, or -1 for a shed stand-in.</summary>
    public int SizeAt(int index) => _sizes[index];

    public void Add(TMessage message, int size)
    {
        _messages.Add(message);
        _sizes.Add(size);
    }

    public void RemoveAt(int index)
    {
        _messages.RemoveAt(index);
        _sizes.RemoveAt(index);
    }

    /// <summary>The sizes of every entry, for releasing them all.</summary>
    public IReadOnlyList<int> Sizes => _sizes;

    public void Clear()
    {
        _messages.Clear();
        _sizes.Clear();
    }
}
