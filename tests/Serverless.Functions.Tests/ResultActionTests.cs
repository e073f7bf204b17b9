using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Pipeline.Http;

namespace Serverless.Functions.Tests;

/// <summary>The bridge that lets a Function return a shared handler's IResult writes exactly what LocalHost writes.</summary>
public sealed class ResultActionTests
{
    [Fact]
    public async Task A_problem_result_is_written_as_problem_details()
    {
        var context = NewContext();

        await new ResultAction(Problems.BadRequest("The commit is required.")).ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        var body = JsonNode.Parse(context.Response.Body)!;
        Assert.Equal("The commit is required.", (string)body["detail"]!);
    }

    [Fact]
    public async Task A_json_result_keeps_its_status_and_body()
    {
        var context = NewContext();

        await new ResultAction(Results.Json(new { id = "x" }, ApiJson.Options, statusCode: 202)).ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));

        Assert.Equal(202, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        Assert.Equal("x", (string)JsonNode.Parse(context.Response.Body)!["id"]!);
    }

    private static DefaultHttpContext NewContext() => new()
    {
        RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider(),
        Response = { Body = new MemoryStream() },
    };
}
