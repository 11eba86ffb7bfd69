using Xunit;

namespace LatencyGate.Tests.EndToEnd;

/// <summary>One pack for every end-to-end test; the builds run one at a time (2-core machine).</summary>
[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "MSBuild end-to-end";
}
