using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Stacks;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Metrics;

/// <summary><c>GET /api/metrics?stack=&amp;from=&amp;to=</c>: the delivery metrics of one stack, or of every registered stack, in a window.</summary>
public sealed class MetricsApi(MetricsReader reader, StackStore stacks, TimeProvider clock)
{
    public async Task<IResult> GetAsync(HttpRequest request)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var query = request.Query;
        var stack = query["stack"].FirstOrDefault();
        if (StackSelection.RefuseName(stack) is { } badName) return badName;
        var now = clock.GetUtcNow();
        var (window, error) = MetricsWindow.Parse(query["from"].FirstOrDefault(), query["to"].FirstOrDefault(), now);
        if (window is null) return Problems.BadRequest(error!);

        var (selected, refusal) = await stacks.SelectAsync(stack, cancellation);
        if (refusal is not null) return refusal;
        var report = await reader.ReportAsync(selected, window, now, overall: stack is null, cancellation);
        return Results.Json(report, ApiJson.Options);
    }
}
