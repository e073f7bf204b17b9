using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Metrics;

/// <summary><c>GET /api/metrics?stack=&amp;from=&amp;to=</c>: the delivery metrics of one stack, or of every registered stack, in a window.</summary>
public sealed class MetricsApi(MetricsReader reader, StackStore stacks, TimeProvider clock)
{
    /// <summary>More stacks than this are answered one stack at a time.</summary>
    public const int MaxStacks = 500;

    public async Task<IResult> GetAsync(HttpRequest request)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var query = request.Query;
        var stack = query["stack"].FirstOrDefault();
        if (stack is not null && !StackName.IsValid(stack))
            return Problems.BadRequest($"The stack '{stack}' is not a valid stack name: it must be {StackName.Rule}.");
        var now = clock.GetUtcNow();
        var (window, error) = MetricsWindow.Parse(query["from"].FirstOrDefault(), query["to"].FirstOrDefault(), now);
        if (window is null) return Problems.BadRequest(error!);

        IReadOnlyList<StackDefinition> selected;
        if (stack is not null)
        {
            var definition = await stacks.FindAsync(stack, cancellation);
            if (definition is null) return Problems.NotFound($"There is no stack '{stack}'.");
            selected = [definition];
        }
        else
        {
            selected = await stacks.ListAsync(cancellation);
            if (selected.Count > MaxStacks)
                return Problems.BadRequest($"There are {selected.Count} stacks; ask for at most {MaxStacks} at once, or one with ?stack=.");
        }
        var report = await reader.ReportAsync(selected, window, now, overall: stack is null, cancellation);
        return Results.Json(report, ApiJson.Options);
    }
}
