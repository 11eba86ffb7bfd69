using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors.Lut;
using LatencyGate.Spaces;

namespace LatencyGate.Predictors.Profiles;

/// <summary>
/// The built-in profiles: OFA's published Samsung Note10 latency tables and OFA's MobileNetV3 w1.2
/// accuracy predictor (mit-han-lab/once-for-all, MIT; THIRD-PARTY-NOTICES.md), embedded gzip-compressed
/// so a first run needs no data from anywhere.
/// </summary>
internal static class BuiltinProfiles
{
    public const string Prefix = "builtin:";

    public const string Note10 = "note10";
    public const string OfaAccuracy = "ofa-w1.2";

    private const string ResourcePrefix = "LatencyGate.Profiles.";

    // The decompressed weights must be exactly OFA's acc_predictor.pth tensors (converted without torch).
    private const string AccuracySha256 = "b8928695b043d34292765ec1c014ad369c635996871f08d27a52d34fccb3919d";

    private const string OfaSource = "mit-han-lab/once-for-all";
    private const string OfaLicence = "MIT (Copyright (c) 2021 Han Cai); see THIRD-PARTY-NOTICES.md";

    private static readonly Lazy<IReadOnlyList<LutTable>> Note10Tables = new(ReadNote10);
    private static readonly Lazy<OfaAccuracyPredictor> Accuracy = new(ReadAccuracy);

    public static IReadOnlyList<BuiltinProfile> All { get; } =
    [
        new(Note10, BuiltinProfileKind.LookupTables, OfaSpace.W12.Name,
            "Samsung Galaxy Note10, per-layer latency (ms), 17 resolutions 160..224 step 4 (OFA's published tables)",
            OfaSource + " @ 698a5c1: tutorial/checkpoints/latency_table@note10", OfaLicence),
        new(OfaAccuracy, BuiltinProfileKind.AccuracyPredictor, OfaSpace.W12.Name,
            "OFA's ImageNet top-1 accuracy predictor, MLP 128-400-400-400-1 (the tutorial's)",
            OfaSource + " @ 698a5c1: tutorial/checkpoints/acc_predictor.pth", OfaLicence),
    ];

    /// <summary>True for text of the form <c>builtin:NAME</c>.</summary>
    public static bool IsReference(string? text) => text is not null && text.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// The profile <paramref name="reference"/> names, of the given kind; an unknown name (with a
    /// did-you-mean) or a profile of the other kind is an error at <paramref name="location"/>.
    /// <paramref name="alsoAccepted"/> are other <c>builtin:</c> names the caller takes there (a base
    /// takes <c>builtin:macs</c>), listed and suggested with the profiles.
    /// </summary>
    public static BuiltinProfile Resolve(string reference, BuiltinProfileKind kind, SourceLocation? location = null, IReadOnlyList<string>? alsoAccepted = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var name = reference.StartsWith(Prefix, StringComparison.Ordinal) ? reference[Prefix.Length..] : reference;
        var profile = All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        var ofKind = All.Where(p => p.Kind == kind).Select(p => p.Reference).ToArray();
        if (profile is null)
        {
            // 'builtin:mac' for a base was told only of builtin:note10.
            var also = alsoAccepted ?? [];
            var guess = DidYouMean.Closest(Prefix + name, [.. ofKind, .. also]);
            throw new LatencyGateException(
                ProfileErrors.Unknown,
                $"unknown built-in profile '{reference}'{(guess is null ? string.Empty : $" (did you mean '{guess}'?)")}; built-in {KindName(kind)}: {string.Join(", ", ofKind)}{(also.Count == 0 ? string.Empty : $"; also taken here: {string.Join(", ", also)}")} ('dotnet latency-gate profiles' lists them)",
                location);
        }

        if (profile.Kind != kind)
        {
            throw new LatencyGateException(
                ProfileErrors.WrongKind,
                $"'{profile.Reference}' is built-in {profile.KindName}, not {KindName(kind)}; built-in {KindName(kind)}: {string.Join(", ", ofKind)}",
                location);
        }

        return profile;
    }

    /// <summary>The built-in lookup tables as a predictor for <paramref name="space"/> (they must be of that space).</summary>
    public static LookupTablePredictor LoadLookupTables(string reference, OfaSpace space, bool interpolate, SourceLocation? location = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        var profile = Resolve(reference, BuiltinProfileKind.LookupTables, location);
        RequireSpace(profile, space, location);
        return LookupTablePredictor.FromTables(profile.Reference, LookupTables(profile.Reference, location), space, interpolate);
    }

    /// <summary>OFA's accuracy predictor; it scores archs of <paramref name="space"/> only when that is its own space.</summary>
    public static OfaAccuracyPredictor LoadAccuracyPredictor(string reference, OfaSpace? space = null, SourceLocation? location = null)
    {
        var profile = Resolve(reference, BuiltinProfileKind.AccuracyPredictor, location);
        if (space is not null)
        {
            RequireSpace(profile, space, location);
        }

        return Accuracy.Value;
    }

    internal static IReadOnlyList<LutTable> LookupTables(string reference, SourceLocation? location = null)
    {
        Resolve(reference, BuiltinProfileKind.LookupTables, location);
        return Note10Tables.Value;
    }

    private static void RequireSpace(BuiltinProfile profile, OfaSpace space, SourceLocation? location)
    {
        if (!string.Equals(profile.Space, space.Name, StringComparison.Ordinal))
        {
            throw new LatencyGateException(
                ProfileErrors.WrongSpace,
                $"'{profile.Reference}' ({profile.KindName}) is for space {profile.Space}, not {space.Name}; use space: {profile.Space} (or --space {profile.Space})",
                location);
        }
    }

    private static string KindName(BuiltinProfileKind kind) => kind == BuiltinProfileKind.LookupTables ? "latency lookup tables" : "accuracy predictors";

    private static List<LutTable> ReadNote10()
    {
        var tables = new List<LutTable>();
        var prefix = ResourcePrefix + Note10 + ".";
        foreach (var resource in typeof(BuiltinProfiles).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = resource[prefix.Length..^".gz".Length];
            var resolution = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            using var reader = new StreamReader(Decompress(resource));
            tables.Add(LutTable.Parse(reader.ReadToEnd(), $"{Prefix}{Note10}/{file}", resolution));
        }

        return tables;
    }

    private static OfaAccuracyPredictor ReadAccuracy()
    {
        using var stream = Decompress(ResourcePrefix + OfaAccuracy + ".acc_predictor.f32.bin.gz");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), AccuracySha256, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the built-in accuracy predictor resource is corrupt (sha256 mismatch)");
        }

        IReadOnlyList<(string Name, int[] Shape)> layout =
        [
            ("0.weight", [400, 128]), ("0.bias", [400]),
            ("2.weight", [400, 400]), ("2.bias", [400]),
            ("4.weight", [400, 400]), ("4.bias", [400]),
            ("6.weight", [1, 400]), ("6.bias", [1]),
        ];
        var tensors = RawWeightFile.Parse(bytes, layout, Prefix + OfaAccuracy);
        return OfaAccuracyPredictor.FromStateDict(tensors, Prefix + OfaAccuracy);
    }

    private static GZipStream Decompress(string resource)
    {
        var stream = typeof(BuiltinProfiles).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the built-in profile resource '{resource}' is missing from the build");
        return new GZipStream(stream, CompressionMode.Decompress);
    }
}
