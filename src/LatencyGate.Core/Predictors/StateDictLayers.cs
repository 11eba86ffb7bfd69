using System.Globalization;
using LatencyGate.Learning;

namespace LatencyGate.Predictors;

/// <summary>
/// Orders the weight/bias tensors of a PyTorch MLP state_dict into layer order, whatever the
/// module names ("0.weight", "layers.2.bias", "fc1.weight"): by the numeric parts of the name,
/// then by name, weight before bias. Non-parameter entries (e.g. "base_acc") are left out.
/// </summary>
internal static class StateDictLayers
{
    public static IReadOnlyList<NamedTensor> Ordered(IReadOnlyList<NamedTensor> tensors)
    {
        var weights = tensors.Where(t => t.Name.EndsWith("weight", StringComparison.Ordinal) && t.Shape.Length == 2).ToList();
        var result = new List<NamedTensor>();
        foreach (var w in weights.OrderBy(t => SortKey(t.Name), StringComparer.Ordinal))
        {
            var biasName = w.Name[..^"weight".Length] + "bias";
            var bias = tensors.FirstOrDefault(t => t.Name == biasName)
                ?? new NamedTensor(biasName, [w.Shape[0]], new float[w.Shape[0]]);
            result.Add(w);
            result.Add(bias);
        }

        return result;
    }

    private static string SortKey(string name) => string.Join(
        ".",
        name.Split('.').Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n.ToString("D6", CultureInfo.InvariantCulture) : part));
}
