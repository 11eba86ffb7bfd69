using System.Globalization;
using System.Numerics;
using LatencyGate.Diagnostics;
using LatencyGate.Predictors.Profiles;

namespace LatencyGate.Manifest;

/// <summary>Typed reads of scalar nodes; each failure is one diagnostic naming what was expected.</summary>
internal sealed class ScalarReader(DiagnosticBag bag, string baseDirectory)
{
    public DiagnosticBag Bag { get; } = bag;

    public Located<string>? String(YamlNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        if (node.Kind != YamlNodeKind.Scalar || node.IsNull)
        {
            Bag.Error(ManifestErrors.WrongType, $"{what} must be a text value; got {node.Describe()}", node.Location);
            return null;
        }

        return new(node.Text, node.Location);
    }

    public Located<double>? Number(YamlNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        if (node.Kind == YamlNodeKind.Scalar && node.IsPlain && TryParseDouble(node.Text, out var value))
        {
            if (!double.IsFinite(value))
            {
                Bag.Error(ManifestErrors.OutOfRange, $"{what} must be a finite number; got {node.Describe()}", node.Location);
                return null;
            }

            return new(value, node.Location);
        }

        Bag.Error(ManifestErrors.WrongType, $"{what} must be a number; got {node.Describe()}{NumberHint(node, what)}", node.Location);
        return null;
    }

    /// <summary>
    /// What to change when a number was almost written: quoted ("25" is text in YAML) or with a unit
    /// (25ms, 1.5 s): the two first mistakes with a budget.
    /// </summary>
    private static string NumberHint(YamlNode node, string what)
    {
        if (node.Kind != YamlNodeKind.Scalar || node.IsNull)
        {
            return string.Empty;
        }

        var text = node.Text.Trim();
        if (!node.IsPlain && TryParseDouble(text, out _))
        {
            return $", which is quoted text: write {text} without quotes";
        }

        var unit = text.Length;
        while (unit > 0 && (char.IsLetter(text[unit - 1]) || text[unit - 1] is '%' or 'µ'))
        {
            unit--;
        }

        if (unit == text.Length || unit == 0 || !TryParseDouble(text[..unit].TrimEnd(), out _))
        {
            return string.Empty;
        }

        var inName = what.Contains("_ms'", StringComparison.Ordinal) ? " (the unit, milliseconds, is in the key's name)" : string.Empty;
        return $": write the number alone, without '{text[unit..]}'{inName}";
    }

    /// <summary>A seed: a whole number from 0 to 2^64 - 1, written without a sign.</summary>
    public Located<ulong>? Seed(YamlNode? node, string what) => Whole<ulong>(node, what, NumberStyles.None, "a whole number ≥ 0");

    public Located<long>? Integer(YamlNode? node, string what) => Whole<long>(node, what, NumberStyles.AllowLeadingSign, "a whole number");

    private Located<T>? Whole<T>(YamlNode? node, string what, NumberStyles styles, string expected)
        where T : struct, IBinaryInteger<T>
    {
        if (node is null)
        {
            return null;
        }

        if (node.Kind == YamlNodeKind.Scalar && node.IsPlain && T.TryParse(node.Text, styles, CultureInfo.InvariantCulture, out var value))
        {
            return new(value, node.Location);
        }

        Bag.Error(ManifestErrors.WrongType, $"{what} must be {expected}; got {node.Describe()}", node.Location);
        return null;
    }

    /// <summary>A whole number within [min, max]; the range is part of the message when it is broken.</summary>
    public Located<int>? Int(YamlNode? node, string what, int min, int max)
    {
        var v = Integer(node, what);
        if (v is null)
        {
            return null;
        }

        if (v.Value < min || v.Value > max)
        {
            var range = max == int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"at least {min}")
                : string.Create(CultureInfo.InvariantCulture, $"between {min} and {max}");
            Bag.Error(ManifestErrors.OutOfRange, string.Create(CultureInfo.InvariantCulture, $"{what} must be {range}; got {v.Value}"), v.Location);
            return null;
        }

        return new((int)v.Value, v.Location);
    }

    public Located<bool>? Bool(YamlNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        if (node.Kind == YamlNodeKind.Scalar && node.IsPlain)
        {
            switch (node.Text)
            {
                case "true" or "True" or "TRUE" or "on" or "yes":
                    return new(true, node.Location);
                case "false" or "False" or "FALSE" or "off" or "no":
                    return new(false, node.Location);
            }
        }

        Bag.Error(ManifestErrors.WrongType, $"{what} must be true or false; got {node.Describe()}", node.Location);
        return null;
    }

    /// <summary>A number strictly between 0 and 1 (confidence, accuracy floor).</summary>
    public Located<double>? OpenFraction(YamlNode? node, string what)
    {
        var v = Number(node, what);
        if (v is not null && (v.Value <= 0 || v.Value >= 1))
        {
            Bag.Error(ManifestErrors.OutOfRange, string.Create(CultureInfo.InvariantCulture, $"{what} must be strictly between 0 and 1 (for example 0.95); got {v.Value}"), v.Location);
            return null;
        }

        return v;
    }

    /// <summary>A number in [min, max] (inclusive).</summary>
    public Located<double>? Between(YamlNode? node, string what, double min, double max)
    {
        var v = Number(node, what);
        if (v is not null && (v.Value < min || v.Value > max))
        {
            Bag.Error(ManifestErrors.OutOfRange, string.Create(CultureInfo.InvariantCulture, $"{what} must be between {min} and {max}; got {v.Value}"), v.Location);
            return null;
        }

        return v;
    }

    /// <summary>A number greater than zero (budgets, hardware figures).</summary>
    public Located<double>? Positive(YamlNode? node, string what)
    {
        var v = Number(node, what);
        if (v is not null && v.Value <= 0)
        {
            Bag.Error(ManifestErrors.OutOfRange, string.Create(CultureInfo.InvariantCulture, $"{what} must be greater than 0; got {v.Value}"), v.Location);
            return null;
        }

        return v;
    }

    public Located<string>? Choice(YamlNode? node, string what, IReadOnlyList<string> choices)
    {
        var v = String(node, what);
        if (v is null)
        {
            return null;
        }

        var match = choices.FirstOrDefault(c => string.Equals(c, v.Value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Bag.Error(
                ManifestErrors.UnknownChoice,
                $"{what} '{EchoText.Cut(v.Value)}' is not supported{DidYouMean.Hint(v.Value, choices)}; expected one of: {string.Join(", ", choices)}",
                v.Location);
            return null;
        }

        return new(match, v.Location);
    }

    /// <summary>A path relative to the manifest; <paramref name="mustExist"/> says what has to be there.</summary>
    /// <summary>
    /// A path relative to the manifest that must exist as <paramref name="mustExist"/> says; where
    /// <paramref name="builtin"/> is given, <c>builtin:NAME</c> names a built-in profile of that kind instead;
    /// with <paramref name="macsBase"/>, <c>builtin:macs</c> names the analytic MACs base (a finetune base).
    /// </summary>
    public PathRef? Path(YamlNode? node, string what, PathKind mustExist, BuiltinProfileKind? builtin = null, bool macsBase = false)
    {
        var v = String(node, what);
        if (v is null)
        {
            return null;
        }

        if (macsBase && Predictors.MacsBasePredictor.IsReference(v.Value))
        {
            return new PathRef(Predictors.MacsBasePredictor.Reference, Predictors.MacsBasePredictor.Reference, v.Location);
        }

        if (BuiltinProfiles.IsReference(v.Value))
        {
            if (builtin is not { } kind)
            {
                Bag.Error(ManifestErrors.WrongType, $"{what} must be a file path; built-in profiles ('{EchoText.Cut(v.Value)}') are accepted for lookup tables and the accuracy predictor only", v.Location);
                return null;
            }

            try
            {
                var profile = BuiltinProfiles.Resolve(v.Value, kind, v.Location, macsBase ? [Predictors.MacsBasePredictor.Reference] : null);
                return new PathRef(profile.Reference, profile.Reference, v.Location);
            }
            catch (LatencyGateException ex)
            {
                foreach (var d in ex.Diagnostics)
                {
                    Bag.Add(d);
                }

                return null;
            }
        }

        // A manifest written on Windows ("..\\tables\\note10") means the same folder everywhere.
        if (System.IO.Path.DirectorySeparatorChar == '/' && v.Value.Contains('\\', StringComparison.Ordinal))
        {
            v = v with { Value = v.Value.Replace('\\', '/') };
        }

        if (v.Value.Length == 0 || v.Value.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0 || v.Value.Contains('\0', StringComparison.Ordinal))
        {
            Bag.Error(ManifestErrors.WrongType, $"{what} must be a file path; got {node!.Describe()}", v.Location);
            return null;
        }

        string full;
        try
        {
            full = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, v.Value));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            Bag.Error(ManifestErrors.WrongType, $"{what} must be a file path; got {node!.Describe()}", v.Location);
            return null;
        }

        var path = new PathRef(v.Value, full, v.Location);
        var ok = mustExist switch
        {
            PathKind.File => File.Exists(full),
            PathKind.Directory => Directory.Exists(full),
            PathKind.FileOrDirectory => File.Exists(full) || Directory.Exists(full),
            _ => true,
        };
        if (!ok)
        {
            var kind = mustExist switch
            {
                PathKind.File => Directory.Exists(full) ? "a file, but it is a folder" : "a file",
                PathKind.Directory => File.Exists(full) ? "a folder, but it is a file" : "a folder",
                _ => "a file or folder",
            };
            Bag.Error(ManifestErrors.PathNotFound, $"{what} '{EchoText.Cut(v.Value)}' not found: expected {kind} at {full} (paths are relative to the manifest)", v.Location);
            return null;
        }

        return path;
    }

    private static bool TryParseDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}

internal enum PathKind
{
    Any,
    File,
    Directory,
    FileOrDirectory,
}
