using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Triggers;

/// <summary>The answers of the webhooks that <see cref="Problems"/> does not have.</summary>
public static class TriggerResults
{
    public static IResult Unauthorized(string detail) =>
        Results.Problem(title: "Unauthorized.", detail: detail, statusCode: StatusCodes.Status401Unauthorized);

    public static IResult NotScheduled(string detail) =>
        Results.Problem(title: "The events were not scheduled.", detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable);

    public static IResult Problem(int status, string detail) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => Results.Problem(title: "The request body is too large.", detail: detail, statusCode: status),
        StatusCodes.Status415UnsupportedMediaType => Results.Problem(title: "Unsupported media type.", detail: detail, statusCode: status),
        _ => Problems.BadRequest(detail),
    };

    /// <summary>Adds response headers to a result.</summary>
    public static IResult WithHeaders(this IResult result, params (string Name, string Value)[] headers) => new HeadedResult(result, headers);
}

/// <summary>A result with extra response headers.</summary>
public sealed class HeadedResult(IResult inner, IReadOnlyList<(string Name, string Value)> headers) : IResult, IStatusCodeHttpResult
{
    public IResult Inner { get; } = inner;
    public IReadOnlyList<(string Name, string Value)> Headers { get; } = headers;
    public int? StatusCode => (Inner as IStatusCodeHttpResult)?.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        foreach (var (name, value) in Headers) httpContext.Response.Headers[name] = value;
        return Inner.ExecuteAsync(httpContext);
    }
}
