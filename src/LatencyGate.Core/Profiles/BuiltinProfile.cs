namespace LatencyGate.Profiles;

/// <summary>
/// Published data shipped inside the tool, addressed as <c>builtin:NAME</c> wherever a lookup-table
/// folder or an accuracy predictor file is accepted.
/// </summary>
internal sealed record BuiltinProfile(string Name, BuiltinProfileKind Kind, string Space, string Description, string Source, string Licence)
{
    public string Reference => BuiltinProfiles.Prefix + Name;

    public string KindName => Kind == BuiltinProfileKind.LookupTables ? "latency lookup tables" : "accuracy predictor";
}
