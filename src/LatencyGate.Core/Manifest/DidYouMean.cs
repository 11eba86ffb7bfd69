namespace LatencyGate.Manifest;

/// <summary>Suggests the closest allowed word for a misspelt key or value.</summary>
internal static class DidYouMean
{
    /// <summary>
    /// The closest candidate within an edit distance of max(2, a third of its length), or else the
    /// only candidate that starts with the word ("adapt" → "adaproxy"); null when nothing is close.
    /// </summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        var list = candidates as IReadOnlyCollection<string> ?? candidates.ToArray();
        // A word far longer than every candidate is close to none (and a 50 MB value must not cost
        // a 50 MB × n distance table).
        if (word.Length > 2 * list.Select(c => c.Length).DefaultIfEmpty(0).Max() + 2)
        {
            return null;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in list)
        {
            var d = Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }

        if (best is not null && bestDistance <= Math.Max(2, best.Length / 3))
        {
            return best;
        }

        var prefixed = word.Length >= 3 ? list.Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase)).Take(2).ToArray() : [];
        return prefixed.Length == 1 ? prefixed[0] : null;
    }

    /// <summary>" (did you mean 'x'?)" or an empty string.</summary>
    public static string Hint(string word, IEnumerable<string> candidates) =>
        Closest(word, candidates) is { } s ? $" (did you mean '{s}'?)" : string.Empty;

    /// <summary>Optimal string alignment distance: Levenshtein plus adjacent transpositions ("budegt").</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    v = Math.Min(v, d[i - 2, j - 2] + 1);
                }

                d[i, j] = v;
            }
        }

        return d[a.Length, b.Length];
    }
}
