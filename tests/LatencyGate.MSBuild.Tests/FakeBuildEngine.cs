using System.Collections;
using Microsoft.Build.Framework;

namespace LatencyGate.Tests;

/// <summary>Records what a task logs, the way MSBuild's loggers would receive it.</summary>
internal sealed class FakeBuildEngine : IBuildEngine
{
    public FakeBuildEngine(string projectFile) => ProjectFileOfTaskNode = projectFile;

    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<BuildWarningEventArgs> Warnings { get; } = [];

    public List<BuildMessageEventArgs> Messages { get; } = [];

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode { get; }

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException();

    public void LogCustomEvent(CustomBuildEventArgs e)
    {
    }

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);

    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
}
