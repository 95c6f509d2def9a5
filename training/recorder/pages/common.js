// Shared by the recorder's local pages: ?theme=light|dark, ?set=holdout|train
// (different content and site variant per set), ?v=N picks among content items.
(function () {
  const q = new URLSearchParams(location.search);
  window.LW = {
    theme: q.get('theme') === 'dark' ? 'dark' : 'light',
    set: q.get('set') === 'train' ? 'train' : 'holdout',
    v: Number(q.get('v') || 0),
    q,
    pick(byset) {
      const list = byset[this.set];
      return list[this.v % list.length];
    },
    el(tag, attrs, ...kids) {
      const e = document.createElement(tag);
      for (const [k, val] of Object.entries(attrs || {})) {
        if (k === 'style') e.style.cssText = val; else if (k === 'class') e.className = val; else e.setAttribute(k, val);
      }
      for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
      return e;
    },
    // Deterministic pseudo-random text so pages look filled but stay reproducible.
    rng(seed) {
      let s = seed >>> 0 || 1;
      return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
    },
    words: 'the a function returns value list array string loop index error type class method object when you can use this to of in for with is that by it from as be on not or but your each example code call data time new first how memory pointer compile test output input file read write sort search tree node key map set stack queue thread process version python java c program variable'.split(' '),
    sentence(r, n) {
      const w = [];
      for (let i = 0; i < n; i++) w.push(this.words[Math.floor(r() * this.words.length)]);
      const s = w.join(' ');
      return s[0].toUpperCase() + s.slice(1) + '.';
    },
  };
  document.documentElement.dataset.theme = window.LW.theme;
  document.documentElement.dataset.set = window.LW.set;
})();
