using Microsoft.AspNetCore.Http;

namespace Serverless.Pipeline.Http;

/// <summary>RFC 9457 problem details for every refusal the API makes.</summary>
public static class Problems
{
    public static IResult BadRequest(string detail) =>
        Results.Problem(title: "The request is not valid.", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "The request is not valid.", detail: string.Join(" ", errors.SelectMany(e => e.Value)));

    /// <summary>422: the body is well-formed but what it asks for is not acceptable (every problem by field).</summary>
    public static IResult Unprocessable(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "The request cannot be accepted.", detail: string.Join(" ", errors.SelectMany(e => e.Value)),
            statusCode: StatusCodes.Status422UnprocessableEntity);

    public static IResult NotFound(string detail) =>
        Results.Problem(title: "Not found.", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static IResult Forbidden(string detail) =>
        Results.Problem(title: "Forbidden.", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static IResult Conflict(string detail) =>
        Results.Problem(title: "Conflict.", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static IResult TooLarge(long limit) =>
        Results.Problem(title: "The request body is too large.", detail: $"The body may be at most {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

    public static IResult UnsupportedMediaType(string? contentType) =>
        Results.Problem(title: "Unsupported media type.",
            detail: $"The body must be {JsonBody.MediaType} (charset utf-8 if one is named){(contentType is null ? "; the request names no Content-Type" : $", not '{contentType}'")}.",
            statusCode: StatusCodes.Status415UnsupportedMediaType);
}
