// Wires the panel together: sign-in, exam choice, live connection, grid,
// alert list, alert detail and sound.

import { api, connectLive } from './api.js';
import { buildAlertList } from './alerts.js';
import { buildBeeper } from './beep.js';
import { buildAlertDetail } from './detail.js';
import { buildGrid } from './grid.js';

const $ = (id) => document.getElementById(id);

const beeper = buildBeeper();
let live = null;
let examId = null;
let helloCount = 0;
let resyncTimer = 0;

const grid = buildGrid($('grid'), {
  onOpenAlerts: (studentId) => {
    const alert = alerts.newestOpenFor(studentId);
    if (alert) openAlert(alert.id);
  },
  frameUrl: (studentId) => api.frameUrl(examId, studentId),
  scrollRoot: $('grid').parentElement,
});
const alerts = buildAlertList($('alert-list'), {
  onOpen: (id) => openAlert(id),
  onRender: () => {
    $('open-count').textContent = `(${alerts.openCount()} open)`;
  },
});
const detail = buildAlertDetail($('alert-detail'), {
  act: { dismiss: api.dismiss, warn: api.warn, escalate: api.escalate },
  onUpdated: (alert) => alertChanged(alert),
});

function showView(view) {
  $('login-view').hidden = view !== 'login';
  $('exam-view').hidden = view !== 'exam';
  if (view === 'login') $('login-username').focus();
}

function setBanner(text) {
  $('banner').textContent = text ?? '';
  $('banner').hidden = !text;
}

function showLogin(message = '') {
  stopLive();
  $('login-error').textContent = message;
  showView('login');
}

function stopLive() {
  if ($('alert-detail').open) $('alert-detail').close();
  if (live) live.close();
  live = null;
  setBanner(null);
}

// --- sign-in ---------------------------------------------------------------

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  // The sign-in click is the user gesture browsers require before audio may play.
  beeper.unlock();
  const submit = $('login-submit');
  submit.disabled = true;
  $('login-error').textContent = '';
  try {
    const { username } = await api.login($('login-username').value, $('login-password').value);
    $('login-password').value = '';
    await signedIn(username);
  } catch (e) {
    $('login-error').textContent = e.status === 401 ? 'Wrong username or password.' : e.message;
  } finally {
    submit.disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  stopLive();
  try {
    await api.logout();
  } catch {
    // signed out locally either way
  }
  showLogin();
});

async function signedIn(username) {
  $('user').textContent = username;
  showView('exam');
  let exams;
  try {
    exams = await api.exams();
  } catch (e) {
    if (e.status === 401) return showLogin();
    return showExamMessage(e.message);
  }
  const picker = $('exam-picker');
  picker.replaceChildren(
    ...exams.map((x) => {
      const opt = document.createElement('option');
      opt.value = x.id;
      opt.textContent = `${x.name} (${x.students} students)`;
      return opt;
    }),
  );
  const several = exams.length > 1;
  picker.hidden = !several;
  $('exam-picker-label').hidden = !several;
  if (!exams.length) return showExamMessage('No exam yet. Create one on the assistant, then reload this page.');
  const wanted = new URLSearchParams(location.hash.slice(1)).get('exam');
  const chosen = exams.find((x) => x.id === wanted) ?? exams[0];
  picker.value = chosen.id;
  openExam(chosen);
}

$('exam-picker').addEventListener('change', async () => {
  const exams = await api.exams().catch(() => []);
  const chosen = exams.find((x) => x.id === $('exam-picker').value);
  if (chosen) openExam(chosen);
});

function showExamMessage(text) {
  $('exam-message').textContent = text;
  $('exam-message').hidden = !text;
}

// --- live exam --------------------------------------------------------------

function openExam(exam) {
  stopLive();
  showExamMessage('');
  examId = exam.id;
  helloCount = 0;
  history.replaceState(null, '', `#exam=${encodeURIComponent(exam.id)}`);
  $('exam-name').textContent = exam.name;
  document.title = `${exam.name} — labwatch`;
  alerts.clear();
  grid.setStudents([]);
  renderNewAlerts();
  const thisExam = exam.id;
  live = connectLive(exam.id, {
    onMessage: (msg) => examId === thisExam && onLive(msg),
    onStatus: (status, info) => examId === thisExam && onLiveStatus(status, info),
  });
}

function onLive(msg) {
  switch (msg.type) {
    case 'hello': {
      helloCount += 1;
      grid.setStudents(msg.students ?? []);
      const list = msg.alerts ?? [];
      if (helloCount === 1) alerts.merge(list);
      // after a reconnect, alerts raised while we were away are new to this instructor
      else {
        for (const a of list) {
          const isNew = a.state === 'open';
          if (alerts.upsert(a, { isNew }) && isNew) announce();
        }
      }
      const shown = detail.currentId();
      if (shown && alerts.get(shown)) detail.update(alerts.get(shown));
      refreshAlerts();
      break;
    }
    case 'student':
      if (msg.student && !grid.updateStudent(msg.student)) scheduleResync();
      break;
    case 'frames':
      grid.pushFrames(msg.frames ?? []);
      break;
    case 'alert':
      if (msg.alert) {
        // notes (e.g. "agent back") are information only: listed, but no sound and no counter
        const important = msg.alert.state !== 'note';
        if (alerts.upsert(msg.alert, { isNew: important }) && important) announce();
        alertChanged(msg.alert);
      }
      break;
    case 'alert-updated':
      if (msg.alert) alertChanged(msg.alert);
      break;
    default:
      break; // newer servers may send more; ignore what we do not know
  }
}

async function onLiveStatus(status, info) {
  if (status === 'live') return setBanner(null);
  if (status === 'connecting') return setBanner('Connecting to the assistant…');
  const secs = Math.max(1, Math.round(info.delayMs / 1000));
  setBanner(
    info.delayMs
      ? `Connection to the assistant lost. Reconnecting in ${secs} s (attempt ${info.attempt})…`
      : `Reconnecting to the assistant (attempt ${info.attempt})…`,
  );
  // A restarted assistant may have forgotten our session: ask once per failure.
  if (info.delayMs && info.attempt >= 2) {
    try {
      await api.session();
    } catch (e) {
      if (e.status === 401) showLogin('Your session has ended (the assistant may have restarted). Sign in again.');
    }
  }
}

function scheduleResync() {
  if (resyncTimer) return;
  resyncTimer = setTimeout(async () => {
    resyncTimer = 0;
    try {
      grid.setStudents(await api.students(examId));
    } catch {
      // the next hello re-syncs anyway
    }
  }, 500);
}

async function refreshAlerts() {
  const wanted = examId;
  const state = alerts.filter();
  try {
    const list = await api.alerts(wanted, state);
    if (wanted === examId) alerts.merge(list);
    $('alerts-error').textContent = '';
  } catch (e) {
    if (e.status === 401) return showLogin('Your session has ended. Sign in again.');
    $('alerts-error').textContent = e.message;
  }
}

$('alert-filter').addEventListener('change', () => {
  alerts.setFilter($('alert-filter').value);
  refreshAlerts();
});

// --- alerts -------------------------------------------------------------------

function announce() {
  beeper.beep();
  renderNewAlerts();
}

function renderNewAlerts() {
  const btn = $('new-alerts');
  const newAlerts = alerts.unseenCount();
  btn.hidden = newAlerts === 0;
  btn.textContent = `${newAlerts} new alert${newAlerts === 1 ? '' : 's'}`;
  const base = document.title.replace(/^\(\d+\) /, '');
  document.title = newAlerts ? `(${newAlerts}) ${base}` : base;
}

$('new-alerts').addEventListener('click', () => {
  alerts.markAllSeen();
  renderNewAlerts();
  $('alert-list').querySelector('.alert-item')?.focus();
});

function alertChanged(alert) {
  alerts.upsert(alert);
  detail.update(alert);
  // the badge follows the alert store at once; the server's student event confirms it
  if (grid.student(alert.studentId)) grid.updateStudent({ studentId: alert.studentId, openAlerts: alerts.openCountFor(alert.studentId) });
}

// Where keyboard focus goes back to when the detail closes.
// The list is re-rendered on every change, so an alert is remembered by its id.
let opener = null;
$('alert-detail').addEventListener('close', () => {
  const list = $('alert-list');
  const id = opener?.closest?.('.alert-item')?.dataset.alertId;
  const same = id ? list.querySelector(`[data-alert-id="${CSS.escape(id)}"]`) : opener?.isConnected ? opener : null;
  // a dismissed alert leaves the "open" list: continue with the newest one instead of losing focus
  const target = same ?? list.querySelector('.alert-item');
  if (target) target.focus();
  opener = null;
});

function openAlert(id) {
  const alert = alerts.get(id);
  if (!alert) return;
  if (!$('alert-detail').open) opener = document.activeElement;
  alerts.markSeen(id);
  renderNewAlerts();
  detail.open(alert);
}

// --- sound ---------------------------------------------------------------------

function renderSound() {
  const status = beeper.status();
  const btn = $('sound');
  btn.textContent = status === 'on' ? 'Sound on' : status === 'muted' ? 'Sound off' : 'Click to enable sound';
  btn.setAttribute('aria-pressed', String(status === 'on'));
  btn.classList.toggle('warn', status === 'blocked');
}
beeper.onChange(renderSound);
$('sound').addEventListener('click', () => {
  const status = beeper.status();
  if (status === 'blocked') beeper.unlock();
  else beeper.setMuted(status === 'on');
});
// After a reload the session skips sign-in, so any first click or key press unlocks audio.
const unlockOnGesture = (ev) => {
  // the sound button's own click decides between enabling and muting
  if (ev.target instanceof Element && ev.target.closest('#sound')) return;
  if (beeper.status() === 'blocked') beeper.unlock();
};
document.addEventListener('pointerdown', unlockOnGesture, true);
document.addEventListener('keydown', unlockOnGesture, true);

grid.onFlush(() => {
  const students = grid.students();
  const count = { online: 0, silent: 0, offline: 0, suspicious: 0 };
  for (const s of students) {
    if (s.state in count) count[s.state] += 1;
    if (s.verdict === 'suspicious') count.suspicious += 1;
  }
  const text = `${students.length} students · ${count.online} online · ${count.silent} silent · ${count.offline} offline · ${count.suspicious} suspicious`;
  if ($('summary').textContent !== text) $('summary').textContent = text;
});

// --- start ------------------------------------------------------------------------

async function start() {
  renderSound();
  try {
    const { username } = await api.session();
    await signedIn(username);
  } catch (e) {
    showLogin(e.status === 401 ? '' : e.message);
  }
}

start();
