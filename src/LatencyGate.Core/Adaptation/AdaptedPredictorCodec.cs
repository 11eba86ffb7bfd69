using System.Text;
using LatencyGate.Adaptation.Features;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors;
using LatencyGate.Predictors.Intervals;
using LatencyGate.Spaces;

namespace LatencyGate.Adaptation;

/// <summary>
/// Stores what adaptation fitted (every strategy: affine, adaproxy, head, full, and the conformal
/// intervals around them) as bytes, without the base predictors: those are referenced by their index
/// in the list the adaptation was given and supplied again when decoding (the cache key hashes their
/// bytes, a predictor file embeds them). Every double is stored as its IEEE bits, so a decoded
/// predictor computes exactly what the original did; the same predictor always gives the same bytes.
/// A payload of another version, truncated, padded or inconsistent throws <see cref="LatencyGateException"/>.
/// </summary>
internal static class AdaptedPredictorCodec
{
    /// <summary>Bumped whenever the layout changes; an older or newer payload is refused, never guessed at.</summary>
    public const ushort Version = 1;

    private const int MaxDepth = 16;
    private static readonly byte[] Magic = "LGADAPT\0"u8.ToArray();

    private enum Node : byte
    {
        Base = 1,
        Conformal = 2,
        Adapted = 3,
        Head = 4,
        Linear = 5,

        /// <summary>
        /// A network fine-tuned by <c>full</c>: λ, the start's rescale, the target scalings, every layer's
        /// weights and biases (float32 bits) and for additive+mlp the additive costs, then the base it
        /// was tuned from (whose shape and activations the stored layers take).
        /// </summary>
        Network = 6,

        /// <summary>The library ensemble: its weights, then each member (an adapted base).</summary>
        Ensemble = 7,

        /// <summary>
        /// A device adapted from a source prior: the shot count, the averaged models (intercept and
        /// weights each), then the source-prior base they take their inputs from.
        /// </summary>
        SourcePrior = 8,
    }

    private enum FeatureMap : byte
    {
        None = 0,
        Structured = 1,
        Hierarchical = 2,
    }

    /// <summary>Encodes <paramref name="predictor"/> (built on <paramref name="bases"/>) with free-text <paramref name="notes"/>.</summary>
    public static byte[] Encode(ILatencyPredictor predictor, IReadOnlyList<ILatencyPredictor> bases, IReadOnlyList<string> notes) =>
        TryEncode(predictor, bases, notes, out var unsupported)
            ?? throw new LatencyGateException(StoredAdaptationErrors.NotStorable, $"the adapted predictor cannot be stored: {unsupported}");

    /// <summary>As <see cref="Encode"/>, or null with the reason when some part is of a kind this codec does not know.</summary>
    public static byte[]? TryEncode(ILatencyPredictor predictor, IReadOnlyList<ILatencyPredictor> bases, IReadOnlyList<string> notes, out string? unsupported)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(bases.Count);
            writer.Write(notes.Count);
            foreach (var note in notes)
            {
                writer.Write(note);
            }

            unsupported = WriteNode(writer, predictor, bases, 0);
        }

        return unsupported is null ? stream.ToArray() : null;
    }

    /// <summary>Decodes a payload against the same bases (same order) the predictor was adapted from.</summary>
    public static StoredAdaptation Decode(byte[] payload, IReadOnlyList<ILatencyPredictor> bases)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
            if (payload.Length < Magic.Length + 2 || !reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw Malformed("not a stored adaptation");
            }

            var version = reader.ReadUInt16();
            if (version != Version)
            {
                throw Malformed($"stored adaptation version {version}; this tool reads version {Version}");
            }

            var baseCount = reader.ReadInt32();
            if (baseCount != bases.Count)
            {
                throw new LatencyGateException(StoredAdaptationErrors.BaseMismatch, $"the stored adaptation was made from {baseCount} base predictor(s), {bases.Count} given");
            }

            var notes = new string[ReadCount(reader, 1)];
            for (var i = 0; i < notes.Length; i++)
            {
                notes[i] = reader.ReadString();
            }

            var predictor = ReadNode(reader, bases, 0);
            if (reader.BaseStream.Position != payload.Length)
            {
                throw Malformed($"{payload.Length - reader.BaseStream.Position} unexpected trailing byte(s)");
            }

            return new StoredAdaptation(predictor, notes);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException or ArgumentException or OverflowException)
        {
            throw Malformed($"truncated or malformed ({ex.Message})");
        }
    }

    private static string? WriteNode(BinaryWriter writer, ILatencyPredictor predictor, IReadOnlyList<ILatencyPredictor> bases, int depth)
    {
        if (depth > MaxDepth)
        {
            return "adaptations nested too deeply";
        }

        // A base may itself be any predictor (a proxy's conformal predictor, say): it is referenced, never stored.
        for (var i = 0; i < bases.Count; i++)
        {
            if (ReferenceEquals(predictor, bases[i]))
            {
                writer.Write((byte)Node.Base);
                writer.Write(i);
                return null;
            }
        }

        switch (predictor)
        {
            case ConformalPredictor conformal:
                writer.Write((byte)Node.Conformal);
                ConformalPredictorCodec.Write(writer, conformal);
                return WriteNode(writer, conformal.Inner, bases, depth + 1);

            case AdaptedPredictor adapted:
                writer.Write((byte)Node.Adapted);
                writer.Write(adapted.Strategy);
                writer.Write(adapted.Scale);
                writer.Write(adapted.Offset);
                writer.Write(adapted.Lambda);
                if (WriteFeatureMap(writer, adapted.Correction is null ? null : adapted.Features) is { } badMap)
                {
                    return badMap;
                }

                WriteDoubles(writer, adapted.Features is null ? null : adapted.Correction);
                return WriteNode(writer, adapted.Base, bases, depth + 1);

            case HeadAdaptedPredictor head:
                writer.Write((byte)Node.Head);
                writer.Write(head.Lambda);
                writer.Write(head.Bias);
                WriteDoubles(writer, head.Weights);
                return WriteNode(writer, head.Trunk, bases, depth + 1);

            case FineTunedNetworkPredictor tuned:
                writer.Write((byte)Node.Network);
                WriteNetwork(writer, tuned);
                return WriteNode(writer, tuned.Base, bases, depth + 1);

            case LibraryEnsemblePredictor ensemble:
                writer.Write((byte)Node.Ensemble);
                WriteDoubles(writer, ensemble.Weights);
                foreach (var member in ensemble.Members)
                {
                    if (WriteNode(writer, member, bases, depth + 1) is { } badMember)
                    {
                        return badMember;
                    }
                }

                return null;

            case SourcePriorAdaptedPredictor fromPrior:
                writer.Write((byte)Node.SourcePrior);
                writer.Write(fromPrior.Shots);
                writer.Write(fromPrior.Adaptation.Models.Count);
                foreach (var model in fromPrior.Adaptation.Models)
                {
                    writer.Write(model.Intercept);
                    WriteDoubles(writer, model.Weights);
                }

                return WriteNode(writer, fromPrior.Base, bases, depth + 1);

            case LinearLatencyModel linear:
                writer.Write((byte)Node.Linear);
                writer.Write(linear.Space.Name);
                writer.Write(linear.DeviceName);
                writer.Write(linear.Coefficients.Intercept);
                WriteDoubles(writer, linear.Coefficients.Weights);
                return WriteFeatureMap(writer, linear.Features) is { } bad ? bad : null;

            default:
                return $"a {predictor.GetType().Name} ('{predictor.Description}') that is not one of the bases";
        }
    }

    private static ILatencyPredictor ReadNode(BinaryReader reader, IReadOnlyList<ILatencyPredictor> bases, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Malformed("adaptations nested too deeply");
        }

        var node = (Node)reader.ReadByte();
        switch (node)
        {
            case Node.Base:
                var index = reader.ReadInt32();
                return index >= 0 && index < bases.Count ? bases[index] : throw Malformed($"base index {index} out of range");

            case Node.Conformal:
                return ConformalPredictorCodec.Read(reader, ReadScores, () => ReadNode(reader, bases, depth + 1));

            case Node.Adapted:
            {
                var strategy = reader.ReadString();
                var scale = reader.ReadDouble();
                var offset = reader.ReadDouble();
                var lambda = reader.ReadDouble();
                var features = ReadFeatureMap(reader);
                var correction = ReadDoubles(reader);
                if ((features is null) != (correction is null) || (features is not null && features.FeatureNames.Count != correction!.Length))
                {
                    throw Malformed("a correction that does not match its feature map");
                }

                var inner = ReadNode(reader, bases, depth + 1);
                if (features is not null && FeatureSpace(features) != inner.Space)
                {
                    throw new LatencyGateException(StoredAdaptationErrors.BaseMismatch, $"the stored correction is for space {FeatureSpace(features).Name}, the base predicts {inner.Space.Name}");
                }

                return new AdaptedPredictor(inner, strategy, scale, offset, features, correction, lambda);
            }

            case Node.Head:
            {
                var lambda = reader.ReadDouble();
                var bias = reader.ReadDouble();
                var weights = ReadDoubles(reader) ?? throw Malformed("a head without weights");
                var inner = ReadNode(reader, bases, depth + 1);
                if (inner is not ITrunkModel trunk || trunk.HiddenSize != weights.Length)
                {
                    throw new LatencyGateException(StoredAdaptationErrors.BaseMismatch, $"the stored output layer ({weights.Length} weights) does not fit the base '{inner.Description}'");
                }

                return new HeadAdaptedPredictor(trunk, weights, bias, lambda);
            }

            case Node.Ensemble:
            {
                var weights = ReadDoubles(reader) ?? throw Malformed("an ensemble without weights");
                if (weights.Length == 0 || weights.Any(w => !double.IsFinite(w) || w < 0))
                {
                    throw Malformed("ensemble weights that are not finite and non-negative");
                }

                var members = new ILatencyPredictor[weights.Length];
                for (var i = 0; i < members.Length; i++)
                {
                    members[i] = ReadNode(reader, bases, depth + 1);
                    if (members[i].Space != members[0].Space)
                    {
                        throw new LatencyGateException(StoredAdaptationErrors.BaseMismatch, $"the stored ensemble's members predict spaces {members[0].Space.Name} and {members[i].Space.Name}");
                    }
                }

                return new LibraryEnsemblePredictor(members, weights);
            }

            case Node.Linear:
            {
                var space = OfaSpace.Get(reader.ReadString());
                var device = reader.ReadString();
                var intercept = reader.ReadDouble();
                var weights = ReadDoubles(reader) ?? throw Malformed("a linear model without weights");
                var features = ReadFeatureMap(reader) ?? throw Malformed("a linear model without a feature map");
                if (features.FeatureNames.Count != weights.Length || FeatureSpace(features) != space)
                {
                    throw Malformed("linear model weights that do not match their feature map");
                }

                return new LinearLatencyModel(features, space, weights, intercept, device);
            }

            case Node.Network:
                return ReadNetwork(reader, bases, depth);

            case Node.SourcePrior:
            {
                var shots = reader.ReadInt32();
                var models = new Monotonicity.LinearFit[ReadCount(reader, 2 * sizeof(double))];
                for (var i = 0; i < models.Length; i++)
                {
                    var intercept = reader.ReadDouble();
                    models[i] = new Monotonicity.LinearFit(intercept, ReadDoubles(reader) ?? throw Malformed("a source-prior model without weights"));
                }

                var inner = ReadNode(reader, bases, depth + 1);
                if (inner is not SourcePriorPredictor prior || models.Length == 0 || models.Any(m => m.Weights.Length != prior.Prior.RowLength))
                {
                    throw new LatencyGateException(StoredAdaptationErrors.BaseMismatch, $"the stored source-prior adaptation does not fit the base '{inner.Description}'");
                }

                return new SourcePriorAdaptedPredictor(prior, new Monotonicity.SourcePriorAdaptation(prior.Prior, models), shots);
            }

            default:
                throw Malformed($"unknown node {(byte)node}");
        }
    }

    private static void WriteNetwork(BinaryWriter writer, FineTunedNetworkPredictor tuned)
    {
        var t = tuned.Tuned;
        writer.Write(tuned.Lambda);
        writer.Write(tuned.Scale);
        writer.Write(tuned.Offset);
        writer.Write(t.TargetScaler.Shift);
        writer.Write(t.TargetScaler.Scale);
        writer.Write(t.BaseInputScaler.Shift);
        writer.Write(t.BaseInputScaler.Scale);
        var layers = t.Network!.Layers;
        writer.Write(layers.Count);
        foreach (var layer in layers)
        {
            WriteFloats(writer, layer.Weight.Data);
            WriteFloats(writer, layer.Bias);
        }

        WriteDoubles(writer, t.Additive?.Weights);
        writer.Write(t.Additive?.Intercept ?? 0.0);
    }

    private static FineTunedNetworkPredictor ReadNetwork(BinaryReader reader, IReadOnlyList<ILatencyPredictor> bases, int depth)
    {
        var lambda = reader.ReadDouble();
        var scale = reader.ReadDouble();
        var offset = reader.ReadDouble();
        var target = new Learning.TargetScaler(reader.ReadDouble(), reader.ReadDouble());
        var input = new Learning.TargetScaler(reader.ReadDouble(), reader.ReadDouble());
        var layerCount = ReadCount(reader, 8);
        var parts = new (float[] Weights, float[] Bias)[layerCount];
        for (var l = 0; l < layerCount; l++)
        {
            parts[l] = (ReadFloats(reader), ReadFloats(reader));
        }

        var costs = ReadDoubles(reader);
        var intercept = reader.ReadDouble();
        var inner = ReadNode(reader, bases, depth + 1);
        if (inner is not LearnedLatencyPredictor { Network: { } network } learned
            || network.Layers.Count != layerCount
            || !network.Layers.Select((layer, l) => layer.Weight.Data.Length == parts[l].Weights.Length && layer.Bias.Length == parts[l].Bias.Length).All(ok => ok)
            || (learned.Additive is null) != (costs is null)
            || (learned.Additive is not null && learned.Additive.Weights.Length != costs!.Length))
        {
            throw new LatencyGateException(StoredAdaptationErrors.BaseMismatch, $"the stored fine-tuned network does not fit the base '{inner.Description}'");
        }

        var layers = network.Layers.Select((layer, l) => new Learning.DenseLayer(new Learning.Matrix(layer.Outputs, layer.Inputs, parts[l].Weights), parts[l].Bias, layer.Activation)).ToArray();
        var additive = learned.Additive is null ? null : new AdditiveLatencyModel(learned.Additive.Knots, costs!, intercept) { Lambda = learned.Additive.Lambda };
        var tuned = new LearnedLatencyPredictor(learned.Space, learned.Kind, new Learning.Mlp(layers), target, additive, input, learned.Device);
        return new FineTunedNetworkPredictor(learned, tuned, lambda, scale, offset);
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    private static float[] ReadFloats(BinaryReader reader)
    {
        var values = new float[ReadCount(reader, sizeof(float))];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadSingle();
        }

        return values;
    }

    private static string? WriteFeatureMap(BinaryWriter writer, IFeatureMap? features)
    {
        switch (features)
        {
            case null:
                writer.Write((byte)FeatureMap.None);
                return null;
            case StructuredFeatures s:
                writer.Write((byte)FeatureMap.Structured);
                writer.Write(s.Space.Name);
                return null;
            case HierarchicalFeatures h:
                writer.Write((byte)FeatureMap.Hierarchical);
                writer.Write(h.Space.Name);
                return null;
            default:
                return $"a feature map '{features.Name}' this codec does not know";
        }
    }

    private static IFeatureMap? ReadFeatureMap(BinaryReader reader) => (FeatureMap)reader.ReadByte() switch
    {
        FeatureMap.None => null,
        FeatureMap.Structured => new StructuredFeatures(OfaSpace.Get(reader.ReadString())),
        FeatureMap.Hierarchical => new HierarchicalFeatures(OfaSpace.Get(reader.ReadString())),
        var other => throw Malformed($"unknown feature map {(byte)other}"),
    };

    private static OfaSpace FeatureSpace(IFeatureMap features) => features switch
    {
        StructuredFeatures s => s.Space,
        HierarchicalFeatures h => h.Space,
        _ => throw Malformed($"unknown feature map '{features.Name}'"),
    };

    private static void WriteDoubles(BinaryWriter writer, IReadOnlyList<double>? values)
    {
        writer.Write(values is null ? -1 : values.Count);
        foreach (var v in values ?? [])
        {
            writer.Write(v);
        }
    }

    private static double[]? ReadDoubles(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count == -1)
        {
            return null;
        }

        var values = new double[CheckCount(reader, count, sizeof(double))];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadDouble();
        }

        return values;
    }

    private static double[] ReadScores(BinaryReader reader)
    {
        var scores = ReadDoubles(reader) ?? throw Malformed("missing conformal scores");
        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]) || scores[i] < 0 || (i > 0 && scores[i] < scores[i - 1]))
            {
                throw Malformed("conformal scores that are not finite, non-negative and sorted");
            }
        }

        return scores;
    }

    private static int ReadCount(BinaryReader reader, int minimumItemBytes) => CheckCount(reader, reader.ReadInt32(), minimumItemBytes);

    /// <summary>A count that the remaining bytes could hold, so a corrupt length cannot allocate gigabytes.</summary>
    private static int CheckCount(BinaryReader reader, int count, int itemBytes)
    {
        var remaining = reader.BaseStream.Length - reader.BaseStream.Position;
        return count >= 0 && (long)count * itemBytes <= remaining ? count : throw Malformed($"a count of {count} with {remaining} byte(s) left");
    }

    private static LatencyGateException Malformed(string what) =>
        new(StoredAdaptationErrors.Malformed, $"stored adaptation is unreadable: {what}");
}

/// <summary>A decoded adaptation: the predictor (on the given bases) and the notes stored with it.</summary>
internal sealed record StoredAdaptation(ILatencyPredictor Predictor, IReadOnlyList<string> Notes);
