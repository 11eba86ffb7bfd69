using System.Runtime.CompilerServices;
using Shouldly;

namespace LatencyGate.Tests.Reporting;

/// <summary>
/// Approved-file snapshots: output is compared with <c>Approved/NAME.approved.txt</c> next to this
/// file; on a mismatch (or when none exists yet) <c>NAME.received.txt</c> is written beside it for
/// review, and the test fails. Approve by renaming received to approved.
/// </summary>
internal static class Approved
{
    public static void Verify(string name, string actual, [CallerFilePath] string callerFile = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(callerFile)!, "Approved");
        var approvedPath = Path.Combine(folder, name + ".approved.txt");
        var receivedPath = Path.Combine(folder, name + ".received.txt");
        var normalized = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (approved == normalized)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedPath, normalized);
        approved.ShouldBe(normalized, $"output differs from {approvedPath}; see {receivedPath}");
    }
}
