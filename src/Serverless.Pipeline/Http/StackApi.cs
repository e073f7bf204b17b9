using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Http;

/// <summary>Registering and reading stacks.</summary>
public sealed class StackApi(StackStore stacks, TimeProvider clock)
{
    public async Task<IResult> RegisterAsync(HttpRequest request, string stack)
    {
        if (!StackName.IsValid(stack))
            return Problems.BadRequest($"The stack name '{stack}' is not valid: it must be {StackName.Rule}.");
        var (registration, problem) = await JsonBody.ReadAsync<StackRegistration>(request);
        if (problem is not null) return problem;
        var errors = registration!.Validate();
        if (errors.Count > 0) return Problems.Invalid(errors);

        var existed = await stacks.FindAsync(stack, request.HttpContext.RequestAborted) is not null;
        var definition = registration.ToDefinition(stack, clock.GetUtcNow());
        await stacks.SaveAsync(definition, request.HttpContext.RequestAborted);
        return existed
            ? Results.Json(definition, ApiJson.Options)
            : Results.Json(definition, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> GetAsync(HttpRequest request, string stack)
    {
        if (!StackName.IsValid(stack)) return Problems.NotFound($"There is no stack '{stack}'.");
        var definition = await stacks.FindAsync(stack, request.HttpContext.RequestAborted);
        return definition is null ? Problems.NotFound($"There is no stack '{stack}'.") : Results.Json(definition, ApiJson.Options);
    }

    public async Task<IResult> ListAsync(HttpRequest request) =>
        Results.Json(await stacks.ListAsync(request.HttpContext.RequestAborted), ApiJson.Options);
}
