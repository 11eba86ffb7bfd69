using LatencyGate.Predictors;

namespace LatencyGate.Search;

/// <summary>One device's budget as the search sees it: a predictor, a limit and the confidence it applies at.</summary>
internal sealed record LatencyConstraint(string Device, ILatencyPredictor Predictor, double BudgetMs);
