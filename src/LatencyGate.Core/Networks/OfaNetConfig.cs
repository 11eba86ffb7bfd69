using System.Globalization;
using System.Text.Json;
using LatencyGate.Diagnostics;

namespace LatencyGate.Networks;

/// <summary>
/// A network from OFA's own <c>net.config</c> (the JSON layer list OFA writes for every
/// specialised net: MobileNetV3 and ProxylessNASNets), at the resolution of its
/// <c>run.config</c>. It lets <c>export</c> and <c>measure</c> take OFA's published nets,
/// including the ProxylessNAS GPU/CPU nets and resolutions beyond the search spaces; for a
/// MobileNetV3 net inside a space it builds the same nodes as <see cref="OfaNetwork"/> does from
/// the arch (tested).
/// </summary>
internal static class OfaNetConfig
{
    /// <summary>OFA's own files are a few KB; far more is not one of them.</summary>
    private const long MaxConfigBytes = 4L << 20;

    public static Network Build(string netConfigJson, int resolution, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(netConfigJson);
            return Build(doc.RootElement, resolution, path);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LatencyGateException(
                MeasuringErrors.BadNetConfig,
                $"not an OFA net.config this tool can build ({ex.Message}); expected OFA's MobileNetV3 or ProxylessNASNets layer list",
                new SourceLocation(path));
        }
    }

    /// <summary>Reads <c>net.config</c> and <c>run.config</c> (image_size) from one of OFA's specialised-net folders.</summary>
    public static Network FromFolder(string folder)
    {
        var net = Path.Combine(folder, "net.config");
        var run = Path.Combine(folder, "run.config");
        try
        {
            // Bounded reads: a net.config that is a FIFO or /dev/zero is refused, not waited on or read forever.
            using var runDoc = JsonDocument.Parse(Files.BoundedFile.ReadAllText(run, MaxConfigBytes, MeasuringErrors.BadNetConfig, "OFA's run.config", new SourceLocation(folder)));
            var size = runDoc.RootElement.GetProperty("image_size").GetInt32();
            if (size is < 32 or > 1024)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"image_size {size} is outside 32..1024"));
            }

            return Build(Files.BoundedFile.ReadAllText(net, MaxConfigBytes, MeasuringErrors.BadNetConfig, "OFA's net.config", new SourceLocation(folder)), size, net);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LatencyGateException(
                MeasuringErrors.BadNetConfig,
                $"cannot read an OFA net folder ({ex.Message}); expected net.config and run.config with image_size",
                new SourceLocation(folder));
        }
    }

    /// <summary>
    /// A layer's integer field within what OFA's nets use (strides 1-2, odd kernels up to 11, up to
    /// 100,000 channels): beyond it the file is not one of OFA's, and the export would be nonsense.
    /// </summary>
    private static int Int(JsonElement layer, string field)
    {
        var value = layer.GetProperty(field).GetInt32();
        var (min, max) = field switch
        {
            "stride" => (1, 2),
            "kernel_size" => (1, 11),
            "expand_ratio" => (1, 16),
            _ => (1, 100_000),
        };
        return value >= min && value <= max && (field != "kernel_size" || value % 2 == 1)
            ? value
            : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"'{field}' {value} is outside {min}..{max}{(field == "kernel_size" ? " (odd)" : string.Empty)}"));
    }

    private static Network Build(JsonElement root, int resolution, string path)
    {
        var kind = root.GetProperty("name").GetString();
        if (kind is not ("MobileNetV3" or "ProxylessNASNets"))
        {
            throw new FormatException($"network '{kind}' is not MobileNetV3 or ProxylessNASNets");
        }

        var b = new NetworkBuilder(FeatureShape.Map(3, resolution));
        var layer = 0;
        b.Layer = layer++;
        var x = AddConvLayer(b, "first_conv", root.GetProperty("first_conv"), 0);
        var blocks = root.GetProperty("blocks").EnumerateArray().ToArray();
        for (var i = 0; i < blocks.Length; i++)
        {
            b.Layer = layer++;
            x = AddBlock(b, string.Create(CultureInfo.InvariantCulture, $"blocks.{i}"), blocks[i], x);
        }

        if (kind == "MobileNetV3")
        {
            b.Layer = layer++;
            x = AddConvLayer(b, "final_expand_layer", root.GetProperty("final_expand_layer"), x);
            b.Layer = layer++;
            x = b.Add("global_avg_pool", new GlobalAvgPoolOp(), x);
            b.Layer = layer++;
            x = AddConvLayer(b, "feature_mix_layer", root.GetProperty("feature_mix_layer"), x);
        }
        else
        {
            b.Layer = layer++;
            x = AddConvLayer(b, "feature_mix_layer", root.GetProperty("feature_mix_layer"), x);
            b.Layer = layer++;
            x = b.Add("global_avg_pool", new GlobalAvgPoolOp(), x);
        }

        b.Layer = layer;
        var c = root.GetProperty("classifier");
        x = b.Add("flatten", new FlattenOp(), x);
        b.Add("classifier.linear", new LinearOp(Int(c, "in_features"), Int(c, "out_features"), c.GetProperty("bias").GetBoolean()), x);
        return b.Build($"{kind} {Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)))} r{resolution.ToString(CultureInfo.InvariantCulture)}");
    }

    private static int AddConvLayer(NetworkBuilder b, string name, JsonElement c, int x)
    {
        var op = new Conv2dOp(
            Int(c, "in_channels"),
            Int(c, "out_channels"),
            Int(c, "kernel_size"),
            Int(c, "stride"),
            Int(c, "groups"),
            c.GetProperty("bias").GetBoolean(),
            c.GetProperty("use_bn").GetBoolean());
        x = b.Add(name + ".conv", op, x);
        return Activation(c.GetProperty("act_func")) is { } act ? b.Add(name + ".act", act, x) : x;
    }

    private static int AddBlock(NetworkBuilder b, string name, JsonElement block, int input)
    {
        var m = block.GetProperty("mobile_inverted_conv");
        var cin = Int(m, "in_channels");
        var cout = Int(m, "out_channels");
        var k = Int(m, "kernel_size");
        var stride = Int(m, "stride");
        var e = Int(m, "expand_ratio");
        var mid = m.GetProperty("mid_channels") is { ValueKind: JsonValueKind.Number } given
            ? given.GetInt32()
            : (int)Math.Round((double)cin * e, MidpointRounding.ToEven);
        NetworkOp? Act() => Activation(m.GetProperty("act_func"));
        var x = input;
        if (e != 1)
        {
            x = b.Add(name + ".conv.inverted_bottleneck.conv", new Conv2dOp(cin, mid, 1, 1, 1, Bias: false, BatchNorm: true), x);
            x = Act() is { } a1 ? b.Add(name + ".conv.inverted_bottleneck.act", a1, x) : x;
        }
        else
        {
            mid = cin;
        }

        x = b.Add(name + ".conv.depth_conv.conv", new Conv2dOp(mid, mid, k, stride, mid, Bias: false, BatchNorm: true), x);
        x = Act() is { } a2 ? b.Add(name + ".conv.depth_conv.act", a2, x) : x;
        if (m.TryGetProperty("use_se", out var se) && se.GetBoolean())
        {
            x = OfaNetwork.AddSqueezeExcite(b, name + ".conv.depth_conv.se", mid, x);
        }

        x = b.Add(name + ".conv.point_linear.conv", new Conv2dOp(mid, cout, 1, 1, 1, Bias: false, BatchNorm: true), x);
        var shortcut = block.GetProperty("shortcut");
        if (shortcut.ValueKind == JsonValueKind.Null)
        {
            return x;
        }

        return shortcut.GetProperty("name").GetString() == "IdentityLayer"
            ? b.Add(name + ".add", new AddOp(), x, input)
            : throw new FormatException($"{name}: shortcut '{shortcut.GetProperty("name").GetString()}' is not an IdentityLayer");
    }

    private static NetworkOp? Activation(JsonElement act) => act.ValueKind == JsonValueKind.Null
        ? null
        : act.GetString() switch
        {
            "relu" => new ReluOp(),
            "relu6" => new Relu6Op(),
            "h_swish" => new HSwishOp(),
            var other => throw new FormatException($"activation '{other}' is not relu, relu6 or h_swish"),
        };
}
