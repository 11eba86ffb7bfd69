using LatencyGate.Files;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Files;

/// <summary>The temporary files a hard stop (2 s after Ctrl-C) deletes before the process ends.</summary>
public sealed class PendingTempsTests
{
    [Fact]
    public void A_write_in_progress_is_pending_and_a_hard_stop_deletes_its_temp_file()
    {
        var folder = Directory.CreateTempSubdirectory("lg-pending-").FullName;
        try
        {
            var output = Path.Combine(folder, "out.bin");
            // Only this test's files: other tests may be writing at the same time.
            bool Mine(string path) => path.StartsWith(folder, StringComparison.Ordinal);
            var failure = Should.Throw<LatencyGate.Diagnostics.LatencyGateException>(() => OutputFile.Write(output, stream =>
            {
                stream.WriteByte(1);
                // Mid-write, as a hard stop finds it: the temp file exists and is pending.
                var temp = Directory.GetFiles(folder).Single();
                PendingTemps.Contains(temp).ShouldBeTrue();
                PendingTemps.DeleteAll(Mine).ShouldBe(1);
                File.Exists(temp).ShouldBeFalse();
            }, "a test file"));

            // The rename of the deleted temp file fails: reported, and nothing is left.
            failure.Diagnostics[0].Code.ShouldBe("LG0045");
            Directory.GetFiles(folder).ShouldBeEmpty();
            PendingTemps.DeleteAll(Mine).ShouldBe(0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_finished_write_leaves_nothing_pending()
    {
        var folder = Directory.CreateTempSubdirectory("lg-pending-").FullName;
        try
        {
            string? temp = null;
            OutputFile.Write(Path.Combine(folder, "done.txt"), stream =>
            {
                stream.WriteByte((byte)'x');
                temp = Directory.GetFiles(folder).Single();
            }, "a test file");
            PendingTemps.Contains(temp!).ShouldBeFalse();
            Directory.GetFiles(folder).Select(Path.GetFileName).ShouldBe(["done.txt"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
