using LatencyGate.Networks;
using LatencyGate.Spaces;

namespace LatencyGate.Measuring;

/// <summary>
/// Times archs on this machine with one runtime and the protocol: one arch at a time (never two
/// at once, so they do not compete for cores), passes alternating forward and reverse order,
/// unstable archs retried a bounded number of times right after their last pass, then flagged.
/// With <see cref="MeasurementFiles"/> every pass and every finished arch is appended as it is
/// done, and a rerun resumes from them. With an anchored protocol the reference network is prepared
/// and warmed up once, then timed alternately with each arch's timed runs (one network runs at a
/// time, never two).
/// </summary>
internal sealed class MeasurementRun(IMeasurementRuntime runtime, OfaSpace space, MeasurementProtocol protocol)
{
    private IPreparedNetwork? _reference;

    /// <summary>Archs of the last <see cref="Measure"/> that were already complete in its files.</summary>
    public int AlreadyMeasured { get; private set; }

    public IReadOnlyList<ArchMeasurement> Measure(
        IReadOnlyList<Arch> archs,
        MeasurementFiles? files = null,
        Action<MeasureProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(archs);
        var distinct = archs.Distinct().ToArray();
        var created = files?.Open() ?? false;
        var wroteAny = false;
        try
        {
            var done = files?.LoadResults() ?? new Dictionary<Arch, ArchMeasurement>();
            var journal = files?.LoadJournal() ?? new Dictionary<Arch, List<PassTiming>>();
            var results = new Dictionary<Arch, ArchMeasurement>(done.Where(kv => distinct.Contains(kv.Key)));
            var todo = distinct.Where(a => !results.ContainsKey(a)).ToArray();
            AlreadyMeasured = results.Count;
            var total = todo.Length * protocol.Passes;
            var count = 0;
            for (var pass = 0; pass < protocol.Passes; pass++)
            {
                var order = pass % 2 == 0 ? todo : todo.Reverse().ToArray();
                foreach (var arch in order)
                {
                    cancellation.ThrowIfCancellationRequested();
                    if (!journal.TryGetValue(arch, out var timings))
                    {
                        journal[arch] = timings = [];
                    }

                    var existing = timings.FirstOrDefault(t => t.Pass == pass);
                    var reused = existing is not null;
                    if (existing is null)
                    {
                        existing = Time(arch, pass, cancellation);
                        files?.AppendPass(arch, existing);
                        wroteAny = true;
                        timings.Add(existing);
                    }

                    progress?.Invoke(new MeasureProgress(++count, total, arch.CanonicalKey, pass, TimingSummary.Median(existing.Samples(protocol.Clock)), reused));
                    if (pass == protocol.Passes - 1)
                    {
                        var m = Finish(arch, timings, files, () => ReferenceMs(journal, protocol), cancellation);
                        files?.AppendResult(m);
                        wroteAny = true;
                        results[arch] = m;
                    }
                }
            }

            return [.. distinct.Select(a => results[a])];
        }
        catch when (created && !wroteAny && files is not null)
        {
            // Nothing measured: leave no empty files behind.
            files.Delete();
            throw;
        }
        finally
        {
            _reference?.Dispose();
            _reference = null;
        }
    }

    /// <summary>The reference's median over every anchored pass timed so far (in this run and resumed from the journal); NaN when not anchored.</summary>
    private static double ReferenceMs(Dictionary<Arch, List<PassTiming>> journal, MeasurementProtocol protocol) =>
        protocol.Anchored ? PassTiming.ReferenceMedian(journal, protocol.Clock) : double.NaN;

    private ArchMeasurement Finish(Arch arch, List<PassTiming> timings, MeasurementFiles? files, Func<double> referenceMs, CancellationToken cancellation)
    {
        var retries = timings.Count(t => t.Pass >= protocol.Passes);
        var m = TimingSummary.Summarize(arch, timings, protocol, retries, referenceMs());
        while (m.Unstable && retries < protocol.MaxRetries)
        {
            var t = Time(arch, protocol.Passes + retries, cancellation);
            files?.AppendPass(arch, t);
            timings.Add(t);
            retries++;
            m = TimingSummary.Summarize(arch, timings, protocol, retries, referenceMs());
        }

        return m;
    }

    /// <summary>The anchored protocol's reference network, prepared and warmed up: what a command does once, before its first arch.</summary>
    internal static IPreparedNetwork PrepareReference(IMeasurementRuntime runtime, OfaSpace space, MeasurementProtocol protocol, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(protocol);
        var reference = runtime.Prepare(OfaNetwork.Build(AnchorReference.For(space), space), protocol.BatchSize, protocol.Threads, protocol.Seed);
        try
        {
            for (var i = 0; i < protocol.Warmup; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                reference.RunOnce();
            }

            return reference;
        }
        catch
        {
            reference.Dispose();
            throw;
        }
    }

    private PassTiming Time(Arch arch, int pass, CancellationToken cancellation)
    {
        if (protocol.Anchored && _reference is null)
        {
            _reference = PrepareReference(runtime, space, protocol, cancellation);
        }

        return ArchTimer.TimePass(runtime, OfaNetwork.Build(arch, space), protocol, pass, cancellation, _reference);
    }
}
