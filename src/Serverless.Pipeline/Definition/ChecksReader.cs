using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Definition;

/// <summary>Reads the <c>checks</c> section: HTTP probes and the what-if check.</summary>
internal static class ChecksReader
{
    public const int DefaultExpectedStatus = 200;
    public const int DefaultRetries = 3;
    public const int MaxRetries = 100;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    private static readonly string[] Known = ["http", "whatIfNoChanges"];
    private static readonly string[] KnownProbe = ["name", "url", "output", "expectedStatus", "timeout", "retries"];

    public static OnlineChecks? Read(Fields root)
    {
        if (!root.Has("checks")) return OnlineChecks.None;
        if (root.Section("checks", required: false, Known) is not { } fields) return null;
        var probes = new List<HttpProbe>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, path) in fields.List("http", required: false) ?? [])
        {
            if (Probe(node, path, fields.Problems, probes.Count + 1) is not { } probe) continue;
            if (!names.Add(probe.Name))
                fields.Problems.Add(node, FieldPath.Child(path, "name"), $"Another probe is already named '{probe.Name}'; give each probe its own name.");
            probes.Add(probe);
        }
        var whatIf = fields.Bool("whatIfNoChanges", fallback: false);
        return new OnlineChecks(probes, whatIf ?? false);
    }

    private static HttpProbe? Probe(YamlNode node, string path, ProblemSink problems, int number)
    {
        if (Fields.Of(node, path, problems, KnownProbe) is not { } fields) return null;
        var name = fields.OptionalText("name") ?? $"http-{number}";
        if (!StackName.IsValid(name)) fields.Report("name", $"'{name}' is not a valid probe name: {StackName.Rule}.");

        var url = fields.OptionalText("url");
        if (url is not null && DefinitionRules.HttpUrl(url) is { } badUrl) fields.Report("url", badUrl);
        var output = fields.OptionalText("output");
        if (output is not null && DefinitionRules.OutputName(output) is { } badOutput) fields.Report("output", badOutput);
        if (fields.Has("url") && fields.Has("output"))
            fields.Report("output", "Give either 'url' or 'output', not both.");
        else if (!fields.Has("url") && !fields.Has("output"))
            problems.Add(fields.Mapping, FieldPath.Child(path, "url"), "'url' or 'output' (the deployment output that holds the URL) is required.");

        var status = fields.Int("expectedStatus", DefaultExpectedStatus);
        if (status is < 100 or > 599) fields.Report("expectedStatus", $"{status} is not an HTTP status code (100 to 599).");
        var timeout = fields.Duration("timeout", DefaultTimeout);
        if (timeout <= TimeSpan.Zero || timeout > MaxTimeout)
            fields.Report("timeout", $"The probe timeout must be more than zero and at most {MaxTimeout.TotalMinutes:0} minutes.");
        var retries = fields.Int("retries", DefaultRetries);
        if (retries is < 0 or > MaxRetries) fields.Report("retries", $"Retries must be between 0 and {MaxRetries}, not {retries}.");

        return new HttpProbe(name, url, output, status ?? DefaultExpectedStatus, timeout ?? DefaultTimeout, retries ?? DefaultRetries);
    }
}
