using Serverless.Pipeline.Metrics;

namespace Serverless.Pipeline.Tests.Metrics;

/// <summary>Finished runs as the orchestrator records them, for the metrics' fixtures.</summary>
internal static class FinishedRuns
{
    /// <summary>A full commit id made from <paramref name="seed"/>, the same every time.</summary>
    public static string Commit(string seed) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)))[..40].ToLowerInvariant();

    /// <summary>
    /// A run of <paramref name="stack"/>: build 30 minutes before <paramref name="at"/>, "dev", an approval wait of 8 minutes,
    /// then one production wave: instance i of n finishes n−1−i minutes before
    /// <paramref name="at"/>, and each instance in <paramref name="failing"/> fails there instead (as the orchestrator marks a
    /// failed stage: ready, finished, never started). <paramref name="registered"/>: the stack's production instances, when
    /// the run delivers to fewer (a rollback of one environment). <paramref name="label"/>: a run id's label (a rollback's).
    /// </summary>
    public static RunRecord Released(
        string stack,
        string commit,
        DateTimeOffset at,
        string[] production,
        string[]? failing = null,
        DateTimeOffset? committedAt = null,
        string? changeType = null,
        RollbackOrder? rollback = null,
        string[]? registered = null,
        string? label = null)
    {
        failing ??= [];
        var version = "v-" + commit;
        var input = new PipelineInput(RunId.For(stack, commit, label).ToString(), stack, new CommitInfo(commit), TestStacks.Governance(["dev"], registered ?? production),
            at.AddMinutes(-30), Rollback: rollback);
        var stages = new List<StageExecution>
        {
            new("build", StageKind.Build, StageStatus.Succeeded, at.AddMinutes(-30), at.AddMinutes(-30), at.AddMinutes(-29)),
            new("dev", StageKind.Test, StageStatus.Succeeded, at.AddMinutes(-29), at.AddMinutes(-29), at.AddMinutes(-28)),
            new("approval", StageKind.Approval, StageStatus.Succeeded, at.AddMinutes(-28), at.AddMinutes(-20), at.AddMinutes(-20)),
        };
        var deployments = new List<DeploymentRecord> { new("dev", StageKind.Test, version, at.AddMinutes(-29), at.AddMinutes(-28)) };
        for (var i = 0; i < production.Length; i++)
        {
            var (instance, finished) = (production[i], at.AddMinutes(i - (production.Length - 1)));
            if (failing.Contains(instance))
            {
                stages.Add(new(instance, StageKind.Production, StageStatus.Failed, at.AddMinutes(-20), null, finished, "ARM: Conflict"));
                continue;
            }
            stages.Add(new(instance, StageKind.Production, StageStatus.Succeeded, at.AddMinutes(-20), at.AddMinutes(-19), finished));
            deployments.Add(new DeploymentRecord(instance, StageKind.Production, version, at.AddMinutes(-19), finished));
        }
        var status = failing.Length > 0 ? RunStatus.Failed : RunStatus.Completed;
        // The build's commit, as git has it: the one source of the commit time.
        var progress = new RunProgress(status, stages, deployments, version, FinishedAt: at, ChangeType: changeType,
            Commit: new CommitInfo(commit, CommittedAt: committedAt));
        return new RunRecord(input, progress, at);
    }

    /// <summary>The run's release, delivering its head commit (made at the time git gives for it).</summary>
    public static Release ReleaseOf(RunRecord run) =>
        RunFacts.ToRelease(run, [new CommitFact(run.Progress.Commit!.Id, run.Progress.Commit.CommittedAt!.Value)])!;
}
