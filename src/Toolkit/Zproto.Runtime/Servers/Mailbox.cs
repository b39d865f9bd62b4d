using System.Collections.Generic;

namespace Zproto.Runtime.Servers;

/// <summary>
/// A client's decoded requests waiting for a state that takes them (zproto pipelining: a state that
/// waits for an internal event defers requests, which run in arrival order once it moves on).
/// Bounded by <see cref="ServerOptions.MailboxLimit"/>; the server decides what to drop.
/// </summary>
internal sealed class Mailbox<TMessage> where TMessage : class
{
    private readonly List<TMessage> _messages = new();

    public int Count => _messages.Count;

    public TMessage this[int index] => _messages[index];

    public void Add(TMessage message) => _messages.Add(message);

    public void RemoveAt(int index) => _messages.RemoveAt(index);

    public void Clear() => _messages.Clear();
}
