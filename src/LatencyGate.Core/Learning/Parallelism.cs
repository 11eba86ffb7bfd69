namespace LatencyGate.Learning;

/// <summary>
/// How many threads the engine's kernels may use. Work is always cut into the same fixed blocks
/// and every sum runs in the same order, so the limit changes speed, never results; tests use
/// <see cref="Limit"/> to prove that.
/// </summary>
internal static class Parallelism
{
    private static readonly AsyncLocal<int?> Override = new();

    /// <summary>The degree of parallelism in force on this logical call path (default: all cores).</summary>
    public static int MaxDegree => Override.Value ?? Environment.ProcessorCount;

    public static ParallelOptions Options => new() { MaxDegreeOfParallelism = MaxDegree };

    /// <summary>Limits the engine to <paramref name="threads"/> threads until the scope is disposed.</summary>
    public static IDisposable Limit(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        var previous = Override.Value;
        Override.Value = threads;
        return new Scope(previous);
    }

    /// <summary>Runs <paramref name="body"/> for blocks 0..count-1, in parallel when worth it.</summary>
    public static void ForBlocks(int count, long workPerBlock, Action<int> body)
    {
        // Below ~64k flops per block the fork/join overhead dominates; the blocks are identical either way.
        if (count <= 1 || MaxDegree == 1 || workPerBlock * count < 1L << 17)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Diagnostics.UserErrors.Rethrowing(() => Parallel.For(0, count, Options, body));
    }

    private sealed class Scope(int? previous) : IDisposable
    {
        public void Dispose() => Override.Value = previous;
    }
}
