using System;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>A logger that keeps every line at <paramref name="minimum"/> or above, for tests that assert what an engine logged.</summary>
internal sealed class ListLogger<T>(LogLevel minimum = LogLevel.Trace) : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Text)> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
            Lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
