// Runs: the recent runs of a stack (or of all), each with its stage timeline: a bar per stage showing the time the
// change waited (queues, people) and the time work was done on it, the value stream of that change.
import { getJson } from './api.js';
import { el, duration, ago, clock, time, now, shortCommit } from './format.js';
import { approvalNotice } from './approve.js';

const FINISHED = new Set(['Completed', 'Failed', 'Rejected']);
const STATUS_TEXT = {
  Queued: 'Queued',
  Building: 'Building',
  Testing: 'Testing',
  AwaitingApproval: 'Awaiting approval',
  DeployingProduction: 'Deploying to production',
  Completed: 'Completed',
  Failed: 'Failed',
  Rejected: 'Rejected',
};

/** Finished runs never change: their details are read once. */
const finishedRuns = new Map();

/** The listed runs with their details (and approval requests while they wait), newest first. */
export async function loadRuns(stack, take) {
  const list = await getJson('runs', { stack, take });
  return Promise.all((Array.isArray(list) ? list : []).map(async (summary) => {
    let run = finishedRuns.get(summary.id);
    if (!run) {
      run = await getJson(`runs/${encodeURIComponent(summary.id)}`, {}, { allowNotFound: true });
      if (run && FINISHED.has(run.status)) finishedRuns.set(summary.id, run);
    }
    run ??= { ...summary, commit: { id: summary.commit }, stages: [], deployments: [] };
    const approvals = run.status === 'AwaitingApproval' ? await loadApprovals(run.id) : null;
    return { run, approvals };
  }));
}

/** The approval requests of a run; absent (null) when that API is not there or does not answer. */
async function loadApprovals(id) {
  try {
    return await getJson(`runs/${encodeURIComponent(id)}/approvals`, {}, { allowNotFound: true });
  } catch {
    return null;
  }
}

export function renderRuns(container, entries) {
  if (entries.length === 0) {
    container.replaceChildren(el('p', { class: 'empty', text: 'No runs yet. Push a commit to a registered stack, or start a run through the API.' }));
    return;
  }
  container.replaceChildren(...entries.map(({ run, approvals }) => runCard(run, approvals)));
}

function statusClass(status) {
  if (status === 'Completed') return 'ok';
  if (status === 'Failed' || status === 'Rejected') return 'bad';
  if (status === 'AwaitingApproval') return 'warn';
  return 'run';
}

function runCard(run, approvals) {
  const status = run.status ?? 'Queued';
  const commit = run.commit ?? {};
  const card = el('article', {
    class: `run${status === 'Failed' || status === 'Rejected' ? ' is-failed' : ''}${status === 'AwaitingApproval' ? ' is-waiting' : ''}`,
    dataset: { runId: run.id, status },
  });
  const flow = valueStream(run);

  card.append(
    el('div', { class: 'run-head' },
      el('span', { class: `badge ${statusClass(status)}`, text: STATUS_TEXT[status] ?? status }),
      el('span', { class: 'run-title' }, run.stack, ' · ', el('code', { title: commit.id, text: shortCommit(commit.id) })),
      run.changeType ? el('span', { class: 'badge', text: `${run.changeType} change` }) : null),
    el('div', { class: 'run-meta' },
      commit.message ? el('span', { class: 'run-message', text: `“${firstLine(commit.message)}”` }) : null,
      commit.author ? el('span', { text: `by ${commit.author}` }) : null,
      el('span', { title: clock(run.requestedAt), text: `requested ${ago(run.requestedAt)}` }),
      run.artifactVersion ? el('span', {}, 'artifact ', el('code', { text: run.artifactVersion })) : null),
    el('div', { class: 'value-stream', dataset: { workingSeconds: flow.working.toFixed(1), waitingSeconds: flow.waiting.toFixed(1) } },
      el('span', {}, 'elapsed ', el('b', { text: duration(flow.elapsed) })),
      el('span', {}, 'working ', el('b', { text: duration(flow.working) })),
      el('span', {}, 'waiting ', el('b', { text: duration(flow.waiting) })),
      flow.elapsed > 0 ? el('span', {}, 'flow efficiency ', el('b', { text: `${Math.round((flow.working / flow.elapsed) * 100)} %` })) : null,
      flow.leadSeconds !== null ? el('span', { title: 'from the commit to the last production instance' }, 'lead time ', el('b', { text: duration(flow.leadSeconds) })) : null),
  );

  if ((status === 'Failed' || status === 'Rejected') && run.reason) {
    card.append(el('div', { class: 'notice bad', role: 'note' },
      el('p', {}, el('strong', { text: status === 'Rejected' ? 'Rejected: ' : 'Failed: ' }), el('span', { class: 'reason', text: run.reason }))));
  }
  if (status === 'AwaitingApproval') card.append(approvalNotice(run, approvals));
  card.append(timeline(run, flow));
  return card;
}

function firstLine(text) {
  const line = String(text).split('\n')[0];
  return line.length > 140 ? `${line.slice(0, 140)}…` : line;
}

/** Elapsed time of the run, and how much of it some stage was being worked on (the union of working intervals). */
function valueStream(run) {
  const stages = run.stages ?? [];
  const finished = FINISHED.has(run.status);
  const requested = time(run.requestedAt);
  const starts = [requested, ...stages.map((s) => time(s.readyAt))].filter((t) => t !== null);
  const ends = [time(run.finishedAt), ...stages.map((s) => time(s.finishedAt))].filter((t) => t !== null);
  const t0 = starts.length ? Math.min(...starts) : now();
  let t1 = finished ? (ends.length ? Math.max(...ends) : t0) : Math.max(now(), ...ends);
  if (t1 <= t0) t1 = t0 + 1;

  const intervals = [];
  for (const stage of stages) {
    const started = time(stage.startedAt);
    const ended = time(stage.finishedAt) ?? (stage.status === 'Running' && started !== null ? t1 : null);
    if (started !== null && ended !== null && ended > started) intervals.push([started, ended]);
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let working = 0;
  let reach = -Infinity;
  for (const [start, end] of intervals) {
    const from = Math.max(start, reach);
    if (end > from) working += end - from;
    reach = Math.max(reach, end);
  }
  const elapsed = (t1 - t0) / 1000;
  working = Math.min(working / 1000, elapsed);
  const committed = time(run.commit?.committedAt);
  const leadSeconds = run.status === 'Completed' && committed !== null && time(run.finishedAt) !== null
    ? Math.max(0, (time(run.finishedAt) - committed) / 1000)
    : null;
  return { t0, t1, elapsed, working, waiting: Math.max(0, elapsed - working), leadSeconds };
}

function timeline(run, flow) {
  const { t0, t1 } = flow;
  const span = t1 - t0;
  const position = (t) => `${(Math.min(Math.max(t - t0, 0), span) / span) * 100}%`;
  const width = (from, to) => `${(Math.max(0, Math.min(to, t1) - Math.max(from, t0)) / span) * 100}%`;
  const list = el('div', { class: 'timeline', role: 'list', 'aria-label': `Stages of ${run.id}` });

  for (const stage of run.stages ?? []) {
    const status = (stage.status ?? 'Pending').toLowerCase();
    const ready = time(stage.readyAt);
    const started = time(stage.startedAt);
    const ended = time(stage.finishedAt);
    const running = stage.status === 'Running';
    const track = el('div', { class: 'track' });

    const waitEnd = started ?? ended ?? (running ? t1 : null);
    if (ready !== null && waitEnd !== null && waitEnd > ready) {
      const segment = el('span', { class: 'seg seg-wait' });
      segment.style.left = position(ready);
      segment.style.width = width(ready, waitEnd);
      track.append(segment);
    }
    const workEnd = ended ?? (running ? t1 : null);
    if (started !== null && workEnd !== null) {
      const segment = el('span', { class: 'seg seg-work' });
      segment.style.left = position(started);
      segment.style.width = width(started, workEnd);
      track.append(segment);
    }

    const waiting = stage.waitingSeconds ?? (ready !== null && waitEnd !== null ? (waitEnd - ready) / 1000 : null);
    const working = stage.workingSeconds ?? (started !== null && workEnd !== null ? (workEnd - started) / 1000 : null);
    let times;
    if (status === 'pending') times = 'pending';
    else if (status === 'skipped') times = 'skipped';
    else times = `wait ${duration(waiting)} · work ${duration(working)}`;

    const row = el('div', {
      class: `stage ${status}`,
      role: 'listitem',
      dataset: { stage: stage.name, kind: stage.kind ?? '', status: stage.status ?? '' },
      title: [stage.name, stage.status, stage.detail].filter(Boolean).join(' — '),
    },
    el('span', { class: 'stage-name' }, stage.name, el('span', { class: 'kind', text: kindText(stage.kind) })),
    track,
    el('span', { class: 'stage-times', text: times }));
    track.setAttribute('aria-label', `${stage.name}: ${stage.status}, ${times}`);
    if ((status === 'failed' || status === 'rejected') && stage.detail) row.append(el('span', { class: 'stage-detail', text: stage.detail }));
    list.append(row);
  }
  if (!run.stages || run.stages.length === 0) list.append(el('p', { class: 'empty', text: 'No stages recorded yet.' }));
  return list;
}

function kindText(kind) {
  switch (kind) {
    case 'Build': return 'build';
    case 'Test': return 'test';
    case 'Approval': return 'gate';
    case 'Production': return 'prod';
    default: return '';
  }
}
