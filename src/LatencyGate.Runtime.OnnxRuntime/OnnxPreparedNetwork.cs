using LatencyGate.Measuring;
using LatencyGate.Networks;
using LatencyGate.Randomness;
using Microsoft.ML.OnnxRuntime;

namespace LatencyGate.Runtime.OnnxRuntime;

/// <summary>One ONNX Runtime session with its input (random, from the seed) and output bound.</summary>
internal sealed class OnnxPreparedNetwork : IPreparedNetwork
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _run;
    private readonly OrtIoBinding _binding;
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly float[] _outputData;

    public OnnxPreparedNetwork(byte[] model, Network network, int batchSize, int threads, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        _options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        _session = new InferenceSession(model, _options);
        var shape = network.Input.Shape;
        var inputData = new float[batchSize * shape.Elements];
        var random = new SeededRandom(seed ^ 0x1D0A7E5UL);
        for (var i = 0; i < inputData.Length; i++)
        {
            inputData[i] = (float)((2 * random.NextDouble()) - 1);
        }

        _input = OrtValue.CreateTensorValueFromMemory(inputData, [batchSize, shape.Channels, shape.Height, shape.Width]);
        var output = network.Output.Shape;
        OutputShape = output.IsVector ? [batchSize, output.Channels] : [batchSize, output.Channels, output.Height, output.Width];
        _outputData = new float[batchSize * output.Elements];
        _output = OrtValue.CreateTensorValueFromMemory(_outputData, OutputShape);
        _run = new RunOptions();
        _binding = _session.CreateIoBinding();
        _binding.BindInput(OnnxExport.InputName, _input);
        _binding.BindOutput(OnnxExport.OutputName, _output);
    }

    /// <summary>The output's dimensions ([batch, 1000] for OFA's networks).</summary>
    public long[] OutputShape { get; }

    /// <summary>The output of the last run.</summary>
    public ReadOnlySpan<float> Output => _outputData;

    /// <summary>The dimensions ONNX Runtime reports for the model's output (batch symbolic: -1).</summary>
    public long[] DeclaredOutputShape => [.. _session.OutputMetadata[OnnxExport.OutputName].Dimensions.Select(d => (long)d)];

    public void RunOnce() => _session.RunWithBinding(_run, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _run.Dispose();
        _output.Dispose();
        _input.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
