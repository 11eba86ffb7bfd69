// The app itself is ordinary: the latency budget is enforced by its build (see latency-gate.yaml).
Console.WriteLine("GatedApp: the sub-network this app ships met its latency budgets at build time.");
