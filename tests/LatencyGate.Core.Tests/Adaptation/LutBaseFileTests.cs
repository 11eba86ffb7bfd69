using FsCheck;
using FsCheck.Fluent;
using LatencyGate.Adaptation;
using LatencyGate.Diagnostics;
using LatencyGate.Learning.WeightFiles;
using LatencyGate.Predictors.Lut;
using LatencyGate.Predictors.Profiles;
using LatencyGate.Spaces;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Adaptation;

/// <summary>
/// A lookup-table base as an adapted file stores it (<see cref="LutBaseFile"/>): embedded tables read back
/// to the same predictions bit for bit, the content hash ignores what the predictor never reads, and a
/// mutated base (any key, any value) is a coded error, never another exception.
/// </summary>
public sealed class LutBaseFileTests
{
    private const string FilePath = "/tmp/adapted.safetensors";

    /// <summary>Three of the built-in Note10 tables, as if read from a folder (so they are embedded).</summary>
    private static LookupTablePredictor Folder(bool interpolate = false) =>
        LookupTablePredictor.FromTables("/data/note10-copy", [.. BuiltinProfiles.LookupTables("builtin:note10").Where(t => t.Resolution is 160 or 192 or 224)], OfaSpace.W12, interpolate);

    private static Dictionary<string, string> Stored(LookupTablePredictor lut) => PredictorFile.ToMap(LutBaseFile.ToMetadata(lut));

    private static LookupTablePredictor Load(IReadOnlyDictionary<string, string> map) =>
        LutBaseFile.FromMetadata(PredictorFile.FromMap(map, FilePath), FilePath, OfaSpace.W12);

    [Fact]
    public void Embedded_tables_predict_bit_for_bit_what_the_folder_did_interpolation_included()
    {
        var lut = Folder(interpolate: true);
        var loaded = Load(Stored(lut));
        loaded.Description.ShouldBe(lut.Description);
        loaded.InAdaptedFile.ShouldBeTrue();
        foreach (var arch in AdaptationTestData.RandomArchs(50, 9).Where(a => a.Resolution is >= 160 and <= 224))
        {
            BitConverter.DoubleToInt64Bits(loaded.Predict(arch)).ShouldBe(BitConverter.DoubleToInt64Bits(lut.Predict(arch)));
        }
    }

    [Fact]
    public void A_builtin_base_is_referenced_and_its_hash_is_the_one_of_the_tools_tables()
    {
        var builtin = LookupTablePredictor.Load("builtin:note10", OfaSpace.W12);
        var map = Stored(builtin);
        map["lut_source"].ShouldBe("builtin:note10");
        map.Keys.ShouldNotContain(k => k.StartsWith("lut_table.", StringComparison.Ordinal));
        var loaded = Load(map);
        loaded.Description.ShouldBe(builtin.Description);
        Stored(loaded)["lut_source"].ShouldBe("builtin:note10", "a base read back from a file keeps its origin");

        map["lut_sha256"] = LutContent.Sha256(Folder().Tables);
        Should.Throw<LatencyGateException>(() => Load(map)).Diagnostics.Single().Code.ShouldBe(AdaptationErrors.BuiltinBaseChanged);
    }

    [Fact]
    public void The_hash_covers_every_mean_and_nothing_else()
    {
        var tables = Folder().Tables.ToList();
        var hash = LutContent.Sha256(tables);
        LutContent.Sha256(Enumerable.Reverse(tables)).ShouldBe(hash, "table order does not matter");
        var first = tables[0].Entries.ToDictionary(p => p.Key, p => p.Value);
        var renamed = LutTable.FromMeans("elsewhere.yaml", tables[0].Resolution, first)!;
        LutContent.Sha256([renamed, .. tables.Skip(1)]).ShouldBe(hash, "the path does not matter");
        var key = first.Keys.First();
        first[key] = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(first[key]) + 1);
        LutContent.Sha256([LutTable.FromMeans("a", tables[0].Resolution, first)!, .. tables.Skip(1)]).ShouldNotBe(hash, "one ulp of one mean does");
    }

    [Fact]
    public void Any_mutated_key_of_a_stored_base_is_a_coded_error_or_the_same_predictions()
    {
        var lut = Folder();
        var stored = Stored(lut);
        var keys = stored.Keys.Order(StringComparer.Ordinal).ToArray();
        var probe = AdaptationTestData.RandomArchs(40, 3).First(a => a.Resolution == 192);
        string[] payloads = ["", "null", "{}", "[]", "{\"a\":1}", "true", "NaN", "-1", "builtin:note10", "builtin:nope", "embedded", "{\"x\":1e400}", "{\"x\":-0.5}", new string('{', 64)];
        var cases = from key in Gen.Elements(keys)
                    from how in Gen.Choose(0, 2)
                    from payload in Gen.Elements(payloads)
                    from position in Gen.Choose(0, 1 << 16)
                    select (key, how, payload, position);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var map = new Dictionary<string, string>(stored, StringComparer.Ordinal);
            var value = map[c.key];
            switch (c.how)
            {
                case 0:
                    map.Remove(c.key);
                    break;
                case 1:
                    map[c.key] = c.payload;
                    break;
                default:
                    // One character changed somewhere inside (a digit of a mean, a quote, a brace).
                    var at = value.Length == 0 ? 0 : c.position % value.Length;
                    map[c.key] = value.Length == 0 ? "x" : value[..at] + (value[at] == '9' ? '1' : '9') + value[(at + 1)..];
                    break;
            }

            try
            {
                Load(map).Predict(probe).ShouldBe(lut.Predict(probe));
            }
            catch (LatencyGateException ex)
            {
                ex.ExitCode.ShouldBe(ExitCode.InvalidInput);
            }
        }).QuickCheckThrowOnFailure();
    }
}
