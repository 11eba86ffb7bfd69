using LatencyGate.Diagnostics;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Lut;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// Turns what a user names (<c>--lut DIR</c> or <c>--predictor FILE</c>) into a predictor. A
/// predictor path that is a folder of OFA lookup tables is read as one, as the design allows.
/// </summary>
internal static class PredictorLoader
{
    public static ILatencyPredictor Load(OfaSpace space, string? lutFolder, string? predictorFile, bool interpolate = false)
    {
        ArgumentNullException.ThrowIfNull(space);
        if ((lutFolder is null) == (predictorFile is null))
        {
            throw new LatencyGateException(
                PredictorSourceErrors.SourceChoice,
                lutFolder is null
                    ? "no latency predictor given: pass --lut DIR (OFA lookup tables) or --predictor FILE"
                    : "both --lut and --predictor given; pass only one");
        }

        if (lutFolder is not null)
        {
            return LoadTables(lutFolder, space, interpolate);
        }

        return LoadFile(predictorFile!, space, interpolate);
    }

    /// <summary>
    /// <c>--lut DIR|builtin:NAME</c>: a mistyped built-in name is reported at <c>--lut</c>, as every
    /// other option's mistake is at its option (a table folder's own problems are at its path).
    /// </summary>
    public static LookupTablePredictor LoadTables(string lut, OfaSpace space, bool interpolate)
    {
        if (Predictors.Profiles.BuiltinProfiles.IsReference(lut))
        {
            Predictors.Profiles.BuiltinProfiles.Resolve(lut, Predictors.Profiles.BuiltinProfileKind.LookupTables, new SourceLocation("--lut"));
        }

        return LookupTablePredictor.Load(lut, space, interpolate);
    }

    /// <summary>Loads any predictor file (learned, <see cref="AdaptedPredictorFile.ModelKind"/> or <see cref="SourcePriorFile.ModelKind"/>) or a seed-paper checkpoint.</summary>
    internal static ILatencyPredictor LoadAny(string path, OfaSpace space)
    {
        var file = WeightFileReader.Read(path);
        var metadata = LatencyPredictorFile.Metadata(file, path);
        return metadata?.ModelKind switch
        {
            AdaptedPredictorFile.ModelKind => AdaptedPredictorFile.FromParts(metadata, file.Tensors, path, space),
            SourcePriorFile.ModelKind => SourcePriorFile.FromParts(metadata, path, space),
            _ => LatencyPredictorFile.FromFile(file, path, space),
        };
    }

    private static ILatencyPredictor LoadFile(string path, OfaSpace space, bool interpolate)
    {
        // builtin:macs is the analytic base (no file); builtin:note10 names lookup tables too (an unknown or
        // accuracy profile gets the profiles' own error).
        if (MacsBasePredictor.IsReference(path))
        {
            return new MacsBasePredictor(space);
        }

        if (Directory.Exists(path) || Predictors.Profiles.BuiltinProfiles.IsReference(path))
        {
            if (Predictors.Profiles.BuiltinProfiles.IsReference(path))
            {
                // Here builtin:macs is a name too: suggested for 'builtin:mac', listed beside the tables.
                _ = Predictors.Profiles.BuiltinProfiles.Resolve(path, Predictors.Profiles.BuiltinProfileKind.LookupTables, alsoAccepted: [MacsBasePredictor.Reference]);
            }

            return LookupTablePredictor.Load(path, space, interpolate);
        }

        if (!File.Exists(path))
        {
            throw new LatencyGateException(PredictorSourceErrors.FileMissing, "predictor file does not exist", new SourceLocation(path));
        }

        // A LatencyGate predictor file (safetensors: learned or adapted) or a PyTorch state_dict of the seed paper's MLP;
        // the weights reader sniffs the format. A file of no known format keeps this loader's code.
        try
        {
            return LoadAny(path, space);
        }
        catch (LatencyGateException ex) when (ex.Diagnostics.Count == 1 && ex.Diagnostics[0].Code == WeightFileCodes.UnknownFormat)
        {
            throw new LatencyGateException(
                PredictorSourceErrors.FormatNotRecognised,
                "predictor file format not recognised; expected a LatencyGate predictor (safetensors), a PyTorch state_dict (.pt/.pth) or a folder of OFA lookup tables",
                new SourceLocation(path));
        }
    }
}
