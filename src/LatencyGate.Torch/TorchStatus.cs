namespace LatencyGate.Torch;

/// <summary>
/// Whether libtorch is usable in this process, and why not: what <c>doctor</c> prints and what
/// <c>--engine torch</c> / <c>--runtime torch</c> fail with (<see cref="Code"/>, <see cref="Problem"/>).
/// </summary>
internal sealed record TorchStatus(
    bool Available,
    LibTorchLocation? LibTorch,
    string? Shim,
    string Compat,
    string? Code,
    string? Problem)
{
    public string Describe() => Available
        ? $"libtorch {TorchEnvironment.LibTorchVersion} from {LibTorch!.Source} ({LibTorch.Folder}); TorchSharp {TorchEnvironment.TorchSharpVersion} shim {Shim}; {Compat}"
        : $"{Code}: {Problem}";
}
