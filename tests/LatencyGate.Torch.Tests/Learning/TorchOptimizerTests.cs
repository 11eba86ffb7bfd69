using LatencyGate.Torch;
using Shouldly;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LatencyGate.Tests.Learning;

/// <summary>
/// Our optimizer steps hold their scalars (so a garbage collection on another thread cannot free one
/// mid-call) and must otherwise be torch.optim's, bit for bit: the same weights after every step.
/// </summary>
public sealed class TorchOptimizerTests
{
    [Fact]
    public void Loading_libtorch_fixes_MKLs_code_branch_so_runs_repeat_bit_for_bit()
    {
        // Without it the same head fit wrote last-bit-different files in about 1 run in 4.
        _ = TorchFixture.Engine();
        System.Runtime.InteropServices.Marshal.PtrToStringUTF8(GetEnv("MKL_CBWR")).ShouldBe("AUTO", "the native environment MKL reads, set before libtorch loads");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getenv", CharSet = System.Runtime.InteropServices.CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr GetEnv(string name);

    public static TheoryData<string> Kinds() => new() { "adam", "adam-decay", "adamw", "sgd", "sgd-momentum", "sgd-nesterov-decay" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Steps_equal_torch_optim_bit_for_bit(string kind)
    {
        _ = TorchFixture.Engine();
        using var scope = NewDisposeScope();
        var (ours, ourParameters) = Problem();
        var (theirs, theirParameters) = Problem();
        var groups = new List<(IReadOnlyList<TorchSharp.Modules.Parameter>, double)> { ([ourParameters[0]], Decay(kind)), ([ourParameters[1]], 0.0) };
        using var optimizer = kind switch
        {
            "adam" or "adam-decay" => TorchOptimizer.Adam(groups, 0.01, 0.9, 0.999, 1e-8),
            "adamw" => TorchOptimizer.AdamW(groups, 0.01, 0.85, 0.99, 1e-7),
            "sgd" => TorchOptimizer.Sgd(groups, 0.05, 0, false),
            "sgd-momentum" => TorchOptimizer.Sgd(groups, 0.05, 0.9, false),
            _ => TorchOptimizer.Sgd(groups, 0.05, 0.9, true),
        };
        var wd = Decay(kind);
        optim.Optimizer reference = kind switch
        {
            "adam" or "adam-decay" => optim.Adam([new TorchSharp.Modules.Adam.ParamGroup([theirParameters[0]], 0.01, 0.9, 0.999, 1e-8, wd), new TorchSharp.Modules.Adam.ParamGroup([theirParameters[1]], 0.01, 0.9, 0.999, 1e-8, 0)], 0.01, 0.9, 0.999, 1e-8, wd),
            "adamw" => optim.AdamW([new TorchSharp.Modules.AdamW.ParamGroup([theirParameters[0]], 0.01, 0.85, 0.99, 1e-7, wd), new TorchSharp.Modules.AdamW.ParamGroup([theirParameters[1]], 0.01, 0.85, 0.99, 1e-7, 0)], 0.01, 0.85, 0.99, 1e-7, wd),
            "sgd" => optim.SGD([new TorchSharp.Modules.SGD.ParamGroup([theirParameters[0]], 0.05, 0, 0, wd, false), new TorchSharp.Modules.SGD.ParamGroup([theirParameters[1]], 0.05, 0, 0, 0, false)], 0.05, 0, 0, wd, false),
            "sgd-momentum" => optim.SGD([new TorchSharp.Modules.SGD.ParamGroup([theirParameters[0]], 0.05, 0.9, 0, wd, false), new TorchSharp.Modules.SGD.ParamGroup([theirParameters[1]], 0.05, 0.9, 0, 0, false)], 0.05, 0.9, 0, wd, false),
            _ => optim.SGD([new TorchSharp.Modules.SGD.ParamGroup([theirParameters[0]], 0.05, 0.9, 0, wd, true), new TorchSharp.Modules.SGD.ParamGroup([theirParameters[1]], 0.05, 0.9, 0, 0, true)], 0.05, 0.9, 0, wd, true),
        };

        for (var step = 0; step < 25; step++)
        {
            var rate = 0.01 * (1 + (0.5 * Math.Cos(step)));
            optimizer.ZeroGrad();
            ours().backward();
            optimizer.Rate = rate;
            optimizer.Step();

            reference.zero_grad();
            theirs().backward();
            foreach (var group in reference.ParamGroups)
            {
                group.LearningRate = rate;
            }

            reference.step();
            for (var p = 0; p < 2; p++)
            {
                ourParameters[p].detach().data<float>().ToArray().ShouldBe(theirParameters[p].detach().data<float>().ToArray(), $"{kind}, step {step}, parameter {p}");
            }
        }
    }

    [Fact]
    public void Training_while_other_threads_allocate_and_collect_does_not_crash_libtorch()
    {
        // Before the scalars were held this stopped the test process (INTERNAL ASSERT FAILED at
        // Scalar.h) in some runs: collections forced on another thread ran the finalizers of the
        // temporaries libtorch was reading.
        var engine = TorchFixture.Engine();
        using var stop = new CancellationTokenSource();
        var churn = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = new byte[1024];
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                GC.WaitForPendingFinalizers();
            }
        });
        churn.Start();
        try
        {
            var random = new Randomness.SeededRandom(7);
            const int rows = 16, inputs = 4;
            var x = new float[rows * inputs];
            var y = new float[rows];
            for (var i = 0; i < x.Length; i++)
            {
                x[i] = (float)random.NextDouble();
            }

            for (var r = 0; r < rows; r++)
            {
                y[r] = x[r * inputs] + (2 * x[(r * inputs) + 1]);
            }

            // Batch 1 for many small steps: about 700,000 scalars passed to libtorch (loss, activation, Adam),
            // where the temporaries of TorchSharp's own optimizer and operators crashed within seconds.
            var model = LatencyGate.Learning.Mlp.Create([inputs, 4, 1], LatencyGate.Learning.Activation.LeakyRelu, new Randomness.SeededRandom(1));
            var options = new LatencyGate.Learning.TrainingOptions { Epochs = 1500, BatchSize = 1, Seed = 3, Loss = LatencyGate.Learning.LossKind.Relative };
            var result = engine.Train(model, x, y, null, null, options);
            result.History.Count.ShouldBe(1500);
        }
        finally
        {
            stop.Cancel();
            churn.Join();
        }
    }

    private static double Decay(string kind) => kind is "adam-decay" or "adamw" or "sgd-nesterov-decay" ? 0.01 : 0;

    /// <summary>A small regression with fixed data and weights: the loss closure and its two parameters.</summary>
    private static (Func<Tensor> Loss, TorchSharp.Modules.Parameter[] Parameters) Problem()
    {
        var weightValues = Enumerable.Range(0, 12).Select(i => (float)Math.Sin(i + 1)).ToArray();
        var w = new TorchSharp.Modules.Parameter(tensor(weightValues, [3, 4]));
        var b = new TorchSharp.Modules.Parameter(tensor(new float[] { 0.1f, -0.2f, 0.3f }));
        var x = tensor(Enumerable.Range(0, 20).Select(i => (float)Math.Cos(i * 0.7)).ToArray(), [5, 4]);
        var y = tensor(Enumerable.Range(0, 15).Select(i => (float)(i % 4) - 1.5f).ToArray(), [5, 3]);
        return (() => (nn.functional.linear(x, w, b) - y).square().mean(), [w, b]);
    }
}
