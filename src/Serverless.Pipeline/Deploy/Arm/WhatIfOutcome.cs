using System.Text.Json.Serialization;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>ARM's what-if change types.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WhatIfChangeType>))]
public enum WhatIfChangeType
{
    Create,
    Delete,
    Ignore,
    Deploy,
    NoChange,
    Modify,
    Unsupported,
}

/// <summary>One resource the deployment would touch.</summary>
/// <param name="ResourceId">The resource's id.</param>
/// <param name="ChangeType">What would happen to it.</param>
/// <param name="ChangedProperties">For <c>Modify</c>: the paths of the properties that would change.</param>
public sealed record WhatIfChange(string ResourceId, WhatIfChangeType ChangeType, IReadOnlyList<string> ChangedProperties)
{
    /// <summary>
    /// Whether this is a change: everything but <c>NoChange</c> and <c>Ignore</c> (a resource outside the
    /// template, left alone in incremental mode). <c>Deploy</c> and <c>Unsupported</c> count: ARM cannot
    /// tell that nothing changes.
    /// </summary>
    public bool IsChange => ChangeType is not (WhatIfChangeType.NoChange or WhatIfChangeType.Ignore);
}

/// <summary>What a deployment would change, as ARM's what-if predicts it.</summary>
/// <param name="Changes">Each resource and its change type.</param>
/// <param name="ResourceGroupExists">False when the resource group does not exist yet: then everything would be created and ARM lists nothing.</param>
public sealed record WhatIfOutcome(IReadOnlyList<WhatIfChange> Changes, bool ResourceGroupExists)
{
    /// <summary>True when anything would be created, modified or deleted (or the resource group itself created).</summary>
    public bool HasChanges => !ResourceGroupExists || Changes.Any(c => c.IsChange);

    public int Count(WhatIfChangeType type) => Changes.Count(c => c.ChangeType == type);
}
