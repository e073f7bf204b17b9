using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Serverless.Functions;

/// <summary>Lets a Function return the <see cref="IResult"/> of a shared handler through the ASP.NET Core integration.</summary>
public sealed class ResultAction(IResult result) : IActionResult
{
    public IResult Result { get; } = result;

    public Task ExecuteResultAsync(ActionContext context) => Result.ExecuteAsync(context.HttpContext);

    public static async Task<IActionResult> From(Task<IResult> handler) => new ResultAction(await handler);
}
