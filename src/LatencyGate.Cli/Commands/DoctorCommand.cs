using System.CommandLine;
using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
using LatencyGate.Runtime.OnnxRuntime;

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

            // Every runtime `measure --runtime` accepts, the default first: a list without ONNX Runtime
            // read as if the tool could not measure at all.
            stdout.WriteLine("measuring runtimes (measure --runtime):");
            var runtimes = MeasuringRuntimes.Create();
            foreach (var name in runtimes.Names)
            {
                stdout.WriteLine($"  {name,-11} {RuntimeLine(runtimes, name, torch)}");
            }

            return 0;
        });
        return command;
    }

    private static string RuntimeLine(Measuring.RuntimeRegistry runtimes, string name, Torch.TorchStatus torch)
    {
        if (name.StartsWith("torch", StringComparison.Ordinal) && !torch.Available)
        {
            return $"unavailable: {torch.Code}: see above";
        }

        if (name == "torch")
        {
            return $"available: libtorch {Torch.TorchEnvironment.LibTorchVersion} CPU from {torch.LibTorch!.Source}";
        }

        try
        {
            var version = runtimes.Resolve(name).Version;
            return name == OnnxRuntimeMeasurementRuntime.RuntimeName
                ? $"available: ONNX Runtime {version}, CPU (the default; shipped with the tool)"
                : $"available: {version}";
        }
        catch (LatencyGateException ex)
        {
            return $"unavailable: {ex.Diagnostics[0].Code}: {ex.Diagnostics[0].Message}";
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            return $"unavailable: its native library did not load ({ex.GetType().Name}: {ex.Message})";
        }
    }
}
