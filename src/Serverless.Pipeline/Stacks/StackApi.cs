using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Stacks;

/// <summary>Registering and reading stacks.</summary>
public sealed class StackApi(StackStore stacks, TimeProvider clock)
{
    /// <summary>
    /// <c>PUT /api/stacks/{stack}</c> (Admin): a registration with problems is refused with 422 and every problem by field,
    /// and nothing is written; so is one whose environments reach into a resource group another stack delivers to.
    /// </summary>
    public async Task<IResult> RegisterAsync(HttpRequest request, string stack)
    {
        var cancellation = request.HttpContext.RequestAborted;
        if (!StackName.IsValid(stack))
            return Problems.BadRequest($"The stack name '{stack}' is not valid: it must be {StackName.Rule}.");
        var (registration, problem) = await JsonBody.ReadAsync<StackRegistration>(request);
        if (problem is not null) return problem;
        var errors = registration!.Validate();
        if (errors.Count > 0) return Problems.Unprocessable(errors);

        var definition = registration.ToDefinition(stack, clock.GetUtcNow());
        var registered = await stacks.ListAsync(cancellation);
        var shared = SharedTargets(definition, registered);
        if (shared.Count > 0) return Problems.Unprocessable(shared);

        var existed = registered.Any(s => s.Name == stack);
        await stacks.SaveAsync(definition, cancellation);
        var view = StackView.Of(definition);
        return existed
            ? Results.Json(view, ApiJson.Options)
            : Results.Json(view, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> GetAsync(HttpRequest request, string stack)
    {
        if (!StackName.IsValid(stack)) return Problems.NotFound($"There is no stack '{stack}'.");
        var definition = await stacks.FindAsync(stack, request.HttpContext.RequestAborted);
        return definition is null ? Problems.NotFound($"There is no stack '{stack}'.") : Results.Json(StackView.Of(definition), ApiJson.Options);
    }

    public async Task<IResult> ListAsync(HttpRequest request) =>
        Results.Json((await stacks.ListAsync(request.HttpContext.RequestAborted)).Select(StackView.Of), ApiJson.Options);

    /// <summary>
    /// Every environment of the new registration whose resource group is an environment of another stack: a stack's test
    /// stage must never deploy into another stack's production (nor two stacks overwrite each other's resources).
    /// </summary>
    private static Dictionary<string, string[]> SharedTargets(StackDefinition candidate, IReadOnlyList<StackDefinition> registered)
    {
        var taken = new Dictionary<string, (string Stack, string Environment)>(StringComparer.OrdinalIgnoreCase);
        foreach (var other in registered.Where(s => s.Name != candidate.Name))
        {
            foreach (var environment in other.Environments().Where(e => !e.Ephemeral)) taken.TryAdd(environment.Target(), (other.Name, environment.Name));
        }
        var errors = new Dictionary<string, string[]>();
        var environments = candidate.Environments();
        for (var i = 0; i < environments.Count; i++)
        {
            if (environments[i].Ephemeral || !taken.TryGetValue(environments[i].Target(), out var owner)) continue;
            errors[$"environments[{i}].resourceGroup"] =
                [$"Resource group '{environments[i].ResourceGroup}' of subscription {environments[i].Subscription} is already environment '{owner.Environment}' of stack '{owner.Stack}'; a resource group belongs to one environment of one stack."];
        }
        return errors;
    }
}
