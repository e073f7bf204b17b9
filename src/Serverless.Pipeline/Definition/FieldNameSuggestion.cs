namespace Serverless.Pipeline.Definition;

/// <summary>Finds the known field name an unknown one was most likely meant to be (a typo, an abbreviation, other casing, snake or kebab case).</summary>
internal static class FieldNameSuggestion
{
    public static string? Nearest(string unknown, IReadOnlyCollection<string> known)
    {
        var wanted = Normalize(unknown);
        if (wanted.Length >= 3 && known.FirstOrDefault(k => Normalize(k).StartsWith(wanted, StringComparison.Ordinal)) is { } completed)
        {
            return completed;
        }
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(wanted, Normalize(candidate));
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        return bestDistance <= Math.Max(2, wanted.Length / 3) ? best : null;
    }

    private static string Normalize(string name) =>
        new([.. name.Where(c => c is not ('-' or '_' or ' ')).Select(char.ToLowerInvariant)]);

    /// <summary>Levenshtein distance, counting a swap of two neighbouring letters as one edit.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
