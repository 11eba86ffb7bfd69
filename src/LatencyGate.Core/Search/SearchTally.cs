using LatencyGate.Diagnostics;

namespace LatencyGate.Search;

/// <summary>
/// Generations run across every search of one command, reported as one "searching" phase. Each
/// search adds what it will run when it starts (a retry under the whole budget, a proxy's sweep), so
/// the total can grow; reports come from worker threads and never change a result.
/// </summary>
internal sealed class SearchTally(IProgress<WorkProgress>? sink)
{
    private int _done;
    private int _total;

    public void Expect(int generations) => Interlocked.Add(ref _total, generations);

    public void Generation()
    {
        var done = Interlocked.Increment(ref _done);
        sink?.Report(new WorkProgress("searching", done, Math.Max(done, Volatile.Read(ref _total))) { Unit = "generations" });
    }
}
