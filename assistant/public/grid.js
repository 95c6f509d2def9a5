// The live grid of students. Built to stay smooth with 150+ students and a
// frame per student per second: each tile's DOM is created once, incoming
// updates only mark tiles dirty, and one requestAnimationFrame callback writes
// them all (DOM writes only, never a read, so no forced layout).

const FRAME_SIDE = 50;
const FRAME_BYTES = FRAME_SIDE * FRAME_SIDE * 3;
// Time per animation frame spent painting student frames (60 fps leaves ~16 ms).
const FRAME_BUDGET_MS = 6;

const STATE_LABEL = { online: 'online', offline: 'offline', silent: 'silent' };

function collator() {
  return new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
}

// Uint8Array.fromBase64 (Chromium 140+, Firefox 133+) is ~7x faster than atob + charCodeAt.
const fromBase64 = typeof Uint8Array.fromBase64 === 'function' ? (b64) => Uint8Array.fromBase64(b64) : null;

// Most views a frame carries (core/protocol.ts MAX_FRAME_VIEWS): one per monitor.
const MAX_VIEWS = 4;

function base64Bytes(base64) {
  try {
    if (fromBase64) return fromBase64(base64);
    const bin = atob(base64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

// A frame is one 50x50 view per monitor, one after the other; the tile shows
// them side by side (a 50k x 50 canvas), as the monitors stand.
function decodeFrame(base64) {
  const rgb = base64Bytes(base64);
  if (!rgb || rgb.length % FRAME_BYTES !== 0) return null;
  const views = rgb.length / FRAME_BYTES;
  if (views < 1 || views > MAX_VIEWS) return null;
  return { rgb, views };
}

function writeViews({ rgb, views }, rgba) {
  const width = views * FRAME_SIDE;
  for (let v = 0; v < views; v++) {
    for (let y = 0; y < FRAME_SIDE; y++) {
      let i = v * FRAME_BYTES + y * FRAME_SIDE * 3;
      let j = (y * width + v * FRAME_SIDE) * 4;
      for (let x = 0; x < FRAME_SIDE; x++, i += 3, j += 4) {
        rgba[j] = rgb[i];
        rgba[j + 1] = rgb[i + 1];
        rgba[j + 2] = rgb[i + 2];
        rgba[j + 3] = 255;
      }
    }
  }
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * root: the grid container; scrollRoot: the element that scrolls it.
 * onOpenAlerts(studentId): the user asked to see a student's open alerts.
 * frameUrl(studentId): URL of the latest stored frame, drawn once so a reloaded
 * panel does not start blank.
 */
export function buildGrid(root, { onOpenAlerts, frameUrl, scrollRoot = null }) {
  const tiles = new Map();
  const byNode = new WeakMap();
  const dirty = new Set();
  const pendingFrames = new Map();
  let scheduled = false;
  let onFlush = null;

  const makeTile = (student) => {
    const node = el('article', 'tile');
    node.dataset.studentId = student.studentId;
    const canvas = el('canvas', 'frame');
    canvas.width = FRAME_SIDE;
    canvas.height = FRAME_SIDE;
    canvas.setAttribute('role', 'img');
    const info = el('div', 'info');
    const name = el('div', 'name');
    const status = el('div', 'status');
    const id = el('span', 'sid');
    const state = el('span', 'state');
    status.append(id, state);
    const line3 = el('div', 'line3');
    const verdict = el('span', 'verdict');
    const drops = el('span', 'drops');
    drops.hidden = true;
    line3.append(verdict, drops);
    const badge = el('button', 'badge');
    badge.type = 'button';
    badge.hidden = true;
    badge.addEventListener('click', () => onOpenAlerts(student.studentId));
    info.append(name, status, line3);
    node.append(canvas, info, badge);
    const ctx = canvas.getContext('2d', { alpha: false });
    const tile = {
      student,
      node, canvas, ctx, name, id, state, drops, verdict, badge,
      image: ctx.createImageData(FRAME_SIDE, FRAME_SIDE),
      views: 1,
      hasLiveFrame: false,
      visible: false,
      // newest frame received while off screen, painted when the tile scrolls into view
      parked: null,
      needsStoredFrame: false,
      shown: {},
    };
    byNode.set(node, tile);
    visibility.observe(node);
    return tile;
  };

  // Writes only what changed since the last paint of this tile.
  const applyStudent = (tile) => {
    const s = tile.student;
    const shown = tile.shown;
    const fullName = `${s.surname}, ${s.name}`;
    if (shown.fullName !== fullName) {
      tile.name.textContent = fullName;
      tile.canvas.setAttribute('aria-label', `Latest screen of ${s.name} ${s.surname}`);
      shown.fullName = fullName;
    }
    if (shown.studentId !== s.studentId) {
      tile.id.textContent = s.studentId;
      shown.studentId = s.studentId;
    }
    const state = STATE_LABEL[s.state] ? s.state : 'offline';
    if (shown.state !== state) {
      tile.node.classList.remove(`state-${shown.state}`);
      tile.node.classList.add(`state-${state}`);
      tile.state.textContent = state;
      shown.state = state;
    }
    const verdict = s.verdict === 'suspicious' || s.verdict === 'permitted' ? s.verdict : 'none';
    const score = typeof s.score === 'number' ? s.score.toFixed(2) : '';
    if (shown.verdict !== verdict || shown.score !== score) {
      tile.node.classList.remove(`verdict-${shown.verdict}`);
      tile.node.classList.add(`verdict-${verdict}`);
      // the score matters only when suspicious; "permitted 0.03" would just crowd the tile
      tile.verdict.textContent = verdict === 'none' ? 'no verdict' : verdict === 'suspicious' && score ? `suspicious ${score}` : verdict;
      shown.verdict = verdict;
      shown.score = score;
    }
    // Frames the agent's resend buffer dropped during an outage were never classified:
    // the instructor must see that this student's record has holes.
    const dropped = Number(s.agentCounters?.dropped) || 0;
    if (shown.dropped !== dropped) {
      tile.drops.hidden = dropped === 0;
      tile.drops.textContent = `⚠ ${dropped} lost`;
      tile.drops.title = `The agent dropped ${dropped} frame${dropped === 1 ? '' : 's'} it could not hold while offline; they were never checked`;
      tile.node.classList.toggle('has-drops', dropped > 0);
      shown.dropped = dropped;
    }
    const title = `${s.name} ${s.surname} (${s.studentId}): ${state}, ${verdict === 'none' ? 'no verdict yet' : `${verdict}${score ? `, score ${score}` : ''}`}` +
      (dropped ? `, ${dropped} frame${dropped === 1 ? '' : 's'} lost while offline` : '');
    if (shown.title !== title) {
      tile.node.title = title;
      shown.title = title;
    }
    const open = Number(s.openAlerts) || 0;
    if (shown.open !== open) {
      tile.badge.hidden = open === 0;
      tile.badge.textContent = String(open);
      tile.badge.setAttribute('aria-label', `${open} open alert${open === 1 ? '' : 's'} for ${s.name} ${s.surname}`);
      tile.node.classList.toggle('has-alerts', open > 0);
      shown.open = open;
    }
  };

  const flush = () => {
    scheduled = false;
    const studentsChanged = dirty.size > 0;
    for (const id of dirty) {
      const tile = tiles.get(id);
      if (tile) applyStudent(tile);
    }
    dirty.clear();
    // Decoding is the costly part; spread a large batch over several animation
    // frames rather than blocking one (a slow or busy machine must not stutter).
    const start = performance.now();
    for (const [id, rgb] of pendingFrames) {
      pendingFrames.delete(id);
      const tile = tiles.get(id);
      const frame = tile ? decodeFrame(rgb) : null;
      if (frame) {
        if (frame.views !== tile.views) setViews(tile, frame.views);
        writeViews(frame, tile.image.data);
        tile.ctx.putImageData(tile.image, 0, 0);
        tile.hasLiveFrame = true;
      }
      if (performance.now() - start > FRAME_BUDGET_MS) break;
    }
    if (pendingFrames.size) schedule();
    if (studentsChanged && onFlush) onFlush();
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(flush);
  };

  // Every canvas is a composited layer: painting only the tiles on screen (plus a
  // margin) keeps the per-second work proportional to what the instructor sees.
  const visibility = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        const tile = byNode.get(e.target);
        if (!tile) continue;
        tile.visible = e.isIntersecting;
        if (!tile.visible) continue;
        if (tile.parked) {
          pendingFrames.set(tile.student.studentId, tile.parked);
          tile.parked = null;
          schedule();
        } else if (tile.needsStoredFrame) {
          tile.needsStoredFrame = false;
          loadStoredFrame(tile);
        }
      }
    },
    { root: scrollRoot, rootMargin: '200px 0px' },
  );

  // A student with two monitors gets a 100x50 canvas, drawn letterboxed in the tile.
  const setViews = (tile, views) => {
    tile.views = views;
    tile.canvas.width = views * FRAME_SIDE;
    tile.image = tile.ctx.createImageData(views * FRAME_SIDE, FRAME_SIDE);
    tile.canvas.dataset.views = String(views);
  };

  const loadStoredFrame = (tile) => {
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => {
      if (tile.hasLiveFrame || tiles.get(tile.student.studentId) !== tile) return;
      // the stored frame is its monitors side by side (frameToPng)
      const views = Math.round(img.naturalWidth / img.naturalHeight);
      if (views >= 1 && views <= MAX_VIEWS && views !== tile.views) setViews(tile, views);
      tile.ctx.drawImage(img, 0, 0, tile.views * FRAME_SIDE, FRAME_SIDE);
    };
    img.src = frameUrl(tile.student.studentId);
  };

  return {
    /** Replaces the whole roster (on every hello, also after a reconnect). */
    setStudents(students) {
      const cmp = collator();
      const sorted = [...students].sort(
        (a, b) => cmp.compare(a.surname, b.surname) || cmp.compare(a.name, b.name) || cmp.compare(a.studentId, b.studentId),
      );
      const next = new Map();
      const fragment = document.createDocumentFragment();
      for (const s of sorted) {
        // keep existing tiles (and their last frame) across reconnects
        const tile = tiles.get(s.studentId) ?? makeTile(s);
        tile.student = s;
        applyStudent(tile);
        next.set(s.studentId, tile);
        fragment.append(tile.node);
        if (!tile.hasLiveFrame && s.lastFrameAt) {
          if (tile.visible) loadStoredFrame(tile);
          else tile.needsStoredFrame = true;
        }
      }
      for (const [id, tile] of tiles) if (!next.has(id)) visibility.unobserve(tile.node);
      tiles.clear();
      for (const [k, v] of next) tiles.set(k, v);
      root.replaceChildren(fragment);
      dirty.clear();
      if (onFlush) onFlush();
    },
    updateStudent(student) {
      const tile = tiles.get(student.studentId);
      if (!tile) return false; // unknown student: the caller re-syncs the roster
      tile.student = { ...tile.student, ...student };
      dirty.add(student.studentId);
      schedule();
      return true;
    },
    /** frames: [{studentId, seq, rgb}] — only the newest frame per student is painted. */
    pushFrames(frames) {
      for (const f of frames) {
        const tile = f && typeof f.rgb === 'string' ? tiles.get(f.studentId) : undefined;
        if (!tile) continue;
        if (tile.visible) pendingFrames.set(f.studentId, f.rgb);
        else tile.parked = f.rgb;
      }
      if (pendingFrames.size) schedule();
    },
    students: () => [...tiles.values()].map((t) => t.student),
    student: (id) => tiles.get(id)?.student,
    /** Called after students changed on screen (the header summary uses it). */
    onFlush(fn) {
      onFlush = fn;
    },
  };
}
