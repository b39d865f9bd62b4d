using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Remctl.Tests;

/// <summary>
/// Runs blocking clients on dedicated threads. Twenty clients parked in blocking receives on pool
/// threads would starve the 2-core machine's thread pool, which the server's handlers also need,
/// and the test would measure the pool's growth rate instead of the server.
/// </summary>
internal static class Threads
{
    public static T[] Run<T>(int count, Func<int, T> body)
    {
        var results = new T[count];
        var failures = new List<Exception>();
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            try
            {
                results[i] = body(i);
            }
            catch (Exception e)
            {
                lock (failures)
                    failures.Add(e);
            }
        }) { IsBackground = true, Name = $"test-client-{i}" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failures.Count > 0)
            throw new AggregateException(failures);
        return results;
    }
}
