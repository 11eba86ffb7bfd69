using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Files;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Files;

public sealed class CsvTests
{
    [Fact]
    public void Written_records_read_back_to_the_same_fields()
    {
        // Any text, commas, quotes and line breaks included, survives Row then Records and Fields.
        var field = Gen.Elements(",", "\"", "\n", "\r\n", "a", "{'ks': [3, 5]}", " ", "é").ListOf().Select(parts => string.Concat(parts));
        Prop.ForAll(field.ArrayOf().Where(f => f.Length > 0).ToArbitrary(), fields =>
        {
            var text = Csv.Row(fields) + "\n" + Csv.Row(["next", "row"]) + "\n";
            var records = Csv.Records(text);
            records.Count.ShouldBe(3);
            Csv.Fields(records[0].Text).ShouldBe(fields);
            records[1].Line.ShouldBe(1 + fields.Sum(f => f.Count(c => c == '\n')) + 1);
            Csv.Fields(records[1].Text).ShouldBe(["next", "row"]);
            records[2].Text.ShouldBeEmpty();
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Fields_are_quoted_only_when_needed()
    {
        Csv.Field("plain").ShouldBe("plain");
        Csv.Field("a,b").ShouldBe("\"a,b\"");
        Csv.Field("say \"hi\"").ShouldBe("\"say \"\"hi\"\"\"");
        Csv.Row(["x", "1,2", "3"]).ShouldBe("x,\"1,2\",3");
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_first_field()
    {
        Csv.Fields(Csv.Records(Csv.WithoutByteOrderMark("\uFEFFarch,latency_ms\n"))[0].Text).ShouldBe(["arch", "latency_ms"]);
    }
}
