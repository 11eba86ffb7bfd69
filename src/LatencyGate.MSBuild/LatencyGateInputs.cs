using LatencyGate.Workflows;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LatencyGate.MSBuild;

/// <summary>
/// The <c>LatencyGateInputs</c> task: the manifest and every file it references, as the gate
/// target's Inputs, so that an unchanged project skips the gate. Never fails the build: a
/// manifest it cannot read yields just itself, and the gate then reports why.
/// </summary>
public sealed class LatencyGateInputs : Microsoft.Build.Utilities.Task
{
    [Required]
    public string Manifest { get; set; } = string.Empty;

    [Output]
    public ITaskItem[] Inputs { get; private set; } = [];

    /// <summary>Seam for unit tests; the real resolver otherwise.</summary>
    internal Func<string, IReadOnlyList<string>> Resolve { get; set; } = GateRunner.ListInputs;

    public override bool Execute()
    {
        var manifest = Path.GetFullPath(Manifest);
        IReadOnlyList<string> files;
        try
        {
            files = Resolve(manifest);
        }
#pragma warning disable CA1031 // inputs are an optimisation: on any failure, re-run the gate and let it report
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LogMessage(MessageImportance.Low, "LatencyGate: could not list the manifest's inputs ({0}); the gate will run", ex.Message);
            files = [manifest];
        }

        // Folders are already expanded to their files by the core (Gating.InputFiles): an edited
        // lookup table inside a referenced folder re-runs the gate.
        Inputs = [.. files.Distinct(StringComparer.Ordinal).Select(f => new TaskItem(f))];
        return true;
    }
}
