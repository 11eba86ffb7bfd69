namespace LatencyGate.Profiles;

/// <summary>Diagnostic codes for built-in profiles (LG0420–LG0429, see docs/diagnostics.md).</summary>
internal static class ProfileErrors
{
    /// <summary><c>builtin:NAME</c> names no built-in profile.</summary>
    public const string Unknown = "LG0420";

    /// <summary>A built-in profile of the other kind (an accuracy predictor where lookup tables are expected, or the reverse).</summary>
    public const string WrongKind = "LG0421";

    /// <summary>A built-in profile of another space than the manifest's or the command's.</summary>
    public const string WrongSpace = "LG0422";
}
