using System.Text.RegularExpressions;
using Serverless.LocalServices;
using Serverless.Pipeline.Triggers;

namespace Serverless.Pipeline.Tests.Triggers;

/// <summary>The sample events of docs/events.md are read exactly as the webhook reads them.</summary>
public sealed partial class DocumentedEventsTests
{
    [Fact]
    public void Every_sample_event_in_the_documentation_is_a_valid_push()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "events.md"));
        var samples = JsonBlock().Matches(text).Select(m => m.Groups["json"].Value).ToList();

        Assert.Equal(2, samples.Count);
        foreach (var sample in samples)
        {
            var contentType = JsonNode.Parse(sample) is JsonObject ? "application/cloudevents+json" : "application/json";
            var (events, problem) = EventGridReader.Read(BinaryData.FromString(sample), contentType, 100);
            Assert.Null(problem);
            var errors = new Dictionary<string, string[]>();
            var push = PushDataReader.Read(Assert.Single(events!).Data!.ToMemory(), DateTimeOffset.UtcNow, errors);
            Assert.Empty(errors);
            Assert.Equal(Payloads.HeadCommit, push!.After);
            Assert.Equal(3, push.Commits.Count);
        }
    }

    [GeneratedRegex(@"```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
