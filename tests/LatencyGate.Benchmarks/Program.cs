using LatencyGate.Benchmarks;

return BenchmarkProgram.Run(args);
