using System.Collections.Concurrent;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Pipeline.Metrics;
using Serverless.Pipeline.Runs;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Triggers;

/// <summary>
/// From pushes to runs. A push starts one run per stack it concerns (same repository, a branch the stack delivers, a
/// change under its paths) for its head commit, through <see cref="RunStarter"/>, whose run id is (stack, commit): a
/// redelivered push finds its runs and starts nothing. Each commit of the push that changed the stack becomes a row
/// of the <see cref="ChangeLedger"/>. Everything is written before this returns, so an acknowledged event is never lost;
/// if anything fails this throws and the caller answers 5xx, and the sender's retry repeats only idempotent writes.
/// </summary>
public sealed class PushDispatcher(
    StackStore stacks,
    ChangeLedger changes,
    IgnoredEventStore ignored,
    RunStarter starter,
    RunStartGate gate,
    TimeProvider clock,
    ILogger<PushDispatcher> log)
{
    public const int Parallelism = 8;

    public async Task<IReadOnlyList<EventOutcome>> DispatchAsync(IReadOnlyList<TriggerEvent> events, DurableTaskClient engine, CancellationToken cancellation = default)
    {
        var receivedAt = clock.GetUtcNow();
        var outcomes = new EventOutcome[events.Count];
        // One lookup of a repository's stacks per delivery, however many of its events name it.
        var lookups = new ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<StackDefinition>>>>(StringComparer.Ordinal);
        // The same push twice in one delivery (redelivered under its id, or published again under another) is acted on once.
        var distinct = events.Select((e, i) => (Event: e, Index: i)).GroupBy(x => Identity(x.Event), StringComparer.Ordinal).ToList();

        await Parallel.ForEachAsync(distinct, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellation }, async (group, token) =>
        {
            var (first, index) = group.First();
            var outcome = await DispatchAsync(first, lookups, engine, receivedAt, token);
            outcomes[index] = outcome;
            var copies = group.Skip(1).ToList();
            foreach (var (copy, at) in copies)
                outcomes[at] = (outcome.Outcome == EventOutcomeKind.Ignored ? outcome : AsDuplicate(outcome)) with { Id = copy.Id, Type = copy.Type };
            if (outcome.Outcome == EventOutcomeKind.Ignored)
            {
                // Every ignored event is recorded under its own id.
                await Task.WhenAll(copies.Where(c => c.Event.Id != first.Id).DistinctBy(c => c.Event.Id)
                    .Select(c => ignored.RecordAsync(c.Event.Source, c.Event.Id, c.Event.Type, c.Event.Push, outcome.Reason!, receivedAt, token)));
            }
        });
        return outcomes;
    }

    private static string Identity(TriggerEvent e) => e.Push is { } push
        ? $"push|{RepositoryUrl.Normalize(push.Repository) ?? push.Repository}|{push.Ref}|{push.Before}|{push.After}|{string.Join(',', push.Commits.Select(c => c.Id))}"
        : $"event|{e.Source}|{e.Id}";

    /// <summary>A copy of an event in the same delivery finds what the first copy started.</summary>
    private static EventOutcome AsDuplicate(EventOutcome first) => first.Outcome == EventOutcomeKind.Ignored
        ? first
        : first with { Outcome = EventOutcomeKind.AlreadyStarted, Runs = [.. first.Runs.Select(r => r with { AlreadyStarted = true })] };

    private async Task<EventOutcome> DispatchAsync(
        TriggerEvent e,
        ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<StackDefinition>>>> lookups,
        DurableTaskClient engine,
        DateTimeOffset receivedAt,
        CancellationToken cancellation)
    {
        if (e.Push is not { } push) return await IgnoreAsync(e, e.IgnoreReason ?? $"'{e.Type}' is not a push event.", receivedAt, cancellation);
        var repository = RepositoryUrl.Normalize(push.Repository) ?? push.Repository;
        if (push.Branch is not { } branch) return await IgnoreAsync(e, $"{push.Ref} is not a branch; only pushes to branches start runs.", receivedAt, cancellation);
        if (push.Deletes) return await IgnoreAsync(e, $"The push deleted branch '{branch}'.", receivedAt, cancellation);

        var candidates = await lookups.GetOrAdd(repository,
            url => new Lazy<Task<IReadOnlyList<StackDefinition>>>(() => stacks.ListByRepositoryAsync(url, cancellation))).Value;
        if (candidates.Count == 0) return await IgnoreAsync(e, $"No stack is registered for repository {repository}.", receivedAt, cancellation);

        var onBranch = candidates.Where(s => StackFilter.DeliversBranch(s, branch)).ToList();
        if (onBranch.Count == 0)
        {
            var registered = string.Join(", ", candidates.Select(s => $"{s.Name} delivers '{s.Branch}'"));
            return await IgnoreAsync(e, $"No stack of {repository} delivers branch '{branch}' ({registered}).", receivedAt, cancellation);
        }

        var concerned = onBranch.Select(s => (Stack: s, Changes: StackFilter.ChangesFor(s, push))).Where(x => x.Changes is not null).ToList();
        if (concerned.Count == 0)
        {
            var names = string.Join(", ", onBranch.Select(s => $"{s.Name} ({string.Join(", ", s.Paths)})"));
            return await IgnoreAsync(e, $"The push changed no file under the paths of {names}.", receivedAt, cancellation);
        }

        var runs = await Task.WhenAll(concerned.Select(x => StartAsync(e, push, repository, x.Stack, x.Changes!, engine, cancellation)));
        var kind = runs.Any(r => !r.AlreadyStarted) ? EventOutcomeKind.Started : EventOutcomeKind.AlreadyStarted;
        log.LogInformation("Push {EventId} to {Repository} {Ref} at {Commit}: {Runs}", e.Id, repository, push.Ref, push.After,
            string.Join(", ", runs.Select(r => r.AlreadyStarted ? $"{r.Id} (already started)" : $"{r.Id} started")));
        return new EventOutcome(e.Id, e.Type, kind, runs, repository, push.Ref, push.After);
    }

    private async Task<RunStarted> StartAsync(
        TriggerEvent e, RepositoryPush push, string repository, StackDefinition stack, IReadOnlyList<PushedCommit> commits,
        DurableTaskClient engine, CancellationToken cancellation)
    {
        var id = RunId.For(stack.Name, push.After);
        await changes.RecordAsync(stack.Name, id.ToString(), id.Commit, commits.Select(c => new ChangeEntry(
            CommitId.Normalize(c.Id), c.CommittedAt, c.Author, c.Message, push.PushedAt, repository, push.Branch, e.Source)), cancellation);

        var head = push.HeadCommit;
        // The run fetches the repository as registered; the push may name it another way (ssh, another case). Message and
        // author are shown until the build reads them from git; the build measures the change from the push's previous head.
        var commit = new CommitInfo(push.After, Repository: null, head?.Message, head?.Author ?? push.Pusher, head?.CommittedAt);
        var outcome = await gate.RunAsync(id.ToString(),
            () => starter.StartAsync(stack, commit, engine, cancellation, requestedBy: null, deliveredSince: push.Before), cancellation);
        return outcome with { Changes = commits.Count };
    }

    private async Task<EventOutcome> IgnoreAsync(TriggerEvent e, string reason, DateTimeOffset receivedAt, CancellationToken cancellation)
    {
        await ignored.RecordAsync(e.Source, e.Id, e.Type, e.Push, reason, receivedAt, cancellation);
        log.LogInformation("Event {EventId} ({Type}) from {Source} ignored: {Reason}", e.Id, e.Type, e.Source, reason);
        var repository = e.Push is null ? null : RepositoryUrl.Normalize(e.Push.Repository) ?? e.Push.Repository;
        return new EventOutcome(e.Id, e.Type, EventOutcomeKind.Ignored, [], repository, e.Push?.Ref, e.Push?.After, reason);
    }
}
