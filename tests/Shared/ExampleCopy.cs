namespace LatencyGate.Tests;

/// <summary>
/// Copies an example folder (e.g. examples/fleet) for a run, leaving out what runs write beside the
/// manifest (reports, the predictor cache), so tests and benchmarks never write into the repository.
/// </summary>
internal static class ExampleCopy
{
    public static string Copy(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "latency-gate-reports" or ".latency-gate")
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
