// The alert detail dialog: the three frames that raised the alert, the
// full-size evidence (it may arrive seconds later, so it updates live), the
// audit trail and the instructor's actions.

import { KIND_LABEL, STATE_LABEL, formatTime } from './alerts.js';

export const DEFAULT_WARNING =
  'The exam supervisor has noticed activity that is not permitted during this exam. Please close it and continue with your exam.';

const ACTION_LABEL = {
  dismiss: 'dismissed',
  dismissed: 'dismissed',
  warn: 'sent a warning',
  warned: 'sent a warning',
  escalate: 'escalated',
  escalated: 'escalated',
  created: 'created',
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * dialog: the <dialog> of index.html. act: {dismiss(id), warn(id, text), escalate(id, note)}
 * returning the updated alert. onUpdated(alert): store the server's answer.
 */
export function buildAlertDetail(dialog, { act, onUpdated }) {
  const $ = (sel) => dialog.querySelector(sel);
  const title = $('#detail-title');
  const meta = $('#detail-meta');
  const framesBox = $('#detail-frames');
  const evidenceBox = $('#detail-evidence');
  const trail = $('#detail-trail');
  const warnText = $('#warn-text');
  const note = $('#escalate-note');
  const status = $('#detail-status');
  const actionsBox = $('#detail-actions');
  const error = $('#detail-error');
  const buttons = {
    dismiss: $('#act-dismiss'),
    warn: $('#act-warn'),
    escalate: $('#act-escalate'),
  };
  let current = null;
  let busy = false;
  let shownEvidence = '';

  const setBusy = (value) => {
    busy = value;
    for (const b of Object.values(buttons)) b.disabled = value;
    dialog.setAttribute('aria-busy', String(value));
  };

  const renderFrames = (alert) => {
    const labels = ['2 s before', '1 s before', 'at the alert'];
    framesBox.replaceChildren(
      ...alert.frames.map((url, i) => {
        const fig = el('figure', 'frame-fig');
        const img = el('img', 'frame-large');
        img.src = url;
        img.width = 200;
        img.height = 200;
        img.alt = `Frame ${i + 1} of ${alert.frames.length} (${labels[i] ?? ''})`;
        fig.append(img, el('figcaption', '', labels[i] ?? `frame ${i + 1}`));
        return fig;
      }),
    );
  };

  const renderEvidence = (alert) => {
    const evidence = Array.isArray(alert.evidence) ? alert.evidence : [];
    const key = evidence.map((e) => e.url).join('\n');
    if (key === shownEvidence && evidenceBox.childElementCount) return; // do not reload images already shown
    shownEvidence = key;
    if (!evidence.length) {
      evidenceBox.replaceChildren(el('p', 'muted', 'The full-size screenshots are on their way from the student’s computer…'));
      return;
    }
    evidenceBox.replaceChildren(
      ...evidence.map((e, i) => {
        const fig = el('figure', 'evidence-fig');
        const link = el('a');
        link.href = e.url;
        link.target = '_blank';
        link.rel = 'noopener';
        const img = el('img', 'evidence');
        img.src = e.url;
        img.alt = `Full-size screenshot ${i + 1} (${e.width}×${e.height})`;
        img.loading = 'lazy';
        link.append(img);
        const cap = `${e.width}×${e.height}, captured ${formatTime(e.capturedAt)}, sha256 ${String(e.sha256).slice(0, 12)}…`;
        fig.append(link, el('figcaption', '', cap));
        return fig;
      }),
    );
  };

  const renderTrail = (alert) => {
    const rows = [el('li', '', `${formatTime(alert.createdAt)} — alert raised`)];
    for (const a of alert.actions ?? []) {
      const li = el('li');
      li.append(`${formatTime(a.at)} — ${a.author} ${ACTION_LABEL[a.action] ?? a.action}`);
      if (a.text) li.append(el('q', 'trail-text', a.text));
      rows.push(li);
    }
    trail.replaceChildren(...rows);
  };

  const render = (alert) => {
    title.textContent = `${alert.name} ${alert.surname} (${alert.studentId})`;
    const pill = el('span', `pill state-${alert.state}`, STATE_LABEL[alert.state] ?? alert.state);
    pill.id = 'detail-state';
    const views = Array.isArray(alert.viewScores) ? alert.viewScores : [];
    // with several monitors, say which one scored highest: the instructor looks there first
    const monitor = views.length > 1 ? ` on monitor ${views.indexOf(Math.max(...views)) + 1} of ${views.length}` : '';
    const score = typeof alert.score === 'number' ? ` · score ${alert.score.toFixed(2)}${monitor}` : '';
    meta.replaceChildren(`${KIND_LABEL[alert.kind] ?? alert.kind} · ${formatTime(alert.createdAt)}${score} · `, pill);
    dialog.dataset.alertId = alert.id;
    // notes (e.g. "agent back") are information only; the assistant refuses actions on them
    actionsBox.hidden = alert.state === 'note';
    renderEvidence(alert);
    renderTrail(alert);
  };

  const run = async (kind) => {
    if (!current || busy) return;
    error.textContent = '';
    status.textContent = '';
    const id = current.id;
    let text = '';
    if (kind === 'warn') {
      text = warnText.value.trim();
      if (!text) {
        error.textContent = 'Write the warning text the student will see, then send it.';
        warnText.focus();
        return;
      }
    }
    setBusy(true);
    status.textContent = 'Sending…';
    try {
      const updated =
        kind === 'dismiss' ? await act.dismiss(id) : kind === 'warn' ? await act.warn(id, text) : await act.escalate(id, note.value.trim());
      onUpdated(updated);
      status.textContent =
        kind === 'dismiss' ? 'Alert dismissed.' : kind === 'warn' ? 'Warning sent to the student.' : 'Alert escalated.';
    } catch (e) {
      status.textContent = '';
      error.textContent = e.code ? `${e.message} (${e.code})` : String(e.message ?? e);
    } finally {
      setBusy(false);
    }
  };

  buttons.dismiss.addEventListener('click', () => run('dismiss'));
  buttons.warn.addEventListener('click', () => run('warn'));
  buttons.escalate.addEventListener('click', () => run('escalate'));
  $('#detail-close').addEventListener('click', () => dialog.close());
  // Ctrl+Enter in the warning text sends it.
  warnText.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      run('warn');
    }
  });
  dialog.addEventListener('close', () => {
    current = null;
    delete dialog.dataset.alertId;
  });

  return {
    open(alert) {
      const same = current && current.id === alert.id;
      current = alert;
      if (!same) {
        shownEvidence = '';
        evidenceBox.replaceChildren();
        warnText.value = DEFAULT_WARNING;
        note.value = '';
        error.textContent = '';
        status.textContent = '';
        renderFrames(alert);
      }
      render(alert);
      if (!dialog.open) dialog.showModal();
    },
    /** Live update (evidence arrived, another instructor acted). */
    update(alert) {
      if (current && current.id === alert.id && dialog.open) {
        current = alert;
        render(alert);
      }
    },
    currentId: () => (current ? current.id : null),
  };
}
