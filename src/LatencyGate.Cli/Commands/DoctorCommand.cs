using System.CommandLine;
using LatencyGate.Learning;

namespace LatencyGate.Cli.Commands;

/// <summary><c>doctor</c>: the training engines and measuring runtimes on this machine, and why any is unavailable.</summary>
internal static class DoctorCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("doctor", "List the training engines and measuring runtimes available on this machine, and why any is not.");
        command.SetAction(_ =>
        {
            var torch = TorchHost.Status();
            stdout.WriteLine("training engines (fit --engine, manifest engine:):");
            stdout.WriteLine($"  {ManagedTrainingEngine.EngineName,-8} available: our own engine (the default; bit-identical results whatever the thread count)");
            stdout.WriteLine(torch.Available
                ? $"  {"torch",-8} available: {torch.Describe()}"
                : $"  {"torch",-8} unavailable: {torch.Describe()}");
            stdout.WriteLine("measuring runtimes (measure --runtime):");
            stdout.WriteLine(torch.Available
                ? $"  {"torch",-8} available: libtorch {Torch.TorchEnvironment.LibTorchVersion} CPU from {torch.LibTorch!.Source}"
                : $"  {"torch",-8} unavailable: {torch.Code}: see above");
            return 0;
        });
        return command;
    }
}
