using TorchSharp;
using static TorchSharp.torch;

namespace LatencyGate.Torch;

/// <summary>
/// Scalars held for the life of the process, and the tensor sum written with one of them.
/// TorchSharp turns a number into a temporary <see cref="Scalar"/> and passes libtorch only its
/// handle (its <c>a + b</c> is <c>add(b, 1)</c>, its <c>x.square()</c> is <c>pow(2)</c>); a garbage
/// collection started by another thread during the call can then run the temporary's finalizer and
/// free the value libtorch is about to read, and libtorch stops the process ("INTERNAL ASSERT FAILED
/// at Scalar.h"). Every scalar this assembly passes is therefore held: here, or in a local disposed
/// after the call. Touch only after libtorch is loaded.
/// </summary>
internal static class HeldScalars
{
    public static readonly Scalar One = 1.ToScalar();

    public static readonly Scalar Two = 2.ToScalar();

    /// <summary><c>left + right</c> as TorchSharp's operator computes it (alpha 1), with the alpha held.</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary><c>x²</c> as TorchSharp's <c>square()</c> computes it (<c>pow(2)</c>), with the exponent held.</summary>
    public static Tensor Squared(this Tensor x) => x.pow(Two);
}
