using System.Text.Json.Nodes;
using Azure.Core;
using Azure.ResourceManager;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// Raw ARM requests through the ArmClient's own pipeline (credential, retries, transport, timeouts). In
/// Azure.ResourceManager 1.7.0 <c>ArmClient.Pipeline</c> is internal but every
/// <see cref="ArmResource"/> sees it: this is how the deployer reaches the deployments and what-if
/// APIs without Azure.ResourceManager.Resources, sending exactly ARM's request bodies.
/// </summary>
internal sealed class ArmChannel : ArmResource
{
    private ArmChannel(ArmClient client, ResourceIdentifier id) : base(client, id)
    {
    }

    public static ArmChannel For(ArmClient client, string subscriptionId) =>
        client.GetResourceClient(() => new ArmChannel(client, new ResourceIdentifier($"/subscriptions/{subscriptionId}")));

    /// <summary>A message for <see cref="SendAsync"/>; its <c>ProcessingContext</c> tells the caller how many attempts the pipeline made.</summary>
    public HttpMessage CreateMessage() => Pipeline.CreateMessage();

    /// <summary>The ARM endpoint this client talks to.</summary>
    public Uri BaseUri => Endpoint;

    public async Task<ArmReply> SendAsync(HttpMessage message, RequestMethod method, Uri url, JsonNode? body, CancellationToken cancellation)
    {
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(url);
        request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.Add("Content-Type", "application/json");
            request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        }
        await Pipeline.SendAsync(message, cancellation);
        return ArmReply.From(message.Response);
    }
}
