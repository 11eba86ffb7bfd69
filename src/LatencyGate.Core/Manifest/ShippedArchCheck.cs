using LatencyGate.Diagnostics;
using LatencyGate.Spaces;

namespace LatencyGate.Manifest;

/// <summary>
/// Reads the shipped arch in the manifest's space; its problems (bad values, wrong lengths, not an
/// arch at all) are reported at the manifest line naming the file, with the arch's own code.
/// </summary>
internal sealed class ShippedArchCheck : IManifestCheck
{
    /// <summary>The shipped arch: its file, or the key written in its place.</summary>
    public static Arch Read(PathRef path, OfaSpace space) => path.IsArchKey
        ? ArchKey.Parse(path.Text, space, path.Location)
        : ArchJson.ReadFile(path.FullPath, space);

    public void Check(LatencyGateManifest manifest, DiagnosticBag diagnostics)
    {
        if (manifest.ShippedArch is not { } path)
        {
            return;
        }

        try
        {
            Read(path, manifest.Space.Value);
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
