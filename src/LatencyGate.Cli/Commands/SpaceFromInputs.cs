using LatencyGate.Diagnostics;
using LatencyGate.Spaces;

namespace LatencyGate.Cli.Commands;

/// <summary>
/// The space of <c>predict</c> and <c>explain</c>: <c>--space</c>, else the one the tables or the
/// predictor file say (as <c>evaluate</c> does). The README's <c>predict --lut builtin:note10</c>,
/// taken literally, ended with "Option '--space' is required" although the tables name their space.
/// </summary>
internal static class SpaceFromInputs
{
    public static OfaSpace Resolve(string? space, string? lut, string? predictor)
    {
        if (space is not null)
        {
            return OfaSpace.Get(space);
        }

        if ((lut ?? predictor) is { } source)
        {
            // A source that names no space (a missing folder, a foreign file) is reported by its loader.
            return OfaSpace.Get(EvaluateCommand.SpaceOf(source) ?? OfaSpace.W10.Name);
        }

        throw new LatencyGateException(
            CliCodes.SpaceUnknown,
            "the space is needed: pass --space ofa-mbv3-w1.0 or ofa-mbv3-w1.2 (with --lut or --predictor it is taken from the tables or the file)",
            new SourceLocation("--space"));
    }
}
