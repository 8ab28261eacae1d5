'use strict';
// jcprofile's HTML report: the data is one JSON object of columns with the columns of numbers in a binary part
// (see HtmlReport.java); the function table is virtual (only the rows in sight are elements) and the flame graph
// is drawn on a canvas, so that a profile of a hundred thousand functions and a million paths costs arrays, not
// elements.
(function () {
  const phases = { html: performance.now() };
  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- the data
  const D = JSON.parse($('jcprofile-data').textContent);
  const DIFF = D.mode === 'diff';
  phases.parse = performance.now();
  const BIN = (function () {
    const el = $('jcprofile-bin'), text = el.textContent;
    el.remove();
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    const s = atob(text), b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    return b;
  })();
  phases.base64 = performance.now();

  // The varints of a column as numbers: unsigned LEB128 (seven bits a byte, low first), each at most 2**53,
  // summed as doubles, so exactly.
  function varints(c, out) {
    const n = c.n, b = BIN;
    let at = c.at;
    for (let i = 0; i < n; i++) {
      let v = b[at++];
      if (v >= 128) {
        v &= 127;
        let m = 128, x;
        do { x = b[at++]; v += (x & 127) * m; m *= 128; } while (x >= 128);
      }
      out[i] = v;
    }
    return out;
  }
  const unzigzag = (v) => v % 2 ? -(v + 1) / 2 : v / 2;
  // A column of mostly zeros: pairs of (entries skipped, value) for the others.
  function sparse(c, out) {
    const pairs = varints({ at: c.at, n: 2 * c.k }, new Float64Array(2 * c.k));
    for (let j = 0, i = -1; j < c.k; j++) { i += pairs[2 * j] + 1; out[i] = pairs[2 * j + 1]; }
    return out;
  }
  // Whole nanoseconds back to seconds, as they were made: k / 1e9, or k * 1e-9 (jcprofile's recorder).
  function fromNanos(a, times) {
    if (times) for (let i = 0; i < a.length; i++) a[i] *= 1e-9;
    else for (let i = 0; i < a.length; i++) a[i] /= 1e9;
    return a;
  }
  // A column: a JSON array as it is, or {"@": kind, at, n} in BIN (see HtmlReport.Json).
  function column(c) {
    if (!c || Array.isArray(c)) return c;
    const n = c.n, kind = c['@'];
    if (kind === 'f8') {
      const out = new Float64Array(n), view = new DataView(BIN.buffer, BIN.byteOffset + c.at, 8 * n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      return out;
    }
    if (kind === 'v') return varints(c, new Float64Array(n));
    if (kind === 'i') return varints(c, new Int32Array(n));
    if (kind === 'si') return sparse(c, new Int32Array(n));
    if (kind === 'ns' || kind === 'nsm') return fromNanos(varints(c, new Float64Array(n)), kind === 'nsm');
    const v = varints(c, new Float64Array(n));
    if (kind === 'z') {
      const out = new Int32Array(n);
      for (let i = 0, prev = 0; i < n; i++) out[i] = prev += unzigzag(v[i]);
      return out;
    }
    if (kind === 'c') {
      const out = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) out[i + 1] = out[i] + v[i];
      return out;
    }
    throw new Error('unknown column kind ' + kind);
  }
  // The tree's total times sent as what is left after the own time and the children's totals ('nsr'), summed
  // back in whole nanoseconds from the last node (children come after their parent), then made seconds.
  function treeTimes(T, par) {
    if (!T.t || T.t['@'] !== 'nsr') return [column(T.o), column(T.t)];
    const N = T.t.n, own = varints(T.o, new Float64Array(N)), rest = sparse(T.t, new Float64Array(N));
    const sum = new Float64Array(N), total = new Float64Array(N);
    for (let i = N - 1; i >= 0; i--) {
      total[i] = own[i] + sum[i] + unzigzag(rest[i]);
      if (par[i] >= 0) sum[par[i]] += total[i];
    }
    const times = T.o['@'] === 'nsm';
    return [fromNanos(own, times), fromNanos(total, times)];
  }
  // The tree's own and total times in whole nanoseconds, as sent (see treeTimes).
  function treeNanos(T, par) {
    const own = varints(T.o, new Float64Array(T.o.n));
    if (T.t['@'] !== 'nsr') return [own, varints(T.t, new Float64Array(T.t.n))];
    const N = T.t.n, rest = sparse(T.t, new Float64Array(N)), sum = new Float64Array(N), total = new Float64Array(N);
    for (let i = N - 1; i >= 0; i--) {
      total[i] = own[i] + sum[i] + unzigzag(rest[i]);
      if (par[i] >= 0) sum[par[i]] += total[i];
    }
    return [own, total];
  }
  // Each caller edge's calls, primitive calls, own and cumulative times (in nanoseconds) summed over the tree's
  // nodes, as HtmlReport.edgesFromTree sums them: recursive where the same caller-callee pair is open above.
  function edgesFromTree(t, T, tree) {
    const E = t.ef.length, N = tree.size, f = tree.f, par = tree.p, [own, total] = treeNanos(T, par);
    const edgeOf = new Map();
    for (let r = 0; r < t.f.length; r++) for (let e = t.es[r]; e < t.es[r + 1]; e++) edgeOf.set(t.f[r] * F + t.ef[e], e);
    const edge = new Int32Array(N), first = new Int32Array(N + 1).fill(-1), next = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      const e = par[i] < 0 ? undefined : edgeOf.get(f[i] * F + f[par[i]]);
      edge[i] = e === undefined ? -1 : e;
    }
    for (let i = N - 1; i >= 0; i--) { const q = par[i] < 0 ? N : par[i]; next[i] = first[q]; first[q] = i; }
    const open = new Int32Array(E), stack = new Int32Array(2 * N + 2);
    const d = { enc: new Float64Array(E), ecc: new Float64Array(E), ett: new Float64Array(E), ect: new Float64Array(E) };
    let top = 0;
    for (let r = first[N]; r >= 0; r = next[r]) stack[top++] = r;
    while (top > 0) {
      const x = stack[--top];
      if (x < 0) { open[edge[~x]]--; continue; }
      const e = edge[x];
      if (e >= 0) {
        d.enc[e] += tree.n[x]; d.ett[e] += own[x];
        if (open[e] === 0) { d.ecc[e] += tree.n[x]; d.ect[e] += total[x]; }
        open[e]++;
        stack[top++] = ~x;
      }
      for (let c = first[x]; c >= 0; c = next[c]) stack[top++] = c;
    }
    return d;
  }
  // A column sent as what is left after the tree's sums, sparse and zigzag-coded.
  function rests(c, sums, nanos) {
    const out = Float64Array.from(sums), rest = sparse(c, new Float64Array(c.n));
    for (let i = 0; i < out.length; i++) out[i] += unzigzag(rest[i]);
    return nanos ? fromNanos(out, c.m === 1) : out;
  }
  // Times that are not finite numbers travel in JSON as strings ("NaN", "Infinity"): JSON has no such numbers.
  function numbers(a) {
    if (!a || !Array.isArray(a)) return a;
    for (let i = 0; i < a.length; i++) if (typeof a[i] === 'string') a[i] = Number(a[i]);
    return a;
  }
  // Counts beyond 2**53 travel as strings, which are shown as they are and sorted by their value.
  const countValue = (v) => typeof v === 'string' ? Number(v) : v;

  // ---------------------------------------------------------------- functions
  // Each function's location and name, put together from their pieces (see HtmlReport.Json.functions) when
  // first asked for: a flame graph or a table in sight needs a few of a hundred thousand.
  const F = D.name[0].n, S = D.str, LOC = new Array(F), NAME = new Array(F), STD = new Array(F);
  const [LD, LB, LL] = D.loc.map(column), [NP, NN] = D.name.map(column);
  const loc = (f) => LOC[f] !== undefined ? LOC[f] : (LOC[f] = S[LD[f]] + S[LB[f]] + S[LL[f]]);
  const name = (f) => NAME[f] !== undefined ? NAME[f] : (NAME[f] = S[NP[f]] + S[NN[f]]);
  const std = (f) => STD[f] !== undefined ? STD[f] : (STD[f] = loc(f) ? loc(f) + '(' + name(f) + ')' : name(f));
  const isBuiltin = (f) => !loc(f);
  phases.names = performance.now();

  // ---------------------------------------------------------------- formatting as pstats does
  // "%.3f" as C prints it: toFixed, except that C rounds an exact tie to even where toFixed rounds it up. A
  // double is a tie at three decimals only when it is an odd number of sixteenths.
  function fmt3(x) {
    if (x === null || x === undefined) return '';
    if (Number.isNaN(x)) return 'nan';
    if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
    if (Object.is(x, -0)) return '-0.000';
    const s16 = x * 16;
    if (Number.isInteger(s16) && s16 % 2 !== 0 && Math.abs(x) < 1e15) {
      let n = Math.floor(x * 1000);
      if (n % 2 !== 0) n += 1;
      const a = Math.abs(n);
      return (x < 0 ? '-' : '') + Math.floor(a / 1000) + '.' + String(a % 1000).padStart(3, '0');
    }
    return x.toFixed(3);
  }
  function fmtCount(nc, cc) { return String(nc) === String(cc) ? String(nc) : nc + '/' + cc; }
  function seconds(x) {
    if (!Number.isFinite(x)) return String(x);
    const a = Math.abs(x);
    if (a === 0) return '0 s';
    if (a >= 1) return x.toFixed(3) + ' s';
    if (a >= 1e-3) return (x * 1e3).toFixed(3) + ' ms';
    return (x * 1e6).toFixed(3) + ' \u00b5s';
  }
  function pct(part, whole) { return whole > 0 ? (100 * part / whole).toFixed(2) + ' %' : '\u2013'; }
  function signed(s, x) { return (x > 0 ? '+' : '') + s; }
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

  // ---------------------------------------------------------------- profiles
  const P = D.profiles.map((p) => {
    const t = p.t;
    for (const k of ['f', 'nc', 'cc', 'tt', 'ct', 'es']) t[k] = column(t[k]);
    // The callers' columns when first asked for (a function's details): the table and the flame graph do without.
    let fromTree = null;
    for (const k of ['ef', 'enc', 'ecc', 'ett', 'ect']) {
      const c = t[k];
      let v;
      Object.defineProperty(t, k, { get: () => {
        if (v !== undefined) return v;
        if (!c || c['@'] !== 'rest') return (v = numbers(column(c)));
        if (!fromTree) fromTree = edgesFromTree(t, p.tree, tree);
        return (v = rests(c, fromTree[k], k === 'ett' || k === 'ect'));
      } });
    }
    const rowOf = new Int32Array(F).fill(-1);
    for (let r = 0; r < t.f.length; r++) rowOf[t.f[r]] = r;
    let tree = null;
    if (p.tree) {
      const T = p.tree, pd = column(T.pd), roots = column(T.th);
      const par = new Int32Array(pd.length), th = new Int32Array(par.length);
      for (let i = 0; i < par.length; i++) par[i] = pd[i] === 0 ? -1 : i - pd[i];
      for (let i = 0, r = 0; i < par.length; i++) th[i] = par[i] < 0 ? roots[r++] : th[par[i]];
      const [o, tt] = treeTimes(T, par);
      tree = { threads: T.threads, p: par, f: column(T.f), th, n: column(T.n), o, t: tt, mg: column(T.mg) };
      tree.size = tree.p.length;
    }
    return { files: p.files, calls: p.calls, prim: p.prim, time: numbers([p.time])[0], t, rowOf, tree, noTree: p.noTree };
  });

  function summary(p) {
    let s = p.files.join('\n') + (p.files.length ? '\n\n' : '');
    s += '         ' + p.calls + ' function calls ';
    if (String(p.calls) !== String(p.prim)) s += '(' + p.prim + ' primitive calls) ';
    return s + 'in ' + fmt3(p.time) + ' seconds';
  }
  $('summary').textContent = DIFF
      ? 'BEFORE: ' + D.labels[0] + '\n' + summary(P[0]) + '\n\nAFTER: ' + D.labels[1] + '\n' + summary(P[1])
      : summary(P[0]);

  // ---------------------------------------------------------------- trees
  // Children of every node, in one array (children of n: list[start[n] .. start[n+1]]), sorted by name when
  // first drawn, as flame graphs order frames.
  function index(tree) {
    if (tree.start) return tree;
    const N = tree.size, start = new Int32Array(N + 2);
    for (let i = 0; i < N; i++) start[tree.p[i] + 2]++;
    for (let i = 1; i < N + 2; i++) start[i] += start[i - 1];
    const list = new Int32Array(N), fill = start.slice(0, N + 1);
    for (let i = 0; i < N; i++) list[fill[tree.p[i] + 1]++] = i;
    // list[start[0] .. start[1]]: the roots; list[start[n + 1] .. start[n + 2]]: the children of n.
    tree.start = start; tree.list = list; tree.sorted = new Uint8Array(N + 1);
    return tree;
  }
  function children(tree, n) {
    const k = n + 1, a = tree.start[k], b = tree.start[k + 1];
    if (!tree.sorted[k]) {
      const sub = Array.from(tree.list.subarray(a, b));
      sub.sort((x, y) => { const fx = name(tree.f[x]), fy = name(tree.f[y]); return fx < fy ? -1 : fx > fy ? 1 : x - y; });
      tree.list.set(sub, a);
      tree.sorted[k] = 1;
    }
    return [a, b];
  }
  // Every thread's paths as one thread's, added path by path (CallTree.threadsMerged): tree.mg gives each node's
  // merged node, as how far back it is from the next new one (0: a new one); a tree of one thread has none.
  function merged(tree) {
    if (tree.merged) return tree.merged;
    const N = tree.size, mapped = new Int32Array(N), mg = tree.mg || new Int32Array(N);
    const tp = tree.p, tf = tree.f, tn = tree.n, to = tree.o, tt = tree.t, plain = !Array.isArray(tn);
    const p = new Int32Array(N), f = new Int32Array(N), n = new Float64Array(N), o = new Float64Array(N), t = new Float64Array(N);
    let size = 0;
    for (let i = 0; i < N; i++) {
      let m;
      if (mg[i] === 0) {
        m = size++;
        p[m] = tp[i] < 0 ? -1 : mapped[tp[i]]; f[m] = tf[i];
      } else {
        m = size - mg[i];
      }
      mapped[i] = m;
      n[m] += plain ? tn[i] : countValue(tn[i]); o[m] += to[i]; t[m] += tt[i];
    }
    // Views, not copies: the arrays are this tree's alone.
    tree.merged = {
      threads: ['all threads'], p: p.subarray(0, size), f: f.subarray(0, size), th: new Int32Array(size),
      n: n.subarray(0, size), o: o.subarray(0, size), t: t.subarray(0, size), size,
    };
    return tree.merged;
  }
  // A view: one thread of a tree (or all, merged), its roots and their total time.
  function view(tree, thread) {
    if (!tree) return null;
    const tr = index(thread === -1 ? merged(tree) : tree);
    const [a, b] = children(tr, -1);
    const roots = [];
    let total = 0;
    for (let i = a; i < b; i++) {
      const r = tr.list[i];
      if (thread === -1 || tr.th[r] === thread) { roots.push(r); total += tr.t[r]; }
    }
    return { tree: tr, roots, total, name: thread === -1 ? 'all threads' : tr.threads[thread] };
  }

  // ---------------------------------------------------------------- flame graph state
  phases.columns = performance.now();
  const MAIN = P[DIFF ? 1 : 0];
  const BEFORE = DIFF ? P[0] : null;
  const canvas = $('fg'), ctx = canvas.getContext('2d'), scroller = $('fg-scroll'), tip = $('tip');
  const ROW = 18, HIGHLIGHT = 'rgb(230,0,230)';
  const state = { thread: -1, view: null, zoom: -1, match: null, matchFn: -1, matches: 0, coverage: 0, before: null };
  let drawn = [];

  function diffView(bv) {
    // Each node of the view gets the node of BEFORE's view on the same path (-1: a path new in AFTER).
    const v = state.view, tr = v.tree, N = tr.size, match = new Int32Array(N).fill(-1);
    const gone = [];
    if (bv) {
      const bt = bv.tree, byKey = new Map();
      for (const r of bv.roots) byKey.set(bt.f[r], r);
      const stack = [];
      for (const r of v.roots) { const m = byKey.get(tr.f[r]); if (m !== undefined) { match[r] = m; stack.push(r); } }
      const matchedB = new Uint8Array(bt.size);
      for (const r of stack) matchedB[match[r]] = 1;
      while (stack.length) {
        const n = stack.pop(), m = match[n];
        const [ba, bb] = children(bt, m), kids = new Map();
        for (let i = ba; i < bb; i++) kids.set(bt.f[bt.list[i]], bt.list[i]);
        const [a, b] = children(tr, n);
        for (let i = a; i < b; i++) {
          const c = tr.list[i], mc = kids.get(tr.f[c]);
          if (mc !== undefined) { match[c] = mc; matchedB[mc] = 1; stack.push(c); }
        }
      }
      // The tops of BEFORE's paths that AFTER lacks: a root, or a child of a matched node, not matched itself.
      const walk = bv.roots.slice();
      while (walk.length) {
        const n = walk.pop();
        if (!matchedB[n]) { gone.push(n); continue; }
        const [a, b] = children(bt, n);
        for (let i = a; i < b; i++) walk.push(bt.list[i]);
      }
      gone.sort((x, y) => bt.t[y] - bt.t[x]);
    }
    let maxAbs = 0;
    for (let n = 0; n < N; n++) {
      const d = tr.t[n] - (match[n] >= 0 ? bv.tree.t[match[n]] : 0);
      if (Math.abs(d) > maxAbs) maxAbs = Math.abs(d);
    }
    state.before = { view: bv, match, gone, maxAbs };
  }

  function pathText(tree, n) {
    const parts = [];
    for (; n >= 0; n = tree.p[n]) parts.push(name(tree.f[n]));
    return parts.reverse().join(' \u203a ');
  }

  function showGone() {
    const el = $('gone'), b = state.before;
    if (!b || !b.view) { el.hidden = true; return; }
    if (!b.gone.length) { el.hidden = false; el.textContent = 'Every path of BEFORE is also in AFTER.'; return; }
    const bt = b.view.tree;
    let total = 0;
    for (const n of b.gone) total += bt.t[n];
    let h = '<div>' + b.gone.length + ' call path' + (b.gone.length > 1 ? 's' : '') + ' of BEFORE, with ' +
        esc(seconds(total)) + ' of total time, are not in AFTER (not drawn); the largest:</div>';
    for (const n of b.gone.slice(0, 10)) {
      h += '<div class="path">' + esc(seconds(bt.t[n])) + ' (' + esc(String(bt.n[n])) + ' calls) ' + esc(pathText(bt, n)) + '</div>';
    }
    el.innerHTML = h;
    el.hidden = false;
  }

  function setThread(thread) {
    state.thread = thread;
    state.view = view(MAIN.tree, thread);
    state.zoom = -1;
    if (DIFF) {
      let bv = null;
      if (BEFORE.tree) {
        const tname = thread === -1 ? null : MAIN.tree.threads[thread];
        const bthread = tname === null ? -1 : BEFORE.tree.threads.indexOf(tname);
        bv = thread === -1 || bthread >= 0 ? view(BEFORE.tree, bthread) : { tree: index(BEFORE.tree), roots: [], total: 0 };
      }
      diffView(bv);
      showGone();
    }
    search();
  }

  // ---------------------------------------------------------------- colours
  function hash(s) {
    let h = 2166136261;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
    return (h >>> 0) / 4294967296;
  }
  const colourCache = new Map();
  function colour(f) {
    let c = colourCache.get(f);
    if (c) return c;
    const v = hash(name(f)), w = hash(std(f));
    // Warm for the program's code, cool for what is not instrumented (pstats's {built-in ...} rows).
    c = isBuiltin(f)
        ? 'rgb(' + (80 + Math.round(60 * v)) + ',' + (170 + Math.round(50 * w)) + ',' + (200 + Math.round(40 * v)) + ')'
        : 'rgb(' + (205 + Math.round(50 * v)) + ',' + Math.round(80 + 150 * w) + ',' + Math.round(55 * v) + ')';
    colourCache.set(f, c);
    return c;
  }
  let hatch = null;
  function newPathFill() {
    if (!hatch) {
      const c = document.createElement('canvas');
      c.width = c.height = 8;
      const g = c.getContext('2d');
      g.fillStyle = 'rgb(255,120,120)'; g.fillRect(0, 0, 8, 8);
      g.strokeStyle = 'rgb(150,0,0)'; g.lineWidth = 2;
      g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.stroke();
      hatch = ctx.createPattern(c, 'repeat');
    }
    return hatch;
  }
  function diffColour(n) {
    const b = state.before, tr = state.view.tree, m = b.match[n];
    if (m < 0) return newPathFill();
    const d = tr.t[n] - b.view.tree.t[m];
    const i = b.maxAbs > 0 ? Math.min(1, Math.abs(d) / b.maxAbs) : 0;
    const k = Math.round(235 * (1 - Math.sqrt(i)));
    return d > 0 ? 'rgb(255,' + (20 + k) + ',' + (20 + k) + ')' : d < 0 ? 'rgb(' + (20 + k) + ',' + (20 + k) + ',255)' : 'rgb(255,255,255)';
  }

  // ---------------------------------------------------------------- layout and drawing
  // Depth 0 is the whole view; below it the zoomed node's ancestors (full width), the zoomed node, its subtree.
  function zoomChain() {
    const chain = [];
    const tr = state.view.tree;
    for (let n = state.zoom; n >= 0; n = tr.p[n]) chain.push(n);
    return chain.reverse();
  }
  function viewLabel() {
    const v = state.view;
    return (v.name === 'all threads' ? 'all threads' : 'thread ' + v.name) + ': ' + seconds(v.total);
  }
  let charWidth = 7;
  function resize() {
    const dpr = window.devicePixelRatio || 1;
    const w = scroller.clientWidth, h = scroller.clientHeight;
    canvas.style.height = h + 'px';
    canvas.width = Math.max(1, Math.round(w * dpr));
    canvas.height = Math.max(1, Math.round(h * dpr));
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = '12px ui-monospace, "DejaVu Sans Mono", Menlo, monospace';
    charWidth = ctx.measureText('MMMMMMMMMM').width / 10 || 7;
  }
  function maxDepth() {
    const tr = state.view.tree;
    if (!tr.depth) {
      const d = new Int32Array(tr.size);
      let max = 0;
      for (let i = 0; i < tr.size; i++) { d[i] = tr.p[i] < 0 ? 0 : d[tr.p[i]] + 1; if (d[i] > max) max = d[i]; }
      tr.depth = d; tr.maxDepth = max;
    }
    return tr.maxDepth;
  }
  function frame(x, y, w, fill, label) {
    ctx.fillStyle = fill;
    ctx.fillRect(x, y, Math.max(w - (w > 3 ? 1 : 0), 0.5), ROW - 1);
    if (w > 3 * charWidth) {
      const chars = Math.floor((w - 6) / charWidth);
      ctx.fillStyle = '#000';
      ctx.fillText(label.length > chars ? label.slice(0, Math.max(0, chars - 2)) + '..' : label, x + 3, y + ROW - 5);
    }
  }
  function fillOf(n) {
    const f = state.view.tree.f[n];
    if ((state.match && state.match[f]) || state.matchFn === f) return HIGHLIGHT;
    return DIFF ? diffColour(n) : colour(f);
  }
  function draw() {
    const v = state.view;
    if (!v) return;
    const W = scroller.clientWidth, H = scroller.clientHeight, top = scroller.scrollTop;
    const tr = v.tree, chain = zoomChain();
    $('fg-spacer').style.height = Math.max(0, (maxDepth() + 2) * ROW - H) + 'px';
    ctx.clearRect(0, 0, W, H);
    ctx.textBaseline = 'alphabetic';
    drawn = [];
    const first = Math.floor(top / ROW), last = Math.ceil((top + H) / ROW);
    const y = (depth) => depth * ROW - top;
    if (first <= 0) {
      frame(0, y(0), W, DIFF ? 'rgb(235,235,235)' : 'rgb(220,220,220)', viewLabel());
      drawn.push([-1, 0, 0, W]);
    }
    let depth = 1;
    for (let i = 0; i < chain.length - 1; i++, depth++) {
      if (depth >= first && depth <= last) { frame(0, y(depth), W, fillOf(chain[i]), name(tr.f[chain[i]])); drawn.push([chain[i], 0, depth, W]); }
    }
    // Explicit stack of (node, x, width, depth): recursion kept as it happened can be deep.
    const stack = [];
    const pushChildren = (list, x, width, d, parentTotal) => {
      let sum = 0;
      for (const c of list) sum += tr.t[c];
      const k = width / Math.max(parentTotal, sum) ;
      let cx = x;
      const items = [];
      for (const c of list) {
        const cw = tr.t[c] * k;
        if (cw >= 0.3) items.push([c, cx, cw, d]);
        cx += cw;
      }
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    };
    const kids = (n) => { const [a, b] = children(tr, n); return Array.from(tr.list.subarray(a, b)); };
    if (state.zoom < 0) {
      const roots = v.roots.slice().sort((x, y2) => { const a = name(tr.f[x]), b = name(tr.f[y2]); return a < b ? -1 : a > b ? 1 : x - y2; });
      pushChildren(roots, 0, W, 1, v.total);
    } else {
      stack.push([state.zoom, 0, W, chain.length]);
    }
    while (stack.length) {
      const [n, x, w, d] = stack.pop();
      if (d > last) continue;
      if (d >= first) { frame(x, y(d), w, fillOf(n), name(tr.f[n])); drawn.push([n, x, d, w]); }
      pushChildren(kids(n), x, w, d + 1, tr.t[n]);
    }
  }
  function frameAt(mx, my) {
    const d = Math.floor((my + scroller.scrollTop) / ROW);
    for (const [n, x, fd, w] of drawn) if (fd === d && mx >= x && mx < x + w) return { node: n, depth: d };
    return null;
  }

  // ---------------------------------------------------------------- interaction
  function search() {
    const input = $('search'), text = input.value;
    state.match = null;
    input.classList.remove('bad');
    if (text) {
      let re;
      try { re = new RegExp(text); } catch (e) { input.classList.add('bad'); }
      if (re) {
        state.match = new Uint8Array(F);
        for (let f = 0; f < F; f++) if (re.test(std(f))) state.match[f] = 1;
      }
    }
    if (state.match) state.matchFn = -1;
    countMatches();
    draw();
  }
  // Frames that match, and the share of the view's time under them (a match inside a match counted once).
  function countMatches() {
    const info = $('search-info'), v = state.view;
    state.matches = 0; state.coverage = 0;
    if (!v || (!state.match && state.matchFn < 0)) { info.textContent = ''; return; }
    const tr = v.tree, N = tr.size, f = tr.f, p = tr.p, th = tr.th, all = state.thread === -1 || v.name === 'all threads';
    // One pass in node order (a parent comes before its children): under[n] says a matching ancestor covers n.
    const under = new Uint8Array(N), match = state.match, fn = state.matchFn;
    let covered = 0;
    for (let n = 0; n < N; n++) {
      if (!all && th[n] !== state.thread) continue;
      const h = match ? match[f[n]] === 1 : f[n] === fn;
      const inside = p[n] >= 0 && under[p[n]] === 1;
      if (h) { state.matches++; if (!inside) covered += tr.t[n]; }
      if (h || inside) under[n] = 1;
    }
    state.coverage = v.total > 0 ? covered / v.total : 0;
    info.textContent = state.matches + ' matching frame' + (state.matches === 1 ? '' : 's') + ', ' +
        pct(covered, v.total) + ' of the time shown' + (state.matchFn >= 0 ? ' (' + std(state.matchFn) + ')' : '');
  }
  function crumbs() {
    const el = $('crumbs');
    if (state.zoom < 0) { el.textContent = 'Click a frame to zoom into it.'; return; }
    const tr = state.view.tree;
    let h = '<a data-n="-1">' + esc(state.view.name) + '</a>';
    for (const n of zoomChain()) h += ' \u203a <a data-n="' + n + '">' + esc(name(tr.f[n])) + '</a>';
    el.innerHTML = h;
  }
  function zoom(n) {
    state.zoom = n;
    scroller.scrollTop = 0;
    crumbs();
    draw();
  }
  function tipText(n) {
    const v = state.view, tr = v.tree;
    if (n < 0) return viewLabel() + '\n' + v.roots.length + ' root' + (v.roots.length === 1 ? '' : 's');
    const f = tr.f[n];
    let s = std(f) + '\n';
    if (MAIN.tree.threads.length > 1 && state.thread >= 0) s += 'thread:     ' + v.name + '\n';
    s += 'calls:      ' + tr.n[n] + '\nown time:   ' + seconds(tr.o[n]) + '\ntotal time: ' + seconds(tr.t[n]) +
        '\nshare:      ' + pct(tr.t[n], v.total) + ' of ' + (v.name === 'all threads' ? 'all threads\' time' : 'the thread\'s time');
    if (DIFF) {
      const b = state.before, m = b.match[n];
      if (m < 0) s += '\nnot in BEFORE: a new path';
      else {
        const bt = b.view.tree, d = tr.t[n] - bt.t[m];
        s += '\nBEFORE:     ' + bt.n[m] + ' calls, total ' + seconds(bt.t[m]) +
            '\nchange:     ' + signed(seconds(d), d) + (bt.t[m] > 0 ? ' (' + signed((100 * d / bt.t[m]).toFixed(1), d) + ' %)' : '');
      }
    }
    return s;
  }

  // ---------------------------------------------------------------- the table
  const table = { rows: 0, order: null, shown: null, col: null, asc: false, selected: -1, cols: [], filter: null };
  const RH = 20;
  function numCol(title, cls, key, text, def) { return { title, cls, key, text, asc: false, def }; }
  if (!DIFF) {
    const t = MAIN.t;
    table.rows = t.f.length;
    table.fnOf = (r) => t.f[r];
    const nc = (r) => countValue(t.nc[r]), cc = (r) => countValue(t.cc[r]);
    table.cols = [
      numCol('ncalls', 'w', nc, (r) => fmtCount(t.nc[r], t.cc[r])),
      numCol('tottime', 'w', (r) => t.tt[r], (r) => fmt3(t.tt[r])),
      numCol('percall', 'w', (r) => nc(r) ? t.tt[r] / nc(r) : -Infinity, (r) => nc(r) ? fmt3(t.tt[r] / nc(r)) : ''),
      numCol('cumtime', 'w', (r) => t.ct[r], (r) => fmt3(t.ct[r]), true),
      numCol('percall', 'w', (r) => cc(r) ? t.ct[r] / cc(r) : -Infinity, (r) => cc(r) ? fmt3(t.ct[r] / cc(r)) : ''),
      { title: 'filename:lineno(function)', cls: 'fn', text: (r) => esc(std(t.f[r])), str: true, asc: true },
    ];
  } else {
    // Every function of either side; the changes are AFTER's figures less BEFORE's.
    const b = P[0], a = P[1], fns = [];
    const seen = new Uint8Array(F);
    for (const p of [b, a]) for (const f of p.t.f) if (!seen[f]) { seen[f] = 1; fns.push(f); }
    table.rows = fns.length;
    table.fnOf = (r) => fns[r];
    const fig = (p, col, r) => { const row = p.rowOf[fns[r]]; return row < 0 ? null : p.t[col][row]; };
    const val = (p, col, r) => { const v = fig(p, col, r); return v === null ? 0 : countValue(v); };
    const delta = (col) => (r) => val(a, col, r) - val(b, col, r);
    const side = (r) => b.rowOf[fns[r]] < 0 ? 'only in AFTER' : a.rowOf[fns[r]] < 0 ? 'only in BEFORE' : '';
    const cnt = (p) => (r) => { const row = p.rowOf[fns[r]]; return row < 0 ? '' : fmtCount(p.t.nc[row], p.t.cc[row]); };
    const tm = (p, col) => (r) => { const v = fig(p, col, r); return v === null ? '' : fmt3(v); };
    const dtxt = (col, fmt) => (r) => { const d = delta(col)(r); const s = fmt(d); return '<b class="' + (d > 0 ? 'up' : d < 0 ? 'down' : '') + '">' + signed(s, d) + '</b>'; };
    const abs = (g) => (r) => Math.abs(g(r));
    table.cols = [
      numCol('ncalls B', 'n', (r) => val(b, 'nc', r), cnt(b)),
      numCol('ncalls A', 'n', (r) => val(a, 'nc', r), cnt(a)),
      numCol('\u0394 ncalls', 'n', abs(delta('nc')), dtxt('nc', String)),
      numCol('tottime B', 'w', (r) => val(b, 'tt', r), tm(b, 'tt')),
      numCol('tottime A', 'w', (r) => val(a, 'tt', r), tm(a, 'tt')),
      numCol('\u0394 tottime', 'w', abs(delta('tt')), dtxt('tt', fmt3)),
      numCol('cumtime B', 'w', (r) => val(b, 'ct', r), tm(b, 'ct')),
      numCol('cumtime A', 'w', (r) => val(a, 'ct', r), tm(a, 'ct')),
      numCol('\u0394 cumtime', 'w', abs(delta('ct')), dtxt('ct', fmt3), true),
      numCol('\u0394 cumtime %', 'w', (r) => { const x = val(b, 'ct', r); return x ? Math.abs(delta('ct')(r) / x) : (delta('ct')(r) ? Infinity : 0); },
          (r) => { const x = val(b, 'ct', r), d = delta('ct')(r); return x ? signed((100 * d / x).toFixed(1), d) + ' %' : ''; }),
      { title: 'filename:lineno(function)', cls: 'fn', str: true, asc: true,
        text: (r) => (side(r) ? '<span class="only">(' + side(r) + ')</span> ' : '') + esc(std(fns[r])) },
    ];
  }
  const fnRowCache = new Map();
  function keysOf(col) {
    if (col.keys) return col.keys;
    const n = table.rows, k = new Float64Array(n);
    if (col.str) {
      const idx = Array.from({ length: n }, (_, i) => i);
      idx.sort((x, y) => { const a = std(table.fnOf(x)), b = std(table.fnOf(y)); return a < b ? -1 : a > b ? 1 : 0; });
      for (let i = 0; i < n; i++) k[idx[i]] = i;
    } else {
      for (let r = 0; r < n; r++) { const v = col.key(r); k[r] = Number.isNaN(v) ? -Infinity : v; }
    }
    return (col.keys = k);
  }
  function sortBy(col, asc, presorted) {
    table.col = col; table.asc = asc;
    if (presorted) {
      // The report lists the rows by cumtime already.
      table.order = new Int32Array(table.rows);
      for (let i = 0; i < table.rows; i++) table.order[i] = i;
    } else {
      const k = keysOf(col), dir = asc ? 1 : -1;
      const order = Array.from({ length: table.rows }, (_, i) => i);
      // Ties keep the earlier order (the profile's, by cumtime), as pstats's stable sort does.
      order.sort((x, y) => (k[x] - k[y]) * dir || x - y);
      table.order = Int32Array.from(order);
    }
    applyFilter();
  }
  function applyFilter() {
    const input = $('filter'), text = input.value;
    input.classList.remove('bad');
    let re = null;
    if (text) { try { re = new RegExp(text); } catch (e) { input.classList.add('bad'); } }
    table.filter = re;
    if (!re) table.shown = table.order;
    else {
      const out = new Int32Array(table.rows);
      let m = 0;
      for (const r of table.order) if (re.test(std(table.fnOf(r)))) out[m++] = r;
      table.shown = out.subarray(0, m);
    }
    $('count').textContent = table.shown.length === table.rows
        ? table.rows + ' functions' : table.shown.length + ' of ' + table.rows + ' functions';
    $('tspacer').style.height = table.shown.length * RH + 'px';
    renderHead();
    renderRows();
  }
  function renderHead() {
    $('thead').innerHTML = table.cols.map((c, i) => '<span data-col="' + i + '" class="' + c.cls +
        (c === table.col ? ' sorted' + (table.asc ? ' asc' : '') : '') + '">' + esc(c.title) + '</span>').join('');
  }
  function renderRows() {
    const sc = $('tscroll'), top = sc.scrollTop, h = sc.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / RH) - 5), last = Math.min(table.shown.length, Math.ceil((top + h) / RH) + 5);
    let html = '';
    for (let i = first; i < last; i++) {
      const r = table.shown[i];
      html += '<div class="row' + (r === table.selected ? ' sel' : '') + '" data-r="' + r + '">' +
          table.cols.map((c) => '<span class="' + c.cls + '">' + c.text(r) + '</span>').join('') + '</div>';
    }
    const body = $('tbody');
    body.style.transform = 'translateY(' + first * RH + 'px)';
    body.innerHTML = html;
  }
  function rowOfFn(f) {
    if (!fnRowCache.size) for (let r = 0; r < table.rows; r++) fnRowCache.set(table.fnOf(r), r);
    const r = fnRowCache.get(f);
    return r === undefined ? -1 : r;
  }

  // Callers (pstats keeps them under each function) and callees (found by inverting that), with the figures of
  // each caller-callee pair.
  let calleesOf = null;
  function callees(f) {
    const t = MAIN.t;
    if (!calleesOf) {
      calleesOf = new Map();
      for (let r = 0; r < t.f.length; r++) {
        for (let e = t.es[r]; e < t.es[r + 1]; e++) {
          let l = calleesOf.get(t.ef[e]);
          if (!l) calleesOf.set(t.ef[e], (l = []));
          l.push([r, e]);
        }
      }
    }
    return calleesOf.get(f) || [];
  }
  function edgeRow(t, e, f) {
    return '<tr><td>' + esc(fmtCount(t.enc[e], t.ecc[e])) + '</td><td>' + fmt3(t.ett[e]) + '</td><td>' + fmt3(t.ect[e]) +
        '</td><td class="fn"><a data-f="' + f + '">' + esc(std(f)) + '</a></td></tr>';
  }
  function select(r, scrollTo) {
    table.selected = r;
    const f = table.fnOf(r), el = $('details');
    let h = '<h3>' + esc(std(f)) + '</h3>';
    if (!DIFF) {
      const t = MAIN.t;
      h += '<div>' + esc(fmtCount(t.nc[r], t.cc[r])) + ' calls, tottime ' + fmt3(t.tt[r]) + ', cumtime ' + fmt3(t.ct[r]) + '</div>';
      const head = '<tr><th>ncalls</th><th>tottime</th><th>cumtime</th><th class="fn">';
      h += '<h3>Called by</h3><table>' + head + 'caller</th></tr>';
      for (let e = t.es[r]; e < t.es[r + 1]; e++) h += edgeRow(t, e, t.ef[e]);
      if (t.es[r] === t.es[r + 1]) h += '<tr><td class="fn" colspan="4">(no callers recorded)</td></tr>';
      h += '</table><h3>Calls</h3><table>' + head + 'callee</th></tr>';
      const out = callees(f);
      for (const [cr, e] of out) h += edgeRow(t, e, t.f[cr]);
      if (!out.length) h += '<tr><td class="fn" colspan="4">(no callees recorded)</td></tr>';
      h += '</table>';
    } else {
      h += '<div>' + table.cols.slice(0, -1).map((c) => esc(c.title) + ': ' + c.text(r)).join(', ') + '</div>';
    }
    if (MAIN.tree) h += '<div><a data-show="' + f + '">Show in the flame graph</a></div>';
    el.innerHTML = h;
    el.hidden = false;
    if (scrollTo) {
      const i = table.shown.indexOf(r);
      if (i >= 0) $('tscroll').scrollTop = Math.max(0, i * RH - 3 * RH);
    }
    renderRows();
  }

  // ---------------------------------------------------------------- wiring
  $('thead').addEventListener('click', (e) => {
    const s = e.target.closest('span[data-col]');
    if (!s) return;
    const c = table.cols[+s.dataset.col];
    sortBy(c, c === table.col ? !table.asc : c.asc);
  });
  $('tscroll').addEventListener('scroll', renderRows);
  $('tbody').addEventListener('click', (e) => { const row = e.target.closest('.row'); if (row) select(+row.dataset.r, false); });
  $('filter').addEventListener('input', applyFilter);
  $('filter').addEventListener('change', applyFilter);
  $('details').addEventListener('click', (e) => {
    const a = e.target.closest('a');
    if (!a) return;
    if (a.dataset.f !== undefined) {
      const r = rowOfFn(+a.dataset.f);
      if (r >= 0) select(r, true);
    } else if (a.dataset.show !== undefined) {
      $('search').value = '';
      state.match = null;
      state.matchFn = +a.dataset.show;
      countMatches();
      draw();
      $('graph').scrollIntoView();
    }
  });

  const gt = MAIN.tree;
  if (!gt || !gt.size) {
    const el = $('no-tree');
    const files = DIFF ? [D.labels[1]] : MAIN.noTree;
    el.textContent = !gt ? (files.length > 1 ? 'These profiles have no call tree: record with jcprofile --tree.'
        : 'This profile has no call tree: record with jcprofile --tree.') + (DIFF ? ' (' + D.labels[1] + ')' : '')
        : 'The call tree is empty.';
    el.hidden = false;
  } else {
    $('graph-ui').hidden = false;
    if (!DIFF && MAIN.noTree.length) {
      const el = $('no-tree');
      el.textContent = 'The flame graph leaves out ' + MAIN.noTree.join(', ') + ', which ' +
          (MAIN.noTree.length > 1 ? 'have' : 'has') + ' no call tree: record with jcprofile --tree.';
      el.hidden = false;
    }
    if (DIFF && !BEFORE.tree) {
      const el = $('no-tree');
      el.textContent = D.labels[0] + ' has no call tree (record with jcprofile --tree): every path shows as new.';
      el.hidden = false;
    }
    if (DIFF) {
      $('graph-title').textContent = 'Call tree of AFTER, coloured by change since BEFORE';
      $('legend').innerHTML = 'Width: total time in AFTER. <b class="up">Red</b>: the path took longer than in BEFORE, ' +
          '<b class="down">blue</b>: shorter, white: the same; the deeper the colour, the larger the change against the ' +
          'largest one shown. Hatched: a path that BEFORE does not have.';
    } else {
      $('legend').textContent = 'Width: total time of each call path. Warm colours: instrumented code; blue: built-in ' +
          '(not instrumented) methods. Hover for figures, click to zoom.';
    }
    const sel = $('thread');
    if (gt.threads.length > 1) {
      sel.innerHTML = '<option value="-1">all threads</option>' +
          gt.threads.map((name, i) => '<option value="' + i + '">' + esc(name) + '</option>').join('');
      $('thread-label').hidden = false;
    }
    sel.addEventListener('change', () => { setThread(+sel.value); crumbs(); });
    resize();
    setThread(gt.threads.length > 1 ? -1 : 0);
    crumbs();
    $('search').addEventListener('input', search);
    $('search').addEventListener('change', search);
    $('reset-zoom').addEventListener('click', () => zoom(-1));
    $('crumbs').addEventListener('click', (e) => { const a = e.target.closest('a'); if (a) zoom(+a.dataset.n); });
    scroller.addEventListener('scroll', draw);
    window.addEventListener('resize', () => { resize(); draw(); });
    const pos = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    canvas.addEventListener('click', (e) => {
      const hit = frameAt(...pos(e));
      if (hit) zoom(hit.node);
    });
    canvas.addEventListener('mousemove', (e) => {
      const hit = frameAt(...pos(e));
      if (!hit) { tip.hidden = true; return; }
      tip.textContent = tipText(hit.node);
      tip.hidden = false;
      const x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
      const y = e.clientY + 18 + tip.offsetHeight > window.innerHeight ? e.clientY - tip.offsetHeight - 8 : e.clientY + 18;
      tip.style.left = Math.max(0, x) + 'px';
      tip.style.top = Math.max(0, y) + 'px';
    });
    canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
  }
  phases.graph = performance.now();
  if (DIFF) $('table-title').textContent = 'Functions: changes from BEFORE (B) to AFTER (A)';
  sortBy(table.cols.find((c) => c.def), false, !DIFF);

  // What a test or a curious user can ask the page: its state, and where each frame drawn is.
  window.jcprofile = {
    readyMs: performance.now(), phases,
    state: () => ({
      thread: state.view ? state.view.name : null, zoom: state.zoom < 0 ? null : name(state.view.tree.f[state.zoom]),
      matches: state.matches, coverage: state.coverage, rows: table.rows, shown: table.shown.length,
      sortedBy: table.col ? table.col.title : null, ascending: table.asc,
    }),
    frames: () => drawn.map(([n, x, d, w]) => ({
      label: n < 0 ? viewLabel() : name(state.view.tree.f[n]), std: n < 0 ? null : std(state.view.tree.f[n]),
      x, y: d * ROW - scroller.scrollTop, w, h: ROW,
    })),
    tip: (n) => tipText(n),
    // The node of the frame drawn at a point of the canvas (CSS pixels), or null.
    nodeAt: (x, y) => { const hit = frameAt(x, y); return hit ? hit.node : null; },
    // Each named function's callers as the page holds them (null for a function it has not): [caller, ncalls,
    // primitive calls, tottime, cumtime], the counts as text, the times as the numbers themselves.
    callers: (names) => names.map((s) => {
      const t = MAIN.t;
      let f = 0;
      while (f < F && std(f) !== s) f++;
      const r = f < F ? MAIN.rowOf[f] : -1;
      if (r < 0) return null;
      const out = [];
      for (let e = t.es[r]; e < t.es[r + 1]; e++) out.push([std(t.ef[e]), String(t.enc[e]), String(t.ecc[e]), t.ett[e], t.ect[e]]);
      return out;
    }),
  };
  document.body.dataset.ready = '1';
})();
