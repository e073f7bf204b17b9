using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Serverless.Pipeline.Security;

namespace Serverless.Functions.Security;

/// <summary>
/// The route and methods of every HTTP-triggered function of this app, read once from its <c>[Function]</c> and
/// <c>[HttpTrigger]</c> attributes — the same attributes the build turns into functions.metadata — so that an
/// invocation can be looked up in the <see cref="AccessPolicy"/> by its function name.
/// </summary>
public sealed class HttpFunctionRoutes
{
    private readonly Dictionary<string, (string Route, string[] Methods)> _byName;

    public HttpFunctionRoutes(Assembly assembly)
    {
        _byName = new Dictionary<string, (string, string[])>(StringComparer.Ordinal);
        foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function) continue;
            var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
            if (trigger is null) continue;
            _byName[function.Name] = (trigger.Route ?? function.Name, trigger.Methods ?? []);
        }
    }

    public static HttpFunctionRoutes OfThisApp { get; } = new(typeof(HttpFunctionRoutes).Assembly);

    public IReadOnlyCollection<string> Names => _byName.Keys;

    /// <summary>The access policy's row for a call of the function with the HTTP method; null when the function is not HTTP or not in the policy.</summary>
    public RouteAccess? Find(string functionName, string httpMethod) =>
        _byName.TryGetValue(functionName, out var trigger)
        && trigger.Methods.Contains(httpMethod, StringComparer.OrdinalIgnoreCase)
            ? AccessPolicy.FindFunction(httpMethod, trigger.Route)
            : null;

    public bool IsHttpFunction(string functionName) => _byName.ContainsKey(functionName);
}
