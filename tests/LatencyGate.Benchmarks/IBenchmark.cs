namespace LatencyGate.Benchmarks;

/// <summary>A named group of accuracy.json rows (the <c>--only</c> filter selects by name).</summary>
internal interface IAccuracyBenchmark
{
    string Name { get; }

    IEnumerable<AccuracyRow> Run(BenchmarkContext context);
}

/// <summary>A named group of speed.json figures.</summary>
internal interface ISpeedBenchmark
{
    string Name { get; }

    IEnumerable<SpeedFigure> Run(BenchmarkContext context);
}
