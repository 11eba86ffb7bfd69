using LatencyGate.Predictors;

namespace LatencyGate.Search;

/// <summary>
/// A device to search for: its latency predictor and budget (ms, of one batch, as the predictor
/// reports). In sweep mode <paramref name="Sweep"/> (or the request's) replaces the budget.
/// </summary>
internal sealed record SearchDevice(string Name, ILatencyPredictor Predictor, double BudgetMs, SweepRange? Sweep = null);
