using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Http;
using Serverless.Tests.Shared;

namespace Serverless.Pipeline.Tests.Http;

public sealed class JsonBodyTests
{
    private sealed record Body(string Commit);

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; Charset=\"UTF-8\"")]
    public async Task An_application_json_body_is_read(string contentType)
    {
        var (value, problem) = await JsonBody.ReadAsync<Body>(Request("""{"commit":"abcdef1"}""", contentType));

        Assert.Null(problem);
        Assert.Equal("abcdef1", value!.Commit);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain;charset=json")] // What a page on another origin sends with a no-cors fetch.
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=json")]
    [InlineData("application/problem+json")]
    [InlineData("application/jsonp")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; json=yes")]
    [InlineData("application/json, text/plain")]
    public async Task Any_other_content_type_or_none_is_refused_with_415_before_the_body_is_read(string? contentType)
    {
        var request = Request("""{"commit":"abcdef1"}""", contentType);

        var (value, problem) = await JsonBody.ReadAsync<Body>(request);

        Assert.Null(value);
        var (status, answer) = await ResultExecution.ExecuteAsync(problem!);
        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, status);
        Assert.Contains("application/json", answer.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, request.Body.Position);
    }

    private static HttpRequest Request(string body, string? contentType)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        if (contentType is not null) context.Request.ContentType = contentType;
        return context.Request;
    }
}
