using Serverless.Pipeline.Triggers;

namespace Serverless.Pipeline.Tests.Triggers;

/// <summary>Reading real deliveries: Event Grid schema, CloudEvents (single and batch), GitHub's push and ping.</summary>
public sealed class PushPayloadTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 2, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public void An_Event_Grid_schema_push_is_one_event_with_the_push_as_data()
    {
        var (events, problem) = EventGridReader.Read(Payloads.Data("eventgrid-push.json"), "application/json; charset=utf-8", 100);

        Assert.Null(problem);
        var e = Assert.Single(events!);
        Assert.Equal(("2d1781af-3a4c-4d7c-bd0c-e34b19da4e66", RepositoryPushData.EventType), (e.Id, e.Type));
        Assert.Null(e.ValidationCode);
        var push = ReadPush(e);
        Assert.Equal("https://github.com/contoso/platform-network.git", push.Repository);
        Assert.Equal(("refs/heads/main", "main", Payloads.Before, Payloads.HeadCommit), (push.Ref, push.Branch, push.Before, push.After));
        Assert.Equal(DateTimeOffset.Parse("2026-03-02T08:14:05Z", System.Globalization.CultureInfo.InvariantCulture), push.PushedAt);
        Assert.Equal([Payloads.FirstCommit, Payloads.SecondCommit, Payloads.HeadCommit], push.Commits.Select(c => c.Id));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 2, 11, TimeSpan.FromHours(1)), push.Commits[0].CommittedAt);
        Assert.Equal("Ann Lee <ann.lee@contoso.example>", push.Commits[0].Author);
        Assert.Equal(["stacks/network/parameters/prod-eastus.json", "stacks/network/delivery.yaml"], push.Commits[1].Paths);
        Assert.Equal(push.Commits[2], push.HeadCommit);
        Assert.False(push.Deletes);
    }

    [Theory]
    [InlineData("application/cloudevents+json")]
    [InlineData("application/json")]
    [InlineData("application/cloudevents+json; charset=utf-8")]
    public void A_CloudEvent_push_is_read_in_structured_mode(string contentType)
    {
        var (events, problem) = EventGridReader.Read(Payloads.Data("cloudevent-push.json"), contentType, 100);

        Assert.Null(problem);
        var e = Assert.Single(events!);
        Assert.Equal("6a0c1b3e-8f2d-4f6b-9a51-0c7d2e9b4f10", e.Id);
        var push = ReadPush(e);
        Assert.Equal("git@github.com:Contoso/Platform-Network.git", push.Repository);
        Assert.Equal(3, push.Commits.Count);
    }

    [Fact]
    public void A_CloudEvents_batch_holds_our_pushes_a_forwarded_GitHub_push_and_other_events()
    {
        var (events, problem) = EventGridReader.Read(Payloads.Data("cloudevents-batch.json"), "application/cloudevents-batch+json", 100);

        Assert.Null(problem);
        Assert.Equal(4, events!.Count);
        Assert.Equal([true, true, true, false], events.Select(e => RepositoryPushData.IsPushType(e.Type)));
        var data = ReadPush(events[1]);
        Assert.Equal("https://github.com/contoso/platform-data", data.Repository);
        Assert.Equal(["stacks/data/main.bicep"], data.Commits.Single().Paths);
        // The third event's data is GitHub's push payload, recognised by its shape.
        var forwarded = ReadPush(events[2]);
        Assert.Equal("https://github.com/contoso/platform-network", forwarded.Repository);
        Assert.Equal(Payloads.HeadCommit, forwarded.After);
        Assert.Equal(3, forwarded.Commits.Count);
    }

    [Fact]
    public void The_subscription_validation_event_yields_its_code()
    {
        var (events, _) = EventGridReader.Read(Payloads.Data("eventgrid-validation.json"), "application/json", 100);

        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", Assert.Single(events!).ValidationCode);
    }

    [Fact]
    public void A_GitHub_push_payload_gives_its_three_commits_times_authors_and_paths()
    {
        var errors = new Dictionary<string, string[]>();
        var push = GitHubWebhookBody.ReadPush(Payloads.Read("github-push.json"), Received, errors);

        Assert.Empty(errors);
        Assert.NotNull(push);
        Assert.Equal("https://github.com/contoso/platform-network", push.Repository);
        Assert.Equal(("main", Payloads.HeadCommit), (push.Branch, push.After));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1772439245), push.PushedAt);
        Assert.Equal("ann-lee", push.Pusher);
        Assert.Equal(["Ann Lee", "Bo Park", "Ann Lee"], push.Commits.Select(c => c.Author));
        Assert.Equal(["README.md"], push.Commits[2].Paths);
        Assert.StartsWith("Add a subnet for the private endpoints\n", push.Commits[0].Message, StringComparison.Ordinal);
        Assert.Equal(Payloads.HeadCommit, push.HeadCommit!.Id);
        Assert.Equal("contoso/platform-network", GitHubRepositoryIdentity.Of(Payloads.Read("github-push.json"))?.FullName);
    }

    [Fact]
    public void A_GitHub_payload_names_one_repository_by_its_full_name_and_every_URL()
    {
        Assert.Null(GitHubRepositoryIdentity.Of(Payloads.Read("github-push.json"))!.Disagreement());
        Assert.Null(GitHubRepositoryIdentity.Of(Payloads.Read("github-ping.json"))!.Disagreement());

        static GitHubRepositoryIdentity Identity(string repository) => GitHubRepositoryIdentity.Of(Encoding.UTF8.GetBytes($$"""{"repository":{{repository}}}"""))!;
        Assert.Contains("names another repository", Identity("""{"full_name":"contoso/a","html_url":"https://github.com/contoso/b"}""").Disagreement());
        Assert.Contains("names another repository", Identity("""{"full_name":"contoso/a","html_url":"https://github.com/contoso/a","clone_url":"https://github.com/contoso/b.git"}""").Disagreement());
        Assert.Contains("several hosts", Identity("""{"full_name":"contoso/a","html_url":"https://github.com/contoso/a","clone_url":"https://ghe.contoso.example/contoso/a.git"}""").Disagreement());
        Assert.Contains("no full_name", Identity("""{"html_url":"https://github.com/contoso/a"}""").Disagreement());
        Assert.Null(Identity("""{"full_name":"Contoso/A","html_url":"https://github.com/contoso/a","ssh_url":"git@github.com:contoso/a.git"}""").Disagreement());
        Assert.Null(GitHubRepositoryIdentity.Of(Encoding.UTF8.GetBytes("""{"zen":"org ping","hook_id":1}""")));
    }

    [Fact]
    public void A_GitHub_ping_names_its_repository_and_its_zen()
    {
        var ping = Payloads.Read("github-ping.json");

        Assert.Equal("contoso/platform-network", GitHubRepositoryIdentity.Of(ping)?.FullName);
        Assert.Equal("Design for failure.", GitHubWebhookBody.Zen(ping));
    }

    [Fact]
    public void A_form_encoded_GitHub_delivery_carries_the_payload_in_its_payload_field()
    {
        var json = Payloads.Read("github-push.json");
        var form = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(Encoding.UTF8.GetString(json)).Replace("%20", "+", StringComparison.Ordinal));

        var (payload, problem) = GitHubWebhookBody.Payload(form, "application/x-www-form-urlencoded");

        Assert.Null(problem);
        Assert.Equal(JsonNode.Parse(json)!.ToJsonString(), JsonNode.Parse(payload!.Value.Span)!.ToJsonString());
    }

    [Fact]
    public void A_branch_deletion_and_a_tag_push_are_recognised()
    {
        var deletion = OwnPush("""{"repository":"https://github.com/contoso/net","ref":"refs/heads/feature","after":"0000000000000000000000000000000000000000"}""");
        var tag = OwnPush("""{"repository":"https://github.com/contoso/net","ref":"refs/tags/v1.2.0","after":"abcdef1234567abcdef1234567abcdef1234567a"}""");

        Assert.True(deletion.Deletes);
        Assert.Null(tag.Branch);
        Assert.Empty(tag.Commits);
        Assert.Equal(Received, tag.PushedAt);
    }

    [Theory]
    [InlineData("""{"ref":"refs/heads/main","after":"abcdef1"}""", "repository")]
    [InlineData("""{"repository":"not a url","ref":"refs/heads/main","after":"abcdef1"}""", "repository")]
    [InlineData("""{"repository":42,"ref":"refs/heads/main","after":"abcdef1"}""", "repository")]
    [InlineData("""{"repository":"https://github.com/c/n","ref":"main","after":"abcdef1"}""", "ref")]
    [InlineData("""{"repository":"https://github.com/c/n","ref":"refs/heads/main"}""", "after")]
    [InlineData("""{"repository":"https://github.com/c/n","ref":"refs/heads/main","after":"xyz"}""", "after")]
    [InlineData("""{"repository":"https://github.com/c/n","ref":"refs/heads/main","after":"abcdef1","commits":[{"id":"abcdef1"}]}""", "commits[0].timestamp")]
    [InlineData("""{"repository":"https://github.com/c/n","ref":"refs/heads/main","after":"abcdef1","commits":[{"id":"abcdef1","timestamp":"yesterday"}]}""", "commits[0].timestamp")]
    [InlineData("""{"repository":"https://github.com/c/n","ref":"refs/heads/main","after":"abcdef1","commits":"many"}""", "commits")]
    [InlineData("""[1,2]""", "")]
    [InlineData("""{"repository":{"full_name":"c/n"},"ref":"refs/heads/main","after":"abcdef1"}""", "repository")]
    public void Malformed_push_data_is_refused_with_the_field_at_fault(string json, string field)
    {
        var errors = new Dictionary<string, string[]>();

        var push = PushDataReader.Read(Encoding.UTF8.GetBytes(json), Received, errors);

        Assert.Null(push);
        Assert.Contains(field, errors.Keys);
    }

    [Theory]
    [InlineData("text/plain", "[]", 415)]
    [InlineData("application/xml", "<x/>", 415)]
    [InlineData("application/json", "{not json", 400)]
    [InlineData("application/json", "[]", 400)]
    [InlineData("application/json", "42", 400)]
    public void Bodies_that_are_not_an_event_batch_at_all_are_refused(string contentType, string body, int status)
    {
        Assert.Equal(400, EventGridReader.Read(BinaryData.FromBytes([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]), "application/json", 100).Problem?.Status);

        var (events, problem) = EventGridReader.Read(BinaryData.FromString(body), contentType, 100);

        Assert.Null(events);
        Assert.Equal(status, problem!.Status);
    }

    [Theory]
    [InlineData("application/json", "[42]", "not a JSON object")]
    [InlineData("application/json", """[{"hello":"world"}]""", "neither an Event Grid event")]
    [InlineData("application/json", """[{"id":"1","eventType":"x","subject":"s","eventTime":"2026-03-02T08:00:00Z","dataVersion":"1"}]""", "Event Grid schema")]
    [InlineData("application/cloudevents+json", """{"specversion":"1.0","id":"1","type":"x"}""", "CloudEvents 1.0")]
    [InlineData("application/cloudevents+json", """[{"id":"1","eventType":"x","subject":"s","data":{},"eventTime":"2026-03-02T08:00:00Z","dataVersion":"1"}]""", "no 'specversion'")]
    public void An_event_that_is_not_valid_is_read_with_its_problem_so_that_the_batch_goes_on(string contentType, string body, string problem)
    {
        var (events, refusal) = EventGridReader.Read(BinaryData.FromString(body), contentType, 100);

        Assert.Null(refusal);
        Assert.Contains(problem, Assert.Single(events!).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_reads_each_event_on_its_own_and_a_null_CloudEvent_attribute_is_unset()
    {
        var good = JsonNode.Parse(Payloads.Read("cloudevent-push.json"))!;
        var unset = good.DeepClone();
        unset["unsetextension"] = null;
        var bad = new JsonObject { ["specversion"] = "1.0", ["id"] = "broken" };

        var (events, problem) = EventGridReader.Read(BinaryData.FromString(new JsonArray(good, unset, bad).ToJsonString()), "application/cloudevents-batch+json", 100);

        Assert.Null(problem);
        Assert.NotNull(events);
        Assert.Equal([null, null], events.Take(2).Select(e => e.Problem));
        Assert.Equal("broken", events[2].Id);
        Assert.NotNull(events[2].Problem);
    }

    [Fact]
    public void More_events_than_allowed_are_refused_with_413()
    {
        var one = JsonNode.Parse(Payloads.Read("cloudevent-push.json"))!;
        var batch = new JsonArray([.. Enumerable.Range(0, 101).Select(_ => one.DeepClone())]);

        var (_, problem) = EventGridReader.Read(BinaryData.FromString(batch.ToJsonString()), "application/cloudevents-batch+json", 100);

        Assert.Equal(413, problem!.Status);
        Assert.Contains("at most 100", problem.Detail, StringComparison.Ordinal);
    }

    private static RepositoryPush ReadPush(InboundEvent e)
    {
        var errors = new Dictionary<string, string[]>();
        var push = PushDataReader.Read(e.Data!.ToMemory(), Received, errors);
        Assert.Empty(errors);
        return push!;
    }

    private static RepositoryPush OwnPush(string json)
    {
        var errors = new Dictionary<string, string[]>();
        var push = PushDataReader.Read(Encoding.UTF8.GetBytes(json), Received, errors);
        Assert.Empty(errors);
        return push!;
    }
}
