// Estate: stacks × environments, the version each environment runs, how far it is behind the stack's latest
// release, and when it was last applied (GET /api/estate).
import { getJson } from './api.js';
import { el, ago, clock, duration, learnServerTime } from './format.js';

export async function loadEstate(stack) {
  const estate = await getJson('estate', { stack }, { allowNotFound: true });
  if (estate?.generatedAt) learnServerTime(estate.generatedAt);
  return estate;
}

export function renderEstate(table, estate) {
  const stacks = estate?.stacks ?? [];
  if (stacks.length === 0) {
    table.replaceChildren(el('tbody', {}, el('tr', {}, el('td', { class: 'empty', text: estate ? 'No stacks registered.' : 'No estate data.' }))));
    return;
  }

  // Columns: every environment of any stack, test environments first, each in the order its stack lists it.
  const columns = [];
  const kinds = new Map();
  for (const kind of ['test', 'production', 'unregistered']) {
    for (const stack of stacks) {
      for (const env of stack.environments ?? []) {
        if (env.kind !== kind || kinds.has(env.environment)) continue;
        kinds.set(env.environment, env.kind);
        columns.push(env.environment);
      }
    }
  }

  const head = el('thead', {}, el('tr', {},
    el('th', { scope: 'col', text: 'Stack' }),
    columns.map((name) => el('th', { scope: 'col' }, name, el('small', { text: kindText(kinds.get(name)) })))));

  const body = el('tbody');
  for (const stack of stacks) {
    const byName = new Map((stack.environments ?? []).map((e) => [e.environment, e]));
    const latest = stack.latest;
    const row = el('tr', { dataset: { stack: stack.stack } },
      el('th', { scope: 'row' },
        stack.stack,
        el('small', {}, latest ? ['latest ', el('code', { text: latest.version }), ` · ${ago(latest.releasedAt)}`] : 'no release yet'),
        stack.productionVersions > 1 ? el('small', { class: 'drift', text: `${stack.productionVersions} versions in production` }) : null));
    for (const name of columns) row.append(cell(stack.stack, name, byName.get(name)));
    body.append(row);
  }
  table.replaceChildren(head, body);
}

function kindText(kind) {
  if (kind === 'production') return 'production';
  if (kind === 'test') return 'test';
  return 'not registered';
}

function cell(stack, name, env) {
  if (!env) return el('td', { class: 'cell none', dataset: { stack, env: name } });
  if (!env.version) {
    return el('td', { class: 'cell never', dataset: { stack, env: name } }, el('span', { class: 'state', text: 'never applied' }));
  }
  const state = env.current === true ? 'current' : env.ahead ? 'ahead' : env.current === false ? 'behind' : 'unknown';
  let stateText = '';
  if (env.current === true) stateText = '✓ latest';
  else if (env.ahead) stateText = 'newer candidate';
  else if (env.current === false) {
    const count = env.behind ?? 0;
    stateText = count > 0 ? `${env.behindAtLeast ? '≥ ' : ''}${count} release${count === 1 ? '' : 's'} behind` : 'not the latest';
    if (env.behindSeconds !== undefined && env.behindSeconds !== null) stateText += ` · ${duration(env.behindSeconds)}`;
  }
  return el('td', { class: `cell ${state}`, dataset: { stack, env: name, version: env.version }, title: `run ${env.runId ?? '?'}, applied ${clock(env.appliedAt)}` },
    el('code', { text: env.version }),
    stateText ? el('span', { class: 'state', text: stateText }) : null,
    el('span', { class: 'when', text: `applied ${ago(env.appliedAt)}` }));
}
