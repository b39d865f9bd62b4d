using System;
using System.Threading;

namespace Zproto.Runtime.Zmq;

/// <summary>Converts <see cref="TimeSpan"/> timeouts to the <c>int</c> milliseconds libzmq takes.</summary>
internal static class ZmqMilliseconds
{
    /// <summary>
    /// <see cref="Timeout.InfiniteTimeSpan"/> becomes -1. A fraction of a millisecond rounds up,
    /// because rounding a small positive timeout down to 0 would turn "wait briefly" into
    /// "never wait".
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative (other than infinite) or over <see cref="int.MaxValue"/> ms.</exception>
    internal static int From(TimeSpan value, string paramName)
    {
        if (value == Timeout.InfiniteTimeSpan)
        {
            return -1;
        }

        double milliseconds = Math.Ceiling(value.TotalMilliseconds);
        if (milliseconds < 0 || milliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                paramName, value, $"Expected Timeout.InfiniteTimeSpan or 0 to {int.MaxValue} ms.");
        }

        return (int)milliseconds;
    }
}
