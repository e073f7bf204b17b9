using Serverless.Pipeline.Tests.Metrics;
namespace Serverless.Pipeline.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class RunStoreTests(AzuriteFixture azurite)
{
    private readonly MetricsStand _stand = new(azurite);
    private RunStore Store => _stand.Runs;

    [Fact]
    public async Task Runs_are_listed_newest_first_per_stack_and_filtered_by_status()
    {
        var t0 = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        await _stand.RunRecorder.RecordAsync(Record("net", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", t0, RunStatus.Completed));
        await _stand.RunRecorder.RecordAsync(Record("net", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", t0.AddHours(1), RunStatus.AwaitingApproval));
        await _stand.RunRecorder.RecordAsync(Record("db", "cccccccccccccccccccccccccccccccccccccccc", t0.AddHours(2), RunStatus.Completed));

        var net = await Store.ListAsync("net", status: null, take: 10);
        var waiting = await Store.ListAsync("net", RunStatus.AwaitingApproval, take: 10);
        var all = await Store.ListAsync(stack: null, status: null, take: 2);

        Assert.Equal(["net.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "net.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"], net.Select(r => r.Id));
        Assert.Equal(["net.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"], waiting.Select(r => r.Id));
        Assert.Equal(["db.cccccccccccccccccccccccccccccccccccccccc", "net.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"], all.Select(r => r.Id));
    }

    [Fact]
    public async Task A_finished_run_writes_a_row_per_stage_and_per_deployment_and_reads_back()
    {
        var at = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var record = Record("app", "dddddddddddddddddddddddddddddddddddddddd", at, RunStatus.Completed);
        await _stand.RunRecorder.RecordAsync(record);

        var view = await Store.GetAsync(RunId.For("app", "dddddddddddddddddddddddddddddddddddddddd"));
        var stages = await StoredRows.PartitionAsync(_stand.Tables.Open("stages"), "app.dddddddddddddddddddddddddddddddddddddddd");
        var deployments = await StoredRows.PartitionAsync(_stand.Tables.Open("deployments"), "app.dddddddddddddddddddddddddddddddddddddddd");

        Assert.NotNull(view);
        Assert.Equal(RunStatus.Completed, view.Status);
        Assert.Equal(["build", "dev", "approval", "prod"], stages.OrderBy(r => r.RowKey).Select(r => r.GetString("Stage")));
        Assert.Equal(["dev", "prod"], deployments.Select(r => r.RowKey).Order());
        Assert.Equal(30, stages.Single(r => r.GetString("Stage") == "approval").GetDouble("WaitingSeconds"));
    }

    [Fact]
    public async Task A_run_that_is_not_finished_has_no_stage_rows_yet()
    {
        await _stand.RunRecorder.RecordAsync(Record("app", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", DateTimeOffset.UtcNow, RunStatus.AwaitingApproval));

        Assert.Empty(await StoredRows.PartitionAsync(_stand.Tables.Open("stages"), "app.eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"));
        Assert.Equal(RunStatus.AwaitingApproval, (await Store.GetAsync(RunId.For("app", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")))!.Status);
    }

    private static RunRecord Record(string stack, string commit, DateTimeOffset at, RunStatus status)
    {
        var input = new PipelineInput($"{stack}.{commit}", stack, new CommitInfo(commit), TestStacks.Governance(["dev"], ["prod"]), at);
        var stages = new List<StageExecution>
        {
            new("build", StageKind.Build, StageStatus.Succeeded, at, at, at.AddSeconds(5)),
            new("dev", StageKind.Test, StageStatus.Succeeded, at.AddSeconds(5), at.AddSeconds(6), at.AddSeconds(10)),
            new("approval", StageKind.Approval, StageStatus.Succeeded, at.AddSeconds(10), at.AddSeconds(40), at.AddSeconds(40)),
            new("prod", StageKind.Production, StageStatus.Succeeded, at.AddSeconds(40), at.AddSeconds(41), at.AddSeconds(50)),
        };
        var deployments = new List<DeploymentRecord>
        {
            new("dev", StageKind.Test, "v1", at.AddSeconds(6), at.AddSeconds(10)),
            new("prod", StageKind.Production, "v1", at.AddSeconds(41), at.AddSeconds(50)),
        };
        var progress = new RunProgress(status, stages, deployments, "v1", null, null, status.IsFinished() ? at.AddSeconds(50) : null);
        return new RunRecord(input, progress, at.AddSeconds(50));
    }
}
