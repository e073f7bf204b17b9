namespace Serverless.Pipeline.Definition;

/// <summary>The change-type rules, in order (first match wins), and the type of a change no rule matches.</summary>
public sealed record ChangeTypePolicy(IReadOnlyList<ChangeTypeRule> Rules, string Default)
{
    public const string DefaultType = "other";

    public static ChangeTypePolicy None { get; } = new([], DefaultType);
}
