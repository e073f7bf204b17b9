using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Stacks;

/// <summary>
/// The stacks a read across stacks (the metrics, the estate) asks for with <c>?stack=</c>: that one stack, or every
/// registered stack up to one limit.
/// </summary>
public static class StackSelection
{
    /// <summary>More stacks than this are answered one stack at a time.</summary>
    public const int MaxStacks = 500;

    /// <summary>The refusal of a <c>?stack=</c> that is no valid stack name, or null.</summary>
    public static IResult? RefuseName(string? stack) =>
        stack is not null && !StackName.IsValid(stack)
            ? Problems.BadRequest($"The stack '{stack}' is not a valid stack name: it must be {StackName.Rule}.")
            : null;

    /// <summary>The selected stacks, or the problem to answer with (then the list is empty).</summary>
    public static async Task<(IReadOnlyList<StackDefinition> Stacks, IResult? Refusal)> SelectAsync(
        this StackStore stacks, string? stack, CancellationToken cancellation)
    {
        if (RefuseName(stack) is { } refusal) return ([], refusal);
        if (stack is not null)
        {
            return await stacks.FindAsync(stack, cancellation) is { } definition
                ? ([definition], null)
                : ([], Problems.NotFound($"There is no stack '{stack}'."));
        }
        var all = await stacks.ListAsync(cancellation);
        return all.Count > MaxStacks
            ? ([], Problems.BadRequest($"There are {all.Count} stacks; ask for at most {MaxStacks} at once, or one with ?stack=."))
            : (all, null);
    }
}
