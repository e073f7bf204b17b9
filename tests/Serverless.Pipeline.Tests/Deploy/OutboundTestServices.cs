using Microsoft.Extensions.Configuration;
using Serverless.Pipeline.Deploy;

namespace Serverless.Pipeline.Tests.Deploy;

/// <summary>The health probe registered as the hosts register it, with <c>Outbound:Allow</c> set to exactly the given entries.</summary>
internal static class OutboundTestServices
{
    public static ServiceProvider Allowing(params string[] allowed)
    {
        var settings = allowed.Select((entry, i) => KeyValuePair.Create($"{OutboundOptions.Section}:Allow:{i}", (string?)entry));
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddHealthProbe()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
