// The alert list: every alert the panel knows of, newest first, filtered by state.

export const KIND_LABEL = {
  suspicious: 'Prohibited activity',
  agent_silent: 'Agent silent',
  agent_back: 'Agent back',
  no_face: 'No face',
  several_faces: 'Several faces',
  phone: 'Phone',
};

export const STATE_LABEL = {
  open: 'open',
  dismissed: 'dismissed',
  warned: 'warned',
  escalated: 'escalated',
  note: 'note',
};

const MAX_SHOWN = 500;

export function formatTime(ms) {
  const d = new Date(ms);
  const sameDay = d.toDateString() === new Date().toDateString();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return sameDay ? time : `${d.toLocaleDateString()} ${time}`;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** root: the <ul>. onOpen(alertId): the user chose an alert. onRender(): after each repaint. */
export function buildAlertList(root, { onOpen, onRender }) {
  const store = new Map();
  const unseen = new Set();
  let filter = 'open';
  let scheduled = false;

  const matches = (a) => filter === 'all' || a.state === filter;

  const visible = () =>
    [...store.values()].filter(matches).sort((a, b) => b.createdAt - a.createdAt || (b.id > a.id ? 1 : -1));

  // Rows are kept by alert id and only rebuilt when what they show changes: the
  // list repaints on every alert event, and replacing the button under the
  // pointer between mousedown and mouseup loses the instructor's click.
  const rows = new Map();

  const rowFor = (a) => {
    let row = rows.get(a.id);
    if (!row) {
      const li = el('li');
      li.dataset.alertRow = a.id;
      const btn = el('button');
      btn.type = 'button';
      btn.dataset.alertId = a.id;
      btn.addEventListener('click', () => onOpen(a.id));
      li.append(btn);
      row = { li, btn, content: '' };
      rows.set(a.id, row);
    }
    const { btn } = row;
    btn.className = `alert-item state-${a.state} kind-${a.kind}${unseen.has(a.id) ? ' unseen' : ''}`;
    btn.dataset.studentId = a.studentId;
    const content = JSON.stringify([a.surname, a.name, a.studentId, a.createdAt, a.kind, a.state]);
    if (row.content !== content) {
      const who = el('span', 'who');
      who.append(el('span', 'alert-name', `${a.surname}, ${a.name}`), el('span', 'alert-sid', a.studentId));
      const what = el('span', 'what');
      const kind = el('span', 'alert-kind', KIND_LABEL[a.kind] ?? a.kind);
      kind.dataset.kind = a.kind;
      const state = el('span', `alert-state pill state-${a.state}`, STATE_LABEL[a.state] ?? a.state);
      what.append(el('time', 'alert-time', formatTime(a.createdAt)), kind, state);
      btn.replaceChildren(who, what);
      row.content = content;
    }
    return row;
  };

  const render = () => {
    scheduled = false;
    const focusedId = document.activeElement?.closest?.('.alert-item')?.dataset.alertId;
    const list = visible().slice(0, MAX_SHOWN);
    const shown = new Set(list.map((a) => a.id));
    for (const node of [...root.children]) if (!shown.has(node.dataset.alertRow)) node.remove();
    for (const id of rows.keys()) if (!shown.has(id)) rows.delete(id);
    // move only the rows that are out of place, so the others stay put under the pointer
    let at = root.firstChild;
    for (const a of list) {
      const { li } = rowFor(a);
      if (li === at) at = li.nextSibling;
      else root.insertBefore(li, at);
    }
    if (!list.length) root.append(el('li', 'empty', filter === 'all' ? 'No alerts yet.' : `No ${filter} alerts.`));
    if (focusedId && document.activeElement?.closest?.('.alert-item')?.dataset.alertId !== focusedId) {
      root.querySelector(`[data-alert-id="${CSS.escape(focusedId)}"]`)?.focus();
    }
    if (onRender) onRender();
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(render);
  };

  // Up/Down move between alerts, Home/End jump; Enter/Space open (native button).
  root.addEventListener('keydown', (ev) => {
    const items = [...root.querySelectorAll('.alert-item')];
    const i = items.indexOf(document.activeElement);
    if (i < 0) return;
    let next = -1;
    if (ev.key === 'ArrowDown') next = Math.min(items.length - 1, i + 1);
    else if (ev.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (ev.key === 'Home') next = 0;
    else if (ev.key === 'End') next = items.length - 1;
    if (next >= 0) {
      ev.preventDefault();
      items[next].focus();
    }
  });

  return {
    /** Returns true when the alert was not known before. */
    upsert(alert, { isNew = false } = {}) {
      const known = store.has(alert.id);
      store.set(alert.id, alert);
      if (!known && isNew) unseen.add(alert.id);
      schedule();
      return !known;
    },
    merge(alerts) {
      for (const a of alerts) store.set(a.id, a);
      schedule();
    },
    clear() {
      store.clear();
      unseen.clear();
      schedule();
    },
    get: (id) => store.get(id),
    has: (id) => store.has(id),
    setFilter(state) {
      filter = state;
      schedule();
    },
    filter: () => filter,
    markSeen(id) {
      if (unseen.delete(id)) schedule();
    },
    markAllSeen() {
      if (unseen.size) {
        unseen.clear();
        schedule();
      }
    },
    unseenCount: () => unseen.size,
    newestOpenFor(studentId) {
      let best = null;
      for (const a of store.values()) {
        if (a.studentId === studentId && a.state === 'open' && (!best || a.createdAt > best.createdAt)) best = a;
      }
      return best;
    },
    openCountFor(studentId) {
      let n = 0;
      for (const a of store.values()) if (a.studentId === studentId && a.state === 'open') n += 1;
      return n;
    },
    openCount: () => [...store.values()].filter((a) => a.state === 'open').length,
  };
}
