using LatencyGate.Diagnostics;
using LatencyGate.Spaces;

namespace LatencyGate.Manifest;

/// <summary>
/// Reads the shipped arch in the manifest's space; its problems (bad values, wrong lengths, not an
/// arch at all) are reported at the manifest line naming the file, with the arch's own code.
/// </summary>
internal sealed class ShippedArchCheck : IManifestCheck
{
    public void Check(LatencyGateManifest manifest, DiagnosticBag diagnostics)
    {
        if (manifest.ShippedArch is not { } path)
        {
            return;
        }

        try
        {
            ArchJson.ReadFile(path.FullPath, manifest.Space.Value);
        }
        catch (LatencyGateException ex)
        {
            foreach (var d in ex.Diagnostics)
            {
                diagnostics.Add(d with { Message = $"model arch '{EchoText.Cut(path.Text)}': {d.Message}", Location = path.Location });
            }
        }
    }
}
