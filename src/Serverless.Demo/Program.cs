using System.Diagnostics;
using Serverless.Demo;
using Serverless.LocalServices;

// One change of the sample stack, from commit to every production instance, on the embedded defaults:
// Azurite on its standard ports (started here if it is not running) and LocalHost on a free port.
var clock = Stopwatch.StartNew();
Console.WriteLine("Delivery pipeline demo: one change of the sample stack, end to end.");

await using var azurite = await Azurite.UseOrStartStandardAsync(Path.Combine(RepositoryRoot.Path, ".azurite"));
Console.WriteLine(azurite.StartedHere
    ? $"  started Azurite on 127.0.0.1:10000-10002 (data in .azurite/)"
    : $"  using the Azurite already running on 127.0.0.1:10000-10002");

// Approval links go to a chat webhook; the demo's own inbox stands in for the team's channel.
using var inbox = new WebhookInbox();
await using var host = await LocalHostProcess.StartAsync("UseDevelopmentStorage=true", new Dictionary<string, string>
{
    ["Approvals:NotificationWebhookUrl"] = inbox.Url,
});
Console.WriteLine($"  started LocalArm, the ARM test double, at {host.Arm!.Endpoint}");
Console.WriteLine($"  started LocalHost at {host.BaseAddress} (self-hosted Durable Task engine on Azure Storage)");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
using var http = host.CreateClient();
var succeeded = await new DemoRun(http, inbox, Console.Out).RunAsync(cancel.Token);

Console.WriteLine($"Demo finished in {clock.Elapsed.TotalSeconds:0.0} s; stopping what it started.");
return succeeded ? 0 : 1;
