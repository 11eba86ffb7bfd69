using LatencyGate.Cli;

return CliApp.RunProcess(args);
