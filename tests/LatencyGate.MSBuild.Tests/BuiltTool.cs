using System.Reflection;
using Shouldly;

namespace LatencyGate.Tests;

/// <summary>This repository's build of the tool, as the task's <c>LatencyGateMeasureCommand</c> would name it.</summary>
internal static class BuiltTool
{
    /// <summary><c>dotnet "path/to/LatencyGate.Cli.dll"</c>, built with the solution in the test's configuration (the project references it).</summary>
    public static string Command
    {
        get
        {
            var configuration = typeof(BuiltTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LatencyGate.sln")))
            {
                dir = dir.Parent;
            }

            var dll = Path.Combine(dir!.FullName, "src", "LatencyGate.Cli", "bin", configuration, "net10.0", "LatencyGate.Cli.dll");
            File.Exists(dll).ShouldBeTrue($"the tool is built with the solution: {dll}");
            return $"dotnet \"{dll}\"";
        }
    }
}
