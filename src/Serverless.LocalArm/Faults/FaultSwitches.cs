using Serverless.LocalArm.Templates;

namespace Serverless.LocalArm.Faults;

/// <summary>The fault switches in force; set over <c>/_localarm/faults</c> or directly by in-process tests.</summary>
public sealed class FaultSwitches
{
    private static readonly HashSet<string> ThrottleHeaders = new(StringComparer.OrdinalIgnoreCase) { "Retry-After", "retry-after-ms", "x-ms-retry-after-ms" };

    private readonly Lock gate = new();
    private readonly List<Entry> entries = [];

    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Kind == FaultKind.FailResource && string.IsNullOrWhiteSpace(rule.ResourceName))
            throw new ArgumentException("A FailResource fault needs a resourceName.", nameof(rule));
        if (rule.Kind == FaultKind.Throttle && !ThrottleHeaders.Contains(rule.RetryAfterHeader))
            throw new ArgumentException("retryAfterHeader must be Retry-After, retry-after-ms or x-ms-retry-after-ms.", nameof(rule));
        if (rule.Count is <= 0)
            throw new ArgumentException("count must be positive when given.", nameof(rule));
        lock (gate)
            entries.Add(new Entry(rule, rule.Count ?? (rule.IsRequestFault ? 1 : null)));
    }

    public void Clear()
    {
        lock (gate)
            entries.Clear();
    }

    public IReadOnlyList<ActiveFault> List()
    {
        lock (gate)
            return [.. entries.Select(e => new ActiveFault(e.Rule, e.Remaining, e.Fired))];
    }

    /// <summary>The request fault to answer this request with, if one is due; it is used up.</summary>
    internal FaultRule? TakeRequestFault(string method, string pathAndQuery) =>
        Take(rule => rule.IsRequestFault
            && (rule.Method is null || string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase))
            && PathMatches(rule, pathAndQuery));

    /// <summary>How long a new deployment at this path must stay Running because of a SlowDeployment fault.</summary>
    internal TimeSpan TakeSlowDeployment(string path) =>
        Take(rule => rule.Kind == FaultKind.SlowDeployment && PathMatches(rule, path)) is { } slow
            ? TimeSpan.FromSeconds(slow.DurationSeconds)
            : TimeSpan.Zero;

    /// <summary>The resource of a new deployment that a FailResource fault makes fail, with the fault.</summary>
    internal (TemplateResource Resource, FaultRule Rule)? TakeFailingResource(string path, IReadOnlyList<TemplateResource> resources)
    {
        TemplateResource? failing = null;
        var rule = Take(rule =>
        {
            if (rule.Kind != FaultKind.FailResource || !PathMatches(rule, path))
                return false;
            failing = resources.FirstOrDefault(r => Names(r, rule.ResourceName!));
            return failing is not null;
        });
        return rule is null ? null : (failing!, rule);
    }

    private static bool Names(TemplateResource resource, string name) =>
        string.Equals(resource.Name, name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(resource.Id, name, StringComparison.OrdinalIgnoreCase)
        || string.Equals($"{resource.Type}/{resource.Name}", name, StringComparison.OrdinalIgnoreCase)
        || resource.Name.EndsWith("/" + name, StringComparison.OrdinalIgnoreCase);

    private static bool PathMatches(FaultRule rule, string path) =>
        rule.PathContains is null || path.Contains(rule.PathContains, StringComparison.OrdinalIgnoreCase);

    private FaultRule? Take(Func<FaultRule, bool> matches)
    {
        lock (gate)
        {
            foreach (var entry in entries)
            {
                if (entry.Remaining is 0 || !matches(entry.Rule))
                    continue;
                entry.Remaining--;
                entry.Fired++;
                return entry.Rule;
            }
            return null;
        }
    }

    private sealed class Entry(FaultRule rule, int? remaining)
    {
        public FaultRule Rule { get; } = rule;

        public int? Remaining { get; set; } = remaining;

        public int Fired { get; set; }
    }
}
