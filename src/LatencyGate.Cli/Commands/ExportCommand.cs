using System.CommandLine;
using System.Globalization;
using LatencyGate.Diagnostics;
using LatencyGate.Files;
using LatencyGate.Measuring;
using LatencyGate.Networks;
using LatencyGate.Runtime.OnnxRuntime;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

/// <summary>
/// <c>export --space S (--arch FILE | --arch-json JSON | --archs FILE | --net-config DIR) --out PATH [--seed N]</c>:
/// sub-networks as ONNX files (weights from the seed).
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter stdout)
    {
        var space = new Option<string?>("--space") { Description = "Search space: ofa-mbv3-w1.0 or ofa-mbv3-w1.2 (not needed with --net-config)." }.OneOf(CommandParsing.SpaceNames);
        var arch = new Option<string?>("--arch") { Description = "Arch file (OFA JSON or Python dict literal)." };
        var archJson = new Option<string?>("--arch-json") { Description = "The arch inline." };
        var archs = new Option<string?>("--archs") { Description = "Many archs: sample's JSON lines, a measurements CSV or arch keys; --out is then a folder." };
        var netConfig = new Option<string?>("--net-config") { Description = "A folder of OFA's specialised nets (net.config + run.config), e.g. a ProxylessNAS GPU net." };
        var output = new Option<string>("--out") { Description = "ONNX file to write (a folder with --archs).", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights (latency does not depend on them).", DefaultValueFactory = _ => 0UL };
        var command = new Command("export", "Write sub-networks as ONNX files (opset 17, input [batch,3,r,r], output [batch,1000]).") { space, arch, archJson, archs, netConfig, output, seed };
        command.SetAction((pr, cancellationToken) =>
        {
            var outPath = pr.GetValue(output)!;
            var s = pr.GetValue(seed);
            var sources = new[] { pr.GetValue(arch), pr.GetValue(archJson), pr.GetValue(archs), pr.GetValue(netConfig) }.Count(v => v is not null);
            if (sources != 1)
            {
                throw new LatencyGateException(MeasuringErrors.BadOption, "export needs exactly one of --arch, --arch-json, --archs or --net-config");
            }

            // With --archs, --out is a folder of arch-NNNN-rR.onnx files (a name no input has).
            OutputFile.RefuseInput(outPath, "the ONNX file", [("--arch", pr.GetValue(arch)), ("--net-config", pr.GetValue(netConfig))], MeasuringErrors.OutputNotWritable);
            if (pr.GetValue(netConfig) is { } folder)
            {
                Write(stdout, OfaNetConfig.FromFolder(folder), outPath, s, []);
                return Task.FromResult(0);
            }

            var spaceName = pr.GetValue(space) ?? throw new LatencyGateException(MeasuringErrors.BadOption, "--space is required with --arch, --arch-json and --archs");
            var ofaSpace = OfaSpace.Get(spaceName);
            if (pr.GetValue(archs) is { } list)
            {
                var all = ArchListReader.Read(list, ofaSpace).Distinct().ToArray();
                // With --archs, --out is a folder: a file there, a path under a file or a system folder is LG0802.
                OutputFile.CheckWritableFolder(outPath, "the ONNX folder (with --archs, --out is a folder)", MeasuringErrors.OutputNotWritable);
                OutputFile.EnsureFolder(outPath, "the ONNX folder", MeasuringErrors.OutputNotWritable);

                for (var i = 0; i < all.Length; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var file = Path.Combine(outPath, string.Create(CultureInfo.InvariantCulture, $"arch-{i + 1:D4}-r{all[i].Resolution}.onnx"));
                    Write(stdout, OfaNetwork.Build(all[i], ofaSpace), file, s, Metadata(ofaSpace, all[i]));
                }

                return Task.FromResult(0);
            }

            var one = ArchJson.FromFileOrText(pr.GetValue(arch), pr.GetValue(archJson), ofaSpace);
            Write(stdout, OfaNetwork.Build(one, ofaSpace), outPath, s, Metadata(ofaSpace, one));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Dictionary<string, string> Metadata(OfaSpace space, Arch arch) => new()
    {
        ["latency_gate.space"] = space.Name,
        ["latency_gate.arch"] = ArchJson.Write(arch),
        ["latency_gate.canonical_key"] = arch.CanonicalKey,
    };

    private static void Write(TextWriter stdout, Network network, string path, ulong seed, Dictionary<string, string> metadata)
    {
        metadata["latency_gate.macs"] = network.Macs.ToString(CultureInfo.InvariantCulture);
        metadata["latency_gate.params"] = network.Params.ToString(CultureInfo.InvariantCulture);
        metadata["latency_gate.weights_seed"] = seed.ToString(CultureInfo.InvariantCulture);
        var bytes = OnnxExport.ToBytes(network, seed, metadata);
        WriteAtomically(path, bytes);
        stdout.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{path}: {network.Name}, {network.Nodes.Count - 1} ops, {network.Macs / 1e6:F1}M MACs, {network.Params / 1e6:F2}M params, {bytes.Length / 1e6:F1} MB"));
    }

    /// <summary>Through the one atomic writer: a reader never sees half a model, a failure leaves nothing; LG0802 names the file.</summary>
    private static void WriteAtomically(string path, byte[] bytes) =>
        OutputFile.Write(path, stream => stream.Write(bytes), "the ONNX file", MeasuringErrors.OutputNotWritable);
}
