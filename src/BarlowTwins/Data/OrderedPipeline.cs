using System.Runtime.ExceptionServices;

namespace BarlowTwins.Data;

/// <summary>
/// Builds items start … end−1 on worker threads and yields them in index order. Workers claim
/// indices in increasing order and each needs one of <c>depth</c> slots, released when the
/// consumer takes the item, so at most <c>depth</c> items are built or waiting at any time (plus
/// the one the consumer holds). A build that throws rethrows on the consumer's thread at that
/// item. Leaving the enumeration early stops the workers and disposes every item not yet taken.
/// </summary>
internal static class OrderedPipeline
{
    /// <summary>The items in order; <paramref name="workers"/> = 0 builds them on the caller's thread.</summary>
    public static IEnumerable<T> Run<T>(int start, int end, Func<int, T> build, int workers, int depth)
    {
        if (workers == 0)
        {
            for (int index = start; index < end; index++) yield return build(index);
            yield break;
        }
        using var pipeline = new Pipeline<T>(start, end, build, workers, depth);
        for (int index = start; index < end; index++) yield return pipeline.Take(index);
    }

    private sealed class Pipeline<T> : IDisposable
    {
        private readonly object gate = new();
        private readonly Dictionary<int, (T? Item, ExceptionDispatchInfo? Error)> built = [];
        private readonly SemaphoreSlim slots;
        private readonly CancellationTokenSource stop = new();
        private readonly Func<int, T> build;
        private readonly Thread[] threads;
        private readonly int end;
        private int next;
        private bool disposed;

        public Pipeline(int start, int end, Func<int, T> build, int workers, int depth)
        {
            (next, this.end, this.build) = (start, end, build);
            slots = new SemaphoreSlim(depth, depth);
            threads = [.. Enumerable.Range(0, Math.Min(workers, Math.Max(1, end - start)))
                .Select(i => new Thread(Work) { IsBackground = true, Name = $"batch-loader-{i}" })];
            foreach (var thread in threads) thread.Start();
        }

        /// <summary>Waits for item <paramref name="index"/>, frees its slot, and returns it (or rethrows its build's exception).</summary>
        public T Take(int index)
        {
            (T? Item, ExceptionDispatchInfo? Error) result;
            lock (gate)
                while (!built.Remove(index, out result)) Monitor.Wait(gate);
            slots.Release();
            result.Error?.Throw();
            return result.Item!;
        }

        private void Work()
        {
            while (true)
            {
                try
                {
                    slots.Wait(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                int index = Interlocked.Increment(ref next) - 1;
                if (index >= end || stop.IsCancellationRequested) return;
                (T?, ExceptionDispatchInfo?) result;
                try
                {
                    result = (build(index), null);
                }
                catch (Exception error)
                {
                    result = (default, ExceptionDispatchInfo.Capture(error));
                }
                lock (gate)
                {
                    if (disposed)
                    {
                        DisposeItem(result.Item1);
                        return;
                    }
                    built[index] = result;
                    Monitor.PulseAll(gate);
                }
            }
        }

        public void Dispose()
        {
            List<T?> leftovers;
            lock (gate)
            {
                disposed = true;
                leftovers = [.. built.Values.Select(result => result.Item)];
                built.Clear();
            }
            stop.Cancel();
            foreach (var thread in threads) thread.Join();
            foreach (var item in leftovers) DisposeItem(item);
            stop.Dispose();
            slots.Dispose();
        }

        private static void DisposeItem(T? item) => (item as IDisposable)?.Dispose();
    }
}
