// A run waiting at its approval gate: how long it has waited, its open requests, and Approve / Reject buttons.
// A button obtains the run's signed links (POST /api/runs/{id}/approvals/links, Operator role) and goes to the link's
// approval page, where the person confirms with their name. The dashboard itself never decides.
import { postJson, ApiError, KEY_CHANGED } from './api.js';
import { el, duration, now, time, clock, safeHttpUrl } from './format.js';

/** What the last click on a run's buttons came to, by run id, so that it survives the redraw every few seconds. */
const outcomes = new Map();
// Another key may have another role: let the buttons be tried again.
window.addEventListener(KEY_CHANGED, () => outcomes.clear());

export function approvalNotice(run, approvals) {
  const gate = (run.stages ?? []).find((s) => s.kind === 'Approval' && s.status === 'Running');
  const box = el('div', { class: 'notice warn approval', role: 'note' },
    el('p', {}, el('strong', { text: 'Awaiting approval' }), gate?.readyAt ? ` for ${duration((now() - time(gate.readyAt)) / 1000)}` : ''));
  const open = (approvals?.requests ?? []).filter((r) => r.status === 'Open' || r.status === undefined);
  for (const request of open) {
    const needed = request.policy?.minimumApprovals ?? 1;
    box.append(el('p', { class: 'key-sub' },
      `Gate ${request.gate ?? 'approval'}: ${request.approvals ?? 0} of ${needed} approval${needed === 1 ? '' : 's'}`,
      request.expiresAt ? `, expires ${clock(request.expiresAt)}` : ''));
  }
  box.append(actions(run));
  return box;
}

function actions(run) {
  const outcome = outcomes.get(run.id);
  const area = el('div', { class: 'actions', dataset: { runId: run.id } });
  if (outcome?.denied) {
    // Without the role the buttons cannot work: say so in their place.
    area.append(el('p', { class: 'approval-message denied', role: 'alert' },
      el('strong', { text: outcome.title }), outcome.detail ? ` ${outcome.detail}` : ''));
    return area;
  }
  area.append(
    button(run, 'approve', 'Approve', outcome),
    button(run, 'reject', 'Reject', outcome),
    el('span', { class: 'key-sub', text: 'opens the signed approval page, where you confirm' }));
  if (outcome?.message) area.append(el('p', { class: 'approval-message', role: 'alert', text: outcome.message }));
  return area;
}

function button(run, choice, label, outcome) {
  const node = el('button', { type: 'button', class: `button ${choice}`, dataset: { choice }, text: outcome?.busy === choice ? 'Opening…' : label });
  node.disabled = Boolean(outcome?.busy);
  node.addEventListener('click', () => follow(run, choice));
  return node;
}

async function follow(run, choice) {
  outcomes.set(run.id, { busy: choice });
  redraw(run);
  try {
    const links = await postJson(`runs/${encodeURIComponent(run.id)}/approvals/links`);
    const target = safeHttpUrl(choice === 'approve' ? links?.approveUrl : links?.rejectUrl);
    if (!target) throw new Error('the service answered without a usable link');
    outcomes.delete(run.id);
    // The same tab, on purpose: this navigation comes after an awaited request, outside the click's user activation,
    // where browsers may block a new window as a pop-up. The approval page is the next step of the same task (Back
    // returns here), and this tab keeps its API key in sessionStorage.
    window.location.assign(target);
  } catch (error) {
    const verb = choice === 'approve' ? 'Approving' : 'Rejecting';
    if (error instanceof ApiError && error.status === 403) {
      outcomes.set(run.id, { denied: true, title: `${verb} needs the Operator role.`, detail: error.detail });
    } else if (error instanceof ApiError && error.status === 401) {
      outcomes.set(run.id, { message: `${verb} needs an API key with the Operator role.` });
    } else if (error instanceof ApiError) {
      outcomes.set(run.id, { message: error.detail || error.message });
    } else {
      outcomes.set(run.id, { message: `Cannot reach the service: ${error.message}` });
    }
    redraw(run);
  }
}

/** Redraws a run's buttons at once; the card may have been redrawn by a refresh meanwhile, so it is looked up again. */
function redraw(run) {
  for (const area of document.querySelectorAll('.approval .actions')) {
    if (area.dataset.runId === run.id) area.replaceWith(actions(run));
  }
}
