using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Http;
using Serverless.Pipeline.Security;

namespace Serverless.Pipeline.Stacks;

/// <summary>The stacks slice's surface: registering and reading stacks.</summary>
public static class StacksSurface
{
    public static IReadOnlyList<ApiEndpoint> Endpoints { get; } =
    [
        ApiEndpoint.Get("ListStacks", Routes.Stacks, AccessLevel.Reader, call => call.Service<StackApi>().ListAsync(call.Request)),
        ApiEndpoint.Get("GetStack", Routes.Stack, AccessLevel.Reader, call => call.Service<StackApi>().GetAsync(call.Request, call.Value)),
        ApiEndpoint.Put("RegisterStack", Routes.Stack, AccessLevel.Admin, call => call.Service<StackApi>().RegisterAsync(call.Request, call.Value)),
    ];
}
