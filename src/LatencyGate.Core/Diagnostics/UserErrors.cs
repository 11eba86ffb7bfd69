namespace LatencyGate.Diagnostics;

/// <summary>
/// Finds the user-facing failure inside exceptions that parallel work (Parallel.For, PLINQ, tasks)
/// or reflection wraps it in, so a user's mistake keeps its own code and never surfaces as an
/// internal error because it happened on another thread.
/// </summary>
internal static class UserErrors
{
    /// <summary>
    /// <paramref name="exception"/> itself when it is a <see cref="LatencyGateException"/> or a
    /// cancellation; for wrappers, one <see cref="LatencyGateException"/> carrying every distinct
    /// diagnostic of the wrapped ones (in a stable order, whatever the thread timing), or the
    /// cancellation when that is all there is; null when a bug is inside.
    /// </summary>
    public static Exception? Unwrap(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var leaves = new List<Exception>();
        Collect(exception, leaves, depth: 0);
        var gate = leaves.OfType<LatencyGateException>().ToArray();
        if (gate.Length > 0)
        {
            if (gate.Length == 1 && ReferenceEquals(gate[0], exception))
            {
                return exception;
            }

            var diagnostics = gate.SelectMany(g => g.Diagnostics)
                .Distinct()
                .OrderBy(d => d.Location?.File, StringComparer.Ordinal)
                .ThenBy(d => d.Location?.Line ?? 0)
                .ThenBy(d => d.Location?.Column ?? 0)
                .ThenBy(d => d.Code, StringComparer.Ordinal)
                .ThenBy(d => d.Message, StringComparer.Ordinal)
                .ToArray();
            return new LatencyGateException(diagnostics, gate.Max(g => g.ExitCode));
        }

        return leaves.Count > 0 && leaves.TrueForAll(e => e is OperationCanceledException) ? leaves[0] : null;
    }

    /// <summary>Runs <paramref name="work"/>, rethrowing a wrapped user error as itself.</summary>
    public static void Rethrowing(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            work();
        }
        catch (Exception ex) when (ex is AggregateException or System.Reflection.TargetInvocationException or TypeInitializationException && Unwrap(ex) is not null)
        {
            throw Unwrap(ex)!;
        }
    }

    private static void Collect(Exception exception, List<Exception> leaves, int depth)
    {
        if (depth > 16)
        {
            leaves.Add(exception);
            return;
        }

        switch (exception)
        {
            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions)
                {
                    Collect(inner, leaves, depth + 1);
                }

                break;
            case System.Reflection.TargetInvocationException or TypeInitializationException when exception.InnerException is { } inner:
                Collect(inner, leaves, depth + 1);
                break;
            default:
                leaves.Add(exception);
                break;
        }
    }
}
