/**
 * The HTML viewer's stylesheet and script (./html.ts embeds both, with CSP hashes of exactly
 * these texts). Plain ES5-style script without a framework, so the page works offline from a file.
 */

/** The viewer's stylesheet. */
export const CSS = `
:root { --fg: #1d2330; --muted: #667085; --line: #d8dde6; --bg: #ffffff; --pane: #f6f7f9;
  --sel: #dbe8ff; --sel-line: #2f6fdf; --bad: #c62828; --bad-bg: #fdecea; --chg: #fff4c2; --chg-line: #e0a800; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; height: 100%; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg);
  display: flex; flex-direction: column; }
code, pre, .mono, table.kubectl, #steps .id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
header#summary { padding: 10px 16px; border-bottom: 1px solid var(--line); background: var(--pane); }
header#summary h1 { font-size: 16px; margin: 0 0 4px; font-weight: 600; }
header#summary h1 .sub { color: var(--muted); font-weight: 400; }
.verdict { margin: 0; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 3px; font-size: 12px; font-weight: 700; color: #fff; background: var(--bad); }
.holds .badge { background: #2e7d32; }
#property { font-weight: 700; color: var(--bad); }
.holds #property { color: inherit; }
#message { margin: 4px 0 0; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; white-space: pre-wrap; }
main { flex: 1; display: flex; min-height: 0; }
#steps-pane { width: 42%; min-width: 320px; max-width: 720px; display: flex; flex-direction: column; border-right: 1px solid var(--line); }
.controls { display: flex; gap: 6px; align-items: center; padding: 8px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.controls button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
.controls button:disabled { opacity: .45; cursor: default; }
.controls button:focus-visible { outline: 2px solid var(--sel-line); }
#position { font-variant-numeric: tabular-nums; min-width: 7em; text-align: center; }
.hint { color: var(--muted); font-size: 12px; margin-left: auto; }
#steps { list-style: none; margin: 0; padding: 0; overflow: auto; flex: 1; }
#steps li.step { display: grid; grid-template-columns: 3.2em 1fr; column-gap: 6px; padding: 3px 8px 3px 6px;
  border-left: 4px solid transparent; border-bottom: 1px solid #eef0f4; cursor: pointer; }
#steps li.step:hover { background: #f0f4fb; }
#steps .num { grid-row: span 2; text-align: right; color: var(--muted); font-variant-numeric: tabular-nums; padding-top: 1px; }
#steps .actor { font-size: 12px; font-weight: 600; }
#steps .id { font-size: 12px; overflow-wrap: anywhere; }
#steps li.has-changes .num::after { content: " \\270E"; color: var(--chg-line); }
#steps li.violation { background: var(--bad-bg); border-left-color: var(--bad); }
#steps li.violation .num { color: var(--bad); font-weight: 700; }
#steps li.recorded { border-left-color: #999; }
#steps li.selected { background: var(--sel); border-left-color: var(--sel-line); }
#steps li.selected.violation { background: #f9d3cf; border-left-color: var(--bad); box-shadow: inset 3px 0 0 var(--sel-line); }
.vmark { color: var(--bad); font-weight: 700; font-size: 12px; }
#detail { flex: 1; overflow: auto; padding: 10px 16px 24px; }
#detail h2 { font-size: 16px; margin: 0 0 2px; }
#detail h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 16px 0 6px; }
#detail h4 { font-size: 13px; margin: 10px 0 4px; }
#detail-id { font-size: 13px; overflow-wrap: anywhere; }
#detail-meta { color: var(--muted); font-size: 12px; }
#violation-banner { margin: 8px 0 0; padding: 6px 10px; border: 1px solid var(--bad); background: var(--bad-bg); color: var(--bad); border-radius: 4px; }
#notes { margin: 0; padding-left: 20px; }
#notes li { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
.none { color: var(--muted); font-style: italic; }
#changes .change { margin: 2px 0; }
#changes .key { font-weight: 600; }
#changes .what { color: var(--muted); }
#changes ul { margin: 2px 0 6px; padding-left: 20px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
#changes .old { color: #a33; }
#changes .new { color: #1b6e2a; }
table.kubectl { border-collapse: collapse; font-size: 12px; width: 100%; }
table.kubectl th { text-align: left; font-weight: 600; color: var(--muted); padding: 2px 12px 2px 6px; border-bottom: 1px solid var(--line); white-space: nowrap; }
table.kubectl td { padding: 2px 12px 2px 6px; border-bottom: 1px solid #eef0f4; vertical-align: top; overflow-wrap: break-word; }
table.kubectl tr.obj { cursor: pointer; }
table.kubectl tr.obj:hover td { background: #f0f4fb; }
table.kubectl tr.changed td { background: var(--chg); }
table.kubectl tr.changed td:first-child { box-shadow: inset 3px 0 0 var(--chg-line); }
table.kubectl tr.deleted td { text-decoration: line-through; color: var(--muted); }
table.kubectl tr.terminating td.dts { color: var(--bad); }
table.kubectl tr.json td { background: #fafbfc; }
table.kubectl tr.json pre { margin: 0; font-size: 12px; white-space: pre-wrap; }
pre#kubectl { margin: 0; padding: 8px; background: var(--pane); border: 1px solid var(--line); border-radius: 4px; font-size: 12px; overflow: auto; white-space: pre-wrap; }
pre#externals { margin: 0; padding: 8px; background: var(--pane); border: 1px solid var(--line); border-radius: 4px; font-size: 12px; overflow: auto; }
pre#externals.changed { background: var(--chg); border-color: var(--chg-line); }
#detail h3 .sub { text-transform: none; letter-spacing: 0; font-weight: 400; }
#detail h5 { font-size: 12px; margin: 10px 0 4px; color: var(--muted); font-weight: 600; }
.controller { border: 1px solid var(--line); border-radius: 4px; padding: 4px 10px 10px; margin: 8px 0; }
.controller h4 { margin-top: 6px; }
table.kubectl tr.violating td, #changes .change.violating { background: var(--bad-bg); color: var(--bad); font-weight: 600; }
table.kubectl tr.violating td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
table.kubectl tr.cache.stale td:last-child, table.kubectl tr.cache.gone td:last-child { color: var(--bad); font-weight: 600; }
table.kubectl tr.cache.missing td:last-child { color: #8a6d00; }
table.kubectl tr.cache-diff td { background: #fafbfc; }
ul.diff { margin: 2px 0 6px; padding-left: 20px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
ul.diff .old { color: #a33; }
ul.diff .new { color: #1b6e2a; }
pre.memory { margin: 0; padding: 8px; background: var(--pane); border: 1px solid var(--line); border-radius: 4px; font-size: 12px; overflow: auto; max-height: 24em; }
pre.memory.changed { background: var(--chg); border-color: var(--chg-line); }
.tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 3px; background: var(--chg-line); color: #fff; margin-left: 6px; vertical-align: middle; text-transform: none; letter-spacing: 0; }
`;

/** The viewer's script: reads the embedded JSON, renders a step on selection. */
export const JS = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('kuberace-data').textContent);
  var states = [{ step: 0, id: 'initial state (after the scenario setup)', actor: 'setup', notes: [], changed: [], diffs: {},
    objects: data.initial.objects, ext: data.initial.ext, controllers: data.initial.controllers, clock: null }].concat(data.steps);
  var violating = {};
  (data.violating || []).forEach(function (k) { violating[k] = true; });
  var last = states.length - 1;
  var vstep = data.violation ? data.violation.step : -1;
  var items = document.querySelectorAll('#steps li.step');
  var $ = function (id) { return document.getElementById(id); };
  var prevBtn = $('prev'), nextBtn = $('next'), position = $('position');
  var expanded = {};
  var cur = -1;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function get(obj, path) {
    var parts = path.split('.'), v = obj;
    for (var i = 0; i < parts.length; i++) {
      if (v === null || typeof v !== 'object') return undefined;
      v = Object.prototype.hasOwnProperty.call(v, parts[i]) ? v[parts[i]] : undefined;
    }
    return v;
  }
  function cell(v) {
    if (v === undefined || v === null || v === '') return '<none>';
    if (Array.isArray(v)) return v.length ? v.map(function (x) { return typeof x === 'object' ? JSON.stringify(x) : String(x); }).join(',') : '<none>';
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }
  function short(v) { return v === undefined ? '<absent>' : JSON.stringify(v); }
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  // A field-level diff (computed when the report was made): path: old -> new.
  function diffList(changes) {
    var ul = el('ul', 'diff');
    if (!changes.length) ul.appendChild(el('li', 'none', 'no field changed (resourceVersion only)'));
    changes.forEach(function (d) {
      var li = el('li');
      li.appendChild(el('span', 'path', d.path + ': '));
      li.appendChild(el('span', 'old', short(has(d, 'old') ? d.old : undefined)));
      li.appendChild(document.createTextNode(' \u2192 '));
      li.appendChild(el('span', 'new', short(has(d, 'new') ? d.new : undefined)));
      ul.appendChild(li);
    });
    return ul;
  }
  function objectsAt(i) {
    var m = states[i].objects, out = {};
    Object.keys(m).forEach(function (k) { out[k] = data.objs[m[k]]; });
    return out;
  }

  function renderChanges(s, objs, prev) {
    var box = clear($('changes'));
    if (!s.changed.length) { box.appendChild(el('div', 'none', 'no objects changed')); return; }
    s.changed.forEach(function (k) {
      var before = prev ? prev[k] : undefined, after = objs[k];
      var line = el('div', 'change' + (cur === vstep && violating[k] ? ' violating' : ''));
      line.appendChild(el('span', 'key', k));
      line.appendChild(el('span', 'what', before === undefined ? ' created' : after === undefined ? ' deleted' : ' modified'));
      box.appendChild(line);
      if (before !== undefined && after !== undefined) box.appendChild(diffList(s.diffs[k] || []));
    });
  }

  function renderObjects(s, objs, prev) {
    var box = clear($('objects'));
    var changed = {};
    s.changed.forEach(function (k) { changed[k] = true; });
    var rows = Object.keys(objs).map(function (k) { return { key: k, obj: objs[k], deleted: false }; });
    s.changed.forEach(function (k) {
      if (!(k in objs) && prev && prev[k]) rows.push({ key: k, obj: prev[k], deleted: true });
    });
    if (!rows.length) { box.appendChild(el('div', 'none', 'no objects')); return; }
    var byKind = {};
    rows.forEach(function (r) { (byKind[r.obj.kind] = byKind[r.obj.kind] || []).push(r); });
    Object.keys(byKind).sort(cmp).forEach(function (kind) {
      var list = byKind[kind].sort(function (a, b) { return cmp(a.key, b.key); });
      var extra = (data.columns && data.columns[kind]) || [];
      var namespaced = list.some(function (r) { return !!r.obj.metadata.namespace; });
      var section = el('div', 'kind');
      section.setAttribute('data-kind', kind);
      section.appendChild(el('h4', null, kind + ' (' + list.filter(function (r) { return !r.deleted; }).length + ')'));
      var table = el('table', 'kubectl');
      var head = el('tr');
      var headers = (namespaced ? ['NAMESPACE'] : []).concat(['NAME', 'FINALIZERS', 'DELETIONTIMESTAMP'], extra.map(function (c) { return c.header; }));
      headers.forEach(function (h) { head.appendChild(el('th', null, h)); });
      var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
      var tbody = el('tbody');
      list.forEach(function (r) {
        var md = r.obj.metadata;
        var bad = cur === vstep && violating[r.key];
        var tr = el('tr', 'obj' + (changed[r.key] ? ' changed' : '') + (r.deleted ? ' deleted' : '') + (md.deletionTimestamp ? ' terminating' : '') + (bad ? ' violating' : ''));
        tr.setAttribute('data-key', r.key);
        if (changed[r.key]) tr.title = r.deleted ? 'deleted by this step' : 'changed by this step';
        if (bad) tr.title = 'named by the violation of ' + data.violation.property;
        if (namespaced) tr.appendChild(el('td', null, md.namespace || ''));
        tr.appendChild(el('td', 'name', md.name + (r.deleted ? ' (deleted)' : '')));
        tr.appendChild(el('td', 'fin', cell(md.finalizers)));
        tr.appendChild(el('td', 'dts', cell(md.deletionTimestamp)));
        extra.forEach(function (c) { tr.appendChild(el('td', null, cell(get(r.obj, c.path)))); });
        tr.addEventListener('click', function () {
          if (expanded[r.key]) delete expanded[r.key]; else expanded[r.key] = true;
          render(cur);
        });
        tbody.appendChild(tr);
        if (expanded[r.key]) {
          var jr = el('tr', 'json'), td = el('td');
          td.colSpan = headers.length;
          td.appendChild(el('pre', null, JSON.stringify(r.obj, null, 2)));
          jr.appendChild(td);
          tbody.appendChild(jr);
        }
      });
      table.appendChild(tbody);
      section.appendChild(table);
      box.appendChild(section);
    });
  }

  function table(headers, rows, cls) {
    var t = el('table', 'kubectl' + (cls ? ' ' + cls : '')), head = el('tr'), thead = el('thead'), tbody = el('tbody');
    headers.forEach(function (h) { head.appendChild(el('th', null, h)); });
    thead.appendChild(head); t.appendChild(thead);
    rows.forEach(function (r) { tbody.appendChild(r); });
    t.appendChild(tbody);
    return t;
  }
  function row(cells, cls) {
    var tr = el('tr', cls || null);
    cells.forEach(function (c) { tr.appendChild(el('td', null, c)); });
    return tr;
  }
  function sub(box, title, changed) {
    var h = el('h5', null, title);
    if (changed) h.appendChild(el('span', 'tag', 'changed by this step'));
    box.appendChild(h);
  }
  var STATE_TEXT = { 'in-sync': 'in sync', stale: 'STALE (older resourceVersion)', missing: 'not in the cache yet', gone: 'deleted on the server, still cached' };

  // What each controller sees and holds: the root cause of a race usually lives here.
  function renderControllers(i) {
    var box = clear($('controllers'));
    var s = states[i], p = i > 0 ? states[i - 1] : null;
    if (!s.controllers || !s.controllers.length) { box.appendChild(el('div', 'none', 'no controller state in this report')); return; }
    s.controllers.forEach(function (idx, n) {
      var c = data.ctrls[idx], pc = p && p.controllers ? data.ctrls[p.controllers[n]] : null;
      var section = el('div', 'controller');
      section.setAttribute('data-controller', c.name);
      var h = el('h4', null, c.name + (c.started ? '' : ' (starting)') + (c.restarts ? ' \u00b7 restarts ' + c.restarts : ''));
      if (pc && p.controllers[n] !== idx) h.appendChild(el('span', 'tag', 'changed by this step'));
      section.appendChild(h);

      var lagging = [], rows = [], inSync = 0;
      c.informers.forEach(function (inf) {
        inf.entries.forEach(function (e) {
          if (e.state === 'in-sync') { inSync++; return; }
          lagging.push(e);
          var tr = row([inf.kind, e.key.slice(inf.kind.length + 1), e.cacheRv || '-', e.serverRv || '-', STATE_TEXT[e.state]], 'cache ' + e.state + (cur === vstep && violating[e.key] ? ' violating' : ''));
          tr.setAttribute('data-key', e.key);
          rows.push(tr);
          if (e.diff) {
            var dr = el('tr', 'cache-diff'), td = el('td');
            td.colSpan = 5;
            td.appendChild(el('div', 'what', 'cache \u2192 API server:'));
            td.appendChild(diffList(e.diff));
            dr.appendChild(td);
            rows.push(dr);
          }
        });
      });
      sub(section, 'Informer cache vs API server');
      if (rows.length) section.appendChild(table(['KIND', 'OBJECT', 'CACHE RV', 'SERVER RV', 'CACHE'], rows, 'informers'));
      section.appendChild(el('div', lagging.length ? 'what' : 'none', (lagging.length ? lagging.length + ' differ, ' : 'the cache matches the API server: ') + inSync + ' in sync'));
      var pending = [];
      c.informers.forEach(function (inf) {
        inf.pending.forEach(function (ev) { pending.push(row([inf.kind, ev])); });
        if (inf.unsynced) pending.push(row([inf.kind, inf.unsynced + ' initial-list events to go (not synced)']));
      });
      sub(section, 'Watch events not yet delivered');
      if (pending.length) section.appendChild(table(['INFORMER', 'EVENT'], pending, 'pending'));
      else section.appendChild(el('div', 'none', 'none'));

      sub(section, 'Work queues', pc && JSON.stringify(pc.queues) !== JSON.stringify(c.queues));
      section.appendChild(table(['QUEUE', 'WAITING', 'PROCESSING', 'DELAYED', 'FAILURES'], c.queues.map(function (q) {
        var fails = Object.keys(q.failures).sort(cmp).map(function (k) { return k + '\u00d7' + q.failures[k]; });
        return row([q.name, q.waiting.join(', ') || '-', q.processing.join(', ') || '-',
          q.delayed.map(function (d) { return d.item + ' @' + d.readyAt + 'ms'; }).join(', ') || '-', fails.join(', ') || '-']);
      }), 'queues'));

      sub(section, 'In-flight handlers', pc && JSON.stringify(pc.inflight) !== JSON.stringify(c.inflight));
      if (c.inflight.length) {
        section.appendChild(table(['HANDLER', 'KEY', 'FROM', 'WAITS AT', 'POINTS PASSED'], c.inflight.map(function (f) {
          return row([f.handler, f.key, f.where, f.pending, String(f.steps)]);
        }), 'inflight'));
      } else section.appendChild(el('div', 'none', 'none'));

      var locks = Object.keys(c.locks).sort(cmp);
      sub(section, 'Locks held', pc && JSON.stringify(pc.locks) !== JSON.stringify(c.locks));
      if (locks.length) section.appendChild(table(['LOCK', 'HOLDER'], locks.map(function (k) { return row([k, c.locks[k]]); }), 'locks'));
      else section.appendChild(el('div', 'none', 'none'));

      var memChanged = pc && pc.memory !== c.memory && JSON.stringify(data.exts[pc.memory]) !== JSON.stringify(data.exts[c.memory]);
      sub(section, 'Memory', memChanged);
      var mem = el('pre', 'memory' + (memChanged ? ' changed' : ''), JSON.stringify(data.exts[c.memory], null, 2));
      section.appendChild(mem);
      box.appendChild(section);
    });
  }

  // The commands that show this step with the real kubectl (kuberace serve).
  function kubectlCommands(i, s, objs) {
    var kc = data.serve.kubeconfig, kinds = {}, lines;
    Object.keys(objs).forEach(function (k) { kinds[objs[k].kind] = true; });
    var plurals = Object.keys(kinds).sort(cmp).map(function (k) { return data.serve.plurals[k] || k.toLowerCase(); });
    lines = ['$ npx kuberace serve ' + data.serve.trace + ' --step ' + i + '    # or, running: curl -X POST <url>/kuberace/step/' + i];
    if (plurals.length) lines.push('$ kubectl --kubeconfig ' + kc + ' get ' + plurals.join(',') + ' -A');
    s.changed.forEach(function (k) {
      var o = objs[k];
      if (!o) return;
      lines.push('$ kubectl --kubeconfig ' + kc + ' get ' + (data.serve.plurals[o.kind] || o.kind.toLowerCase()) + ' ' + o.metadata.name
        + (o.metadata.namespace ? ' -n ' + o.metadata.namespace : '') + ' -o yaml');
    });
    return lines.join('\n');
  }

  function render(i) {
    var s = states[i];
    var objs = objectsAt(i), prev = i > 0 ? objectsAt(i - 1) : null;
    $('detail-title').textContent = i === 0 ? 'Initial state' : 'Step ' + i + ' of ' + last;
    $('detail-actor').textContent = s.actor;
    var actorSpan = items[i].querySelector('.actor');
    $('detail-actor').className = actorSpan ? actorSpan.className : '';
    $('detail-id').textContent = s.id;
    $('detail-meta').textContent = s.clock === null ? '' : 'clock ' + s.clock + ' ms';
    var banner = $('violation-banner');
    if (i === vstep) {
      banner.hidden = false;
      banner.textContent = 'Property "' + data.violation.property + '" (' + data.violation.kind + ') is violated '
        + (i === 0 ? 'in the initial world' : 'after this step') + ': ' + data.violation.message
        + (data.violating.length ? ' \u2014 objects named: ' + data.violating.join(', ') + ' (highlighted)' : '');
    } else {
      banner.hidden = true;
      banner.textContent = '';
    }
    var notes = clear($('notes'));
    if (!s.notes.length) notes.appendChild(el('li', 'none', 'no notes'));
    s.notes.forEach(function (n) { notes.appendChild(el('li', null, n)); });
    renderChanges(s, objs, prev);
    renderObjects(s, objs, prev);
    renderControllers(i);
    $('kubectl').textContent = kubectlCommands(i, s, objs);
    var ext = $('externals');
    var extChanged = i > 0 && states[i - 1].ext !== s.ext
      && JSON.stringify(data.exts[states[i - 1].ext]) !== JSON.stringify(data.exts[s.ext]);
    ext.textContent = JSON.stringify(data.exts[s.ext], null, 2);
    ext.className = extChanged ? 'changed' : '';
    $('externals-changed').hidden = !extChanged;
  }

  function select(i, scroll) {
    i = Math.max(0, Math.min(last, i));
    if (cur >= 0) { items[cur].classList.remove('selected'); items[cur].removeAttribute('aria-current'); }
    cur = i;
    items[i].classList.add('selected');
    items[i].setAttribute('aria-current', 'step');
    if (scroll !== false && items[i].scrollIntoView) items[i].scrollIntoView({ block: 'nearest' });
    prevBtn.disabled = i === 0;
    nextBtn.disabled = i === last;
    position.textContent = 'step ' + i + ' / ' + last;
    document.body.setAttribute('data-step', String(i));
    render(i);
    try { history.replaceState(null, '', '#step-' + i); } catch (e) { /* file:// in some browsers */ }
  }

  prevBtn.addEventListener('click', function () { select(cur - 1); });
  nextBtn.addEventListener('click', function () { select(cur + 1); });
  var jump = $('jump-violation');
  if (vstep >= 0) jump.addEventListener('click', function () { select(vstep); }); else jump.hidden = true;
  $('steps').addEventListener('click', function (ev) {
    var t = ev.target;
    while (t && !(t.classList && t.classList.contains('step'))) t = t.parentNode;
    if (t) select(Number(t.getAttribute('data-step')), false);
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var k = ev.key, to = null;
    if (k === 'ArrowLeft' || k === 'k' || k === 'p') to = cur - 1;
    else if (k === 'ArrowRight' || k === 'j' || k === 'n') to = cur + 1;
    else if (k === 'Home') to = 0;
    else if (k === 'End') to = last;
    else if (k === 'v' && vstep >= 0) to = vstep;
    if (to === null) return;
    ev.preventDefault();
    select(to);
  });
  var m = /^#step-(\d+)$/.exec(location.hash);
  select(m ? Number(m[1]) : 0);
})();
`;
