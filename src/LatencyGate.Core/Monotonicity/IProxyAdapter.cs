namespace LatencyGate.Monotonicity;

/// <summary>A way to predict a target device's latency on every pool row from a few of its measurements.</summary>
internal interface IProxyAdapter
{
    string Name { get; }

    /// <summary>Predictions for every row of <paramref name="pool"/>, given target latencies at the <paramref name="shots"/> rows.</summary>
    double[] Adapt(AdaptationPool pool, IReadOnlyList<int> shots, IReadOnlyList<double> targetShots);
}
