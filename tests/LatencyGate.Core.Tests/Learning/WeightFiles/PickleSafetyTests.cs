using System.Text;
using LatencyGate.Diagnostics;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Learning.WeightFiles.Pickle;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Learning.WeightFiles;

/// <summary>The must-show refusals: hostile pickles, zip paths and tensor views are LG errors and nothing runs.</summary>
public sealed class PickleSafetyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// What `pickle.loads` would run as os.system("touch MARKER") / builtins.eval(...): a real attack whose
    /// effect (the marker file) the test can look for.
    /// </summary>
    private static byte[] Attack(string module, string name, string argument, bool stackGlobal = false)
    {
        var p = new PickleBytes();
        if (stackGlobal)
        {
            p.Proto(4).Raw(0x8c, (byte)module.Length).Raw(Encoding.ASCII.GetBytes(module))
                .Raw(0x8c, (byte)name.Length).Raw(Encoding.ASCII.GetBytes(name)).Raw(0x93);
        }
        else
        {
            p.Proto().Global(module, name);
        }

        return p.Str(argument).Raw(0x85).Reduce().Stop().ToArray();
    }

    public static TheoryData<string, string, bool> Attacks => new()
    {
        { "os", "system", false },
        { "posix", "system", false },
        { "builtins", "eval", false },
        { "builtins", "exec", true },
        { "subprocess", "call", true },
        { "torch.storage", "_load_from_bytes", false },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void A_global_outside_the_allow_list_is_refused_and_nothing_runs(string module, string name, bool stackGlobal)
    {
        var marker = _temp.File("pwned");
        var command = module == "builtins" ? $"open(r'{marker}','w').close()" : $"touch '{marker}'";
        var pickle = Attack(module, name, command, stackGlobal);

        var direct = Should.Throw<LatencyGateException>(() => PickleMachine.Load(pickle, 0, "evil.pkl"));

        direct.Diagnostics[0].Code.ShouldBe("LG0110");
        direct.Diagnostics[0].Message.ShouldContain($"'{module}.{name}'");
        File.Exists(marker).ShouldBeFalse();

        // The same payload inside a zip checkpoint and a legacy checkpoint, through the single entry point.
        var zip = _temp.File("evil.pt");
        Checkpoints.WriteZip(zip, pickle, new Dictionary<string, byte[]>());
        var legacy = _temp.File("evil.pth");
        Checkpoints.WriteLegacy(legacy, pickle, []);
        foreach (var file in new[] { zip, legacy })
        {
            var error = Should.Throw<LatencyGateException>(() => WeightFileReader.Read(file));
            error.Diagnostics[0].Code.ShouldBe("LG0110");
            error.Diagnostics[0].Location!.File.ShouldBe(file);
        }

        File.Exists(marker).ShouldBeFalse();
    }

    [Fact]
    public void The_refusal_happens_at_the_global_before_its_arguments_are_read()
    {
        var pickle = Attack("os", "system", "touch x");
        var error = Should.Throw<LatencyGateException>(() => PickleMachine.Load(pickle, 0, "evil.pkl"));
        error.Diagnostics[0].Message.ShouldContain("(byte 2)");
    }

    [Fact]
    public void The_allow_list_is_exactly_the_tensor_and_dict_rebuilders()
    {
        PickleAllowList.Names.ShouldBe(
        [
            "collections.OrderedDict", "torch.BFloat16Storage", "torch.BoolStorage", "torch.ByteStorage", "torch.CharStorage",
            "torch.DoubleStorage", "torch.FloatStorage", "torch.HalfStorage", "torch.IntStorage", "torch.LongStorage",
            "torch.ShortStorage", "torch.Size", "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state",
            "torch._utils._rebuild_tensor_v2", "torch.device",
        ]);
    }

    [Fact]
    public void The_readers_have_no_code_path_that_could_invoke_anything()
    {
        // The machine interprets allowed globals itself; no reflection, process or dynamic-code API appears.
        var folder = Path.Combine(ReferenceData.RepositoryRoot, "src", "LatencyGate.Core", "Learning", "WeightFiles");
        var sources = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories);
        sources.Length.ShouldBeGreaterThan(5);
        string[] forbidden = ["System.Reflection", "System.Diagnostics.Process", "Process.Start", "Activator", "Type.GetType", ".Invoke(", "DynamicMethod", "System.Linq.Expressions", "Assembly", "AppDomain", "Marshal.GetDelegate"];
        foreach (var source in sources)
        {
            var text = File.ReadAllText(source);
            foreach (var word in forbidden)
            {
                text.Contains(word, StringComparison.Ordinal).ShouldBeFalse($"{Path.GetFileName(source)} mentions {word}");
            }
        }
    }

    [Fact]
    public void Code_running_opcodes_are_refused()
    {
        // INST and OBJ build arbitrary classes; EXT1 reaches the copyreg registry.
        foreach (var op in new byte[] { (byte)'i', (byte)'o', 0x82, (byte)'P', (byte)'S' })
        {
            var error = Should.Throw<LatencyGateException>(() => PickleMachine.Load([0x80, 0x02, op, (byte)'.'], 0, "x.pkl"));
            error.Diagnostics[0].Code.ShouldBe("LG0111");
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'X', 0xff, 0xff, 0xff, 0xff, (byte)'a' })] // string longer than the data
    [InlineData(new byte[] { 0x80, 0x02, (byte)'}' })] // no STOP
    [InlineData(new byte[] { 0x80, 0x02, (byte)'h', 0x05, (byte)'.' })] // memo never stored
    [InlineData(new byte[] { 0x80, 0x02, (byte)'s', (byte)'.' })] // stack underflow
    [InlineData(new byte[] { 0x80, 0x02, (byte)'K', 1, (byte)')', (byte)'R', (byte)'.' })] // REDUCE on an int
    [InlineData(new byte[] { 0x80, 0x02, 0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, (byte)'.' })] // huge FRAME
    [InlineData(new byte[] { 0x80, 0x02, 0x8b, 0xff, 0xff, 0xff, 0x7f, (byte)'.' })] // huge LONG4
    public void Malformed_pickles_are_LG_errors_not_crashes_or_hangs(byte[] pickle)
    {
        var error = Should.Throw<LatencyGateException>(() => PickleMachine.Load(pickle, 0, "x.pkl"));
        error.Diagnostics[0].Code.ShouldBeOneOf("LG0112", "LG0111");
    }

    [Fact]
    public void A_zip_entry_escaping_the_archive_is_refused()
    {
        var marker = Path.Combine(Path.GetDirectoryName(_temp.Path)!, "evil");
        foreach (var name in new[] { "../evil", "archive/../../evil", "/etc/evil", "archive\\..\\evil", "C:/evil" })
        {
            var path = _temp.File("escape.pt");
            var tensors = new[] { new CraftedTensor("w", "FloatStorage", "0", 2, 0, [2], [1]) };
            Checkpoints.WriteZip(path, Checkpoints.StateDict(tensors), new Dictionary<string, byte[]> { ["0"] = Checkpoints.Floats(1, 2) }, extraEntry: name);

            var error = Should.Throw<LatencyGateException>(() => WeightFileReader.Read(path));

            error.Diagnostics[0].Code.ShouldBe("LG0113");
            error.Diagnostics[0].Message.ShouldContain(name);
        }

        File.Exists(marker).ShouldBeFalse();
    }

    public static TheoryData<string, long, long, long[], long[]> Overruns => new()
    {
        { "size past the end", 4, 0, [5], [1] },
        { "offset past the end", 4, 3, [2], [1] },
        { "stride past the end", 4, 0, [2, 2], [3, 1] },
        { "stride 0 blow-up", 4, 0, [1_000_000_000], [0] },
        { "negative stride", 4, 3, [2], [-1] },
        { "overflowing size", 4, 0, [long.MaxValue / 2, 4], [1, 1] },
    };

    [Theory]
    [MemberData(nameof(Overruns))]
    public void A_tensor_that_overruns_its_storage_is_refused(string why, long numel, long offset, long[] shape, long[] stride)
    {
        var tensors = new[] { new CraftedTensor("w", "FloatStorage", "0", numel, offset, shape, stride) };
        var data = Checkpoints.Floats(new float[numel]);
        var zip = _temp.File("overrun.pt");
        Checkpoints.WriteZip(zip, Checkpoints.StateDict(tensors), new Dictionary<string, byte[]> { ["0"] = data });
        var legacy = _temp.File("overrun.pth");
        Checkpoints.WriteLegacy(legacy, Checkpoints.StateDict(tensors), [("0", numel, data)]);

        foreach (var file in new[] { zip, legacy })
        {
            var error = Should.Throw<LatencyGateException>(() => WeightFileReader.Read(file), why);
            error.Diagnostics[0].Code.ShouldBe("LG0115", why);
            error.Diagnostics[0].Message.ShouldContain("'w'");
        }
    }

    [Fact]
    public void A_storage_claiming_more_than_the_file_holds_is_refused_before_allocating()
    {
        var tensors = new[] { new CraftedTensor("w", "FloatStorage", "0", 1L << 40, 0, [1L << 20], [1]) };
        var zip = _temp.File("huge.pt");
        Checkpoints.WriteZip(zip, Checkpoints.StateDict(tensors), new Dictionary<string, byte[]> { ["0"] = Checkpoints.Floats(1, 2) });
        var legacy = _temp.File("huge.pth");
        Checkpoints.WriteLegacy(legacy, Checkpoints.StateDict(tensors), [("0", 1L << 40, Checkpoints.Floats(1, 2))]);

        foreach (var file in new[] { zip, legacy })
        {
            Should.Throw<LatencyGateException>(() => WeightFileReader.Read(file)).Diagnostics[0].Code.ShouldBe("LG0115");
        }
    }

    [Fact]
    public void Unknown_formats_and_missing_files_are_LG_errors()
    {
        var path = _temp.File("weights.bin");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("this is not a weights file"));
        Should.Throw<LatencyGateException>(() => WeightFileReader.Read(path)).Diagnostics[0].Code.ShouldBe("LG0101");
        File.WriteAllBytes(path, []);
        Should.Throw<LatencyGateException>(() => WeightFileReader.Read(path)).Diagnostics[0].Code.ShouldBe("LG0101");
        Should.Throw<LatencyGateException>(() => WeightFileReader.Read(_temp.File("missing.pt"))).Diagnostics[0].Code.ShouldBe("LG0100");
    }
}
