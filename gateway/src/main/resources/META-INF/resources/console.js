// scoregen console: plain JavaScript against the gateway's /v1 API (docs/console.md). No library, no build step.
// The token lives in sessionStorage only and travels in the Authorization header, never in a URL.
'use strict';

(() => {
  const TOKEN_KEY = 'scoregen.token';
  const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
  const PAGE_SIZES = [20, 50, 100];
  // The loss curve holds at most this many points, thinned as the gateway thins lossCurve (every other, latest kept).
  const MAX_CURVE_POINTS = 512;
  // The gateway sends a keep-alive at least every 15 s; a stream silent for longer than this is dead.
  const STREAM_SILENCE_MS = 45000;
  const RECONNECT_FIRST_MS = 500;
  const RECONNECT_MAX_MS = 15000;

  const app = document.getElementById('app');
  const messages = document.getElementById('messages');
  const signOutButton = document.getElementById('sign-out');
  let cleanup = () => {};

  // ---- small DOM helpers ---------------------------------------------------------------------------------------

  /** An element with attributes (on* keys become listeners) and children (strings become text, null is skipped). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }

  function say(text) {
    messages.textContent = text;
  }

  // A message for the view about to open (render clears the previous view's).
  let nextMessage = '';
  function sayNext(text) {
    nextMessage = text;
  }

  function time(ms) {
    if (ms === null || ms === undefined) return '—';
    const d = new Date(ms);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
      + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  function num(x, digits) {
    if (x === null || x === undefined || Number.isNaN(x)) return '—';
    if (typeof x !== 'number') return String(x);
    return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(digits) : x.toFixed(digits);
  }

  /** A progress bar for {done, total}: indeterminate while the total is unknown. */
  function progressBar(progress, label) {
    const bar = el('progress', { 'aria-label': label });
    setProgress(bar, progress);
    return bar;
  }

  function setProgress(bar, progress) {
    if (progress && progress.total > 0) {
      bar.max = progress.total;
      bar.value = progress.done;
      bar.textContent = `${progress.done} / ${progress.total}`;
    } else {
      bar.removeAttribute('value');
      bar.textContent = 'unknown';
    }
  }

  function progressText(progress) {
    return progress ? `${progress.done} / ${progress.total}` : '—';
  }

  // ---- the API ---------------------------------------------------------------------------------------------------

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function authHeaders(extra) {
    return Object.assign({ Authorization: `Bearer ${token()}` }, extra || {});
  }

  class SignedOut extends Error {}

  /** Calls the API; resolves to {status, body} (body parsed when JSON); a 401 signs out and rejects. */
  async function api(path, options) {
    const opts = Object.assign({}, options || {});
    opts.headers = authHeaders(opts.headers);
    const response = await fetch(path, opts);
    if (response.status === 401) {
      signOut('The gateway no longer accepts this token (401). Sign in again.');
      throw new SignedOut();
    }
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = { error: text };
    }
    return { status: response.status, body };
  }

  function errorText(body, fallback) {
    if (!body) return fallback;
    const detail = (body.violations || []).map((v) => v.message).join('; ');
    return detail ? `${body.error}: ${detail}` : body.error || fallback;
  }

  /** What the gateway says it accepts: its OpenAPI document, loaded once; field types and wire names come from it. */
  let schemas = null;
  function openApi() {
    if (!schemas) {
      schemas = fetch('/q/openapi?format=json')
        .then((r) => (r.ok ? r.json() : null))
        .then((doc) => (doc && doc.components && doc.components.schemas) || {})
        .catch(() => ({}));
    }
    return schemas;
  }

  function resolveRef(all, schema) {
    while (schema && schema.$ref) schema = all[schema.$ref.split('/').pop()];
    return schema || {};
  }

  /** The schema of a dotted field path (model.hiddenDim) under a root schema, or {} when unknown. */
  function fieldSchema(all, root, path) {
    let s = resolveRef(all, all[root]);
    for (const part of path.split('.')) s = resolveRef(all, (s.properties || {})[part]);
    return s;
  }

  // ---- the job stream (fetch + ReadableStream: EventSource cannot send a bearer token) ---------------------------

  /**
   * Follows GET /v1/jobs/stream. onJob(view, seq) for every job event, onReset() before a full snapshot, onState(text)
   * when the connection comes or goes. Reconnects with Last-Event-ID after a drop. Returns a close function.
   */
  function openStream({ job, lastEventId, onJob, onReset, onState }) {
    let closed = false;
    let lastId = lastEventId === undefined || lastEventId === null ? null : String(lastEventId);
    let current = null;
    let delay = RECONNECT_FIRST_MS;

    async function run() {
      while (!closed) {
        const controller = new AbortController();
        current = controller;
        let silence = null;
        const heard = () => {
          clearTimeout(silence);
          silence = setTimeout(() => controller.abort(), STREAM_SILENCE_MS);
        };
        try {
          const headers = authHeaders({ Accept: 'text/event-stream' });
          if (lastId !== null) headers['Last-Event-ID'] = lastId;
          const url = '/v1/jobs/stream' + (job ? `?job=${encodeURIComponent(job)}` : '');
          const response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
          if (response.status === 401) {
            signOut('The gateway no longer accepts this token (401). Sign in again.');
            return;
          }
          if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
          heard();
          onState('live');
          delay = RECONNECT_FIRST_MS;
          await readEvents(response.body, heard, (event) => {
            if (event.id !== null) lastId = event.id;
            if (event.type === 'reset') onReset();
            else if (event.type === 'job') onJob(JSON.parse(event.data), Number(event.id));
          });
        } catch (e) {
          if (closed) return;
        } finally {
          clearTimeout(silence);
        }
        if (closed) return;
        onState('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      }
    }

    run();
    return () => {
      closed = true;
      if (current) current.abort();
    };
  }

  /** Parses text/event-stream (the WHATWG rules: fields id/event/data, comments, blank line dispatches). */
  async function readEvents(body, heard, dispatch) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let type = '';
    let id = null;
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      heard();
      buffer += value;
      for (;;) {
        const end = buffer.search(/[\r\n]/);
        if (end < 0) break;
        // A CR at the end of the buffer may be half of a CRLF still on its way.
        if (buffer[end] === '\r' && end === buffer.length - 1) break;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1));
        if (line === '') {
          if (data.length > 0 || type === 'reset') {
            dispatch({ id, type: type || 'message', data: data.join('\n') });
          }
          type = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? '' : line.slice(colon + 1);
        if (val.startsWith(' ')) val = val.slice(1);
        if (field === 'data') data.push(val);
        else if (field === 'event') type = val;
        else if (field === 'id' && !val.includes('\0')) id = val;
      }
    }
  }

  function streamBadge() {
    const badge = el('span', { class: 'stream', 'data-stream': 'connecting', text: 'connecting…' });
    const set = (state) => {
      badge.dataset.stream = state;
      badge.textContent = state === 'live' ? 'live' : 'reconnecting…';
    };
    return { badge, set };
  }

  // ---- sign-in ---------------------------------------------------------------------------------------------------

  function signOut(reason) {
    sessionStorage.removeItem(TOKEN_KEY);
    signOutButton.hidden = true;
    render(reason);
  }

  function signInView(reason) {
    const error = el('p', { class: 'form-error', id: 'sign-in-error', role: 'alert' });
    if (reason) error.textContent = reason;
    const input = el('input', {
      id: 'token',
      name: 'token',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
      'aria-describedby': 'sign-in-error token-hint',
    });
    const form = el(
      'form',
      { class: 'sign-in', id: 'sign-in', novalidate: true },
      el('h1', { text: 'Sign in' }),
      el('label', { for: 'token', text: 'API token' }),
      input,
      el('p', {
        class: 'hint',
        id: 'token-hint',
        text: 'The gateway\'s SCOREGEN_API_TOKEN (./scoregen up and demo print it). Kept in this tab only.',
      }),
      error,
      el('button', { type: 'submit', text: 'Sign in' }),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const candidate = input.value.trim();
      if (!candidate) {
        error.textContent = 'Enter the API token.';
        return;
      }
      error.textContent = '';
      let response;
      try {
        response = await fetch('/v1/jobs?limit=1', { headers: { Authorization: `Bearer ${candidate}` } });
      } catch (err) {
        error.textContent = 'The gateway cannot be reached.';
        return;
      }
      if (response.status === 401) {
        error.textContent = 'The gateway refused this token (401 unauthorized). Check SCOREGEN_API_TOKEN.';
        input.select();
        return;
      }
      if (!response.ok) {
        error.textContent = `The gateway answered ${response.status}.`;
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, candidate);
      sayNext('Signed in.');
      if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/jobs';
      else render();
    });
    setTimeout(() => input.focus());
    return form;
  }

  // ---- routing ---------------------------------------------------------------------------------------------------

  function route() {
    const hash = location.hash.replace(/^#/, '') || '/jobs';
    const [path, query] = hash.split('?');
    return { path, params: new URLSearchParams(query || '') };
  }

  function render(reason) {
    cleanup();
    cleanup = () => {};
    app.replaceChildren();
    say(nextMessage);
    nextMessage = '';
    if (!token()) {
      signOutButton.hidden = true;
      app.append(signInView(reason));
      return;
    }
    signOutButton.hidden = false;
    const { path, params } = route();
    let m;
    if (path === '/' || path === '/jobs') cleanup = jobsView(params);
    else if ((m = path.match(/^\/jobs\/([A-Za-z0-9._-]+)$/))) cleanup = jobView(m[1]);
    else if (path === '/new/train') cleanup = formView('train', params);
    else if (path === '/new/sample') cleanup = formView('sample', params);
    else app.append(el('h1', { text: 'Not found' }), el('p', {}, el('a', { href: '#/jobs', text: 'Jobs' })));
    document.querySelectorAll('nav a').forEach((a) => {
      if (a.getAttribute('href') === `#${path}`) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
  }

  /** Runs an async view body, reporting failures (a refused token has already signed out). */
  function guard(promise) {
    promise.catch((e) => {
      if (!(e instanceof SignedOut)) say(`Error: ${e.message}`);
    });
  }

  // ---- jobs list -------------------------------------------------------------------------------------------------

  function jobsView(params) {
    const filter = {
      status: params.get('status') || '',
      type: params.get('type') || '',
      offset: Math.max(0, parseInt(params.get('offset') || '0', 10) || 0),
      limit: PAGE_SIZES.includes(Number(params.get('limit'))) ? Number(params.get('limit')) : PAGE_SIZES[0],
    };
    const { badge, set: setStream } = streamBadge();
    const tbody = el('tbody');
    const pageInfo = el('p', { class: 'page-info', 'aria-live': 'polite' });
    const prev = el('button', { type: 'button', id: 'prev-page', text: 'Previous' });
    const next = el('button', { type: 'button', id: 'next-page', text: 'Next' });
    const anyOption = () => el('option', { value: '', text: 'any' });
    const statusSelect = el('select', { id: 'filter-status', name: 'status' }, anyOption());
    const typeSelect = el('select', { id: 'filter-type', name: 'type' }, anyOption());
    const limitSelect = el('select', { id: 'filter-limit', name: 'limit' },
      PAGE_SIZES.map((n) => el('option', { value: n, text: n, selected: n === filter.limit })));
    const go = (changes) => {
      const q = new URLSearchParams();
      const f = Object.assign({}, filter, changes);
      if (f.status) q.set('status', f.status);
      if (f.type) q.set('type', f.type);
      if (f.offset) q.set('offset', f.offset);
      if (f.limit !== PAGE_SIZES[0]) q.set('limit', f.limit);
      const s = q.toString();
      location.hash = '#/jobs' + (s ? `?${s}` : '');
    };
    statusSelect.addEventListener('change', () => go({ status: statusSelect.value, offset: 0 }));
    typeSelect.addEventListener('change', () => go({ type: typeSelect.value, offset: 0 }));
    limitSelect.addEventListener('change', () => go({ limit: Number(limitSelect.value), offset: 0 }));
    prev.addEventListener('click', () => go({ offset: Math.max(0, filter.offset - filter.limit) }));
    next.addEventListener('click', () => go({ offset: filter.offset + filter.limit }));

    app.append(
      el('div', { class: 'title-row' }, el('h1', { text: 'Jobs' }), badge),
      el('form', { class: 'filters', 'aria-label': 'Filter jobs', onsubmit: (e) => e.preventDefault() },
        el('div', {}, el('label', { for: 'filter-status', text: 'Status' }), statusSelect),
        el('div', {}, el('label', { for: 'filter-type', text: 'Type' }), typeSelect),
        el('div', {}, el('label', { for: 'filter-limit', text: 'Per page' }), limitSelect)),
      el('div', { class: 'table-scroll' },
        el('table', { id: 'jobs', class: 'jobs' },
          el('caption', { class: 'visually-hidden', text: 'Jobs, newest first' }),
          el('thead', {}, el('tr', {},
            ['Job', 'Type', 'Status', 'Created', 'Model / data set', 'Progress', 'Loss', 'Samples/s']
              .map((h) => el('th', { scope: 'col', text: h })))),
          tbody)),
      el('div', { class: 'pager' }, prev, pageInfo, next),
    );

    const rows = new Map();
    let total = 0;
    let stopStream = () => {};
    let stopped = false;

    const matches = (v) => (!filter.status || v.status === filter.status) && (!filter.type || v.type === filter.type);

    function showPage() {
      const first = rows.size ? filter.offset + 1 : 0;
      pageInfo.textContent = `${first}–${filter.offset + rows.size} of ${total}`;
      prev.disabled = filter.offset === 0;
      next.disabled = filter.offset + filter.limit >= total;
      if (rows.size === 0 && !tbody.querySelector('.empty')) {
        tbody.append(el('tr', { class: 'empty' }, el('td', { colspan: 8, text: 'No jobs.' })));
      } else if (rows.size > 0) {
        tbody.querySelectorAll('.empty').forEach((e) => e.remove());
      }
    }

    function row(view) {
      const tr = el('tr', { 'data-job-id': view.jobId });
      tr.cells_ = {
        type: el('td'), status: el('td'), created: el('td'), subject: el('td'),
        progress: el('td'), loss: el('td', { class: 'num' }), rate: el('td', { class: 'num' }),
      };
      tr.bar = progressBar(view.progress, `progress of ${view.jobId}`);
      tr.progressText = el('span', { class: 'progress-text' });
      tr.cells_.progress.append(tr.bar, ' ', tr.progressText);
      tr.append(el('th', { scope: 'row' }, el('a', { href: `#/jobs/${view.jobId}`, text: view.jobId })),
        ...Object.values(tr.cells_));
      fill(tr, view);
      return tr;
    }

    function fill(tr, view) {
      const c = tr.cells_;
      tr.createdAt = view.createdAt || 0;
      c.type.textContent = view.type;
      c.status.replaceChildren(el('span', { class: `state state-${view.status}`, text: view.status }));
      c.created.textContent = time(view.createdAt);
      c.subject.textContent = view.source || '—';
      setProgress(tr.bar, view.progress);
      tr.progressText.textContent = progressText(view.progress);
      c.loss.textContent = view.type === 'TRAIN' ? num(view.loss, 4) : '';
      c.rate.textContent = view.summary ? num(view.summary.samplesPerSecond, 1) : '';
    }

    /** A change seen on the stream: update the row in place, or add a new job to the first page. */
    function upsert(view) {
      const tr = rows.get(view.jobId);
      if (tr) {
        fill(tr, view);
        return;
      }
      if (filter.offset !== 0 || !matches(view)) return;
      const oldest = [...rows.values()].reduce((m, r) => Math.min(m, r.createdAt), Infinity);
      if (rows.size >= filter.limit && (view.createdAt || 0) < oldest) return;
      const added = row(view);
      rows.set(view.jobId, added);
      total += 1;
      // Newest first, in the table's order (the map's is arrival order).
      const after = [...tbody.children].find((r) => r !== added && r.dataset.jobId && r.createdAt <= added.createdAt);
      tbody.insertBefore(added, after || null);
      while (rows.size > filter.limit) {
        const last = tbody.lastElementChild;
        rows.delete(last.dataset.jobId);
        last.remove();
      }
      showPage();
    }

    guard((async () => {
      const all = await openApi();
      for (const [select, name, chosen] of [[statusSelect, 'JobState', filter.status],
        [typeSelect, 'JobType', filter.type]]) {
        for (const value of (all[name] && all[name].enum) || []) {
          select.append(el('option', { value, text: value, selected: value === chosen }));
        }
      }
      const q = new URLSearchParams({ offset: filter.offset, limit: filter.limit });
      if (filter.status) q.set('status', filter.status);
      if (filter.type) q.set('type', filter.type);
      const { status, body } = await api(`/v1/jobs?${q}`);
      if (status !== 200) {
        say(errorText(body, `listing jobs answered ${status}`));
        return;
      }
      if (stopped) return;
      total = body.total;
      for (const view of body.items) {
        const tr = row(view);
        rows.set(view.jobId, tr);
        tbody.append(tr);
      }
      showPage();
      // From the list's sequence on: only what changed after the list was taken.
      stopStream = openStream({
        lastEventId: body.sequence,
        onJob: upsert,
        onReset: () => {},
        onState: setStream,
      });
    })());

    return () => {
      stopped = true;
      stopStream();
    };
  }

  // ---- one job ---------------------------------------------------------------------------------------------------

  function jobView(id) {
    const { badge, set: setStream } = streamBadge();
    const status = el('span', { class: 'state', id: 'job-status' });
    const bar = el('progress', { id: 'job-progress', 'aria-label': 'progress' });
    const progressLabel = el('span', { class: 'progress-text', id: 'job-progress-text' });
    const facts = el('dl', { class: 'facts', id: 'job-facts' });
    const actions = el('div', { class: 'actions' });
    const body = el('div', { class: 'job-body' });
    app.append(
      el('div', { class: 'title-row' }, el('h1', {}, 'Job ', el('code', { text: id })), badge),
      el('p', { class: 'status-line' }, 'Status: ', status, ' ', bar, ' ', progressLabel),
      actions,
      facts,
      body,
    );

    let view = null;
    let details = null;
    let curve = null;
    let stopStream = () => {};
    let stopped = false;
    let refreshing = null;
    let refreshAgain = false;

    function showView(v) {
      const before = view;
      view = v;
      status.textContent = v.status;
      status.className = `state state-${v.status}`;
      setProgress(bar, v.progress);
      progressLabel.textContent = progressText(v.progress);
      facts.replaceChildren(...[
        ['Type', v.type],
        ['Created', time(v.createdAt)],
        ['Started', time(v.startedAt)],
        ['Updated', time(v.updatedAt)],
        ['Finished', time(v.finishedAt)],
        v.type === 'TRAIN' ? ['Loss', num(v.loss, 5)] : null,
        v.shards ? ['Shards', `${v.shards.succeeded} done, ${v.shards.running} running, ${v.shards.failed} failed `
          + `of ${v.shards.total}`] : null,
        v.error ? ['Error', v.error] : null,
      ].filter(Boolean).map(fact));
      showActions();
      if (curve && v.loss !== null && v.loss !== undefined && v.progress) curve.add(v.progress.done, v.loss);
      return before;
    }

    // Made once and shown or hidden: a button re-created on every stream event would vanish under the pointer.
    const cancelButton = el('button', { type: 'button', id: 'cancel', class: 'danger', text: 'Cancel job', hidden: true,
      onclick: () => guard(cancel()) });
    const sampleLink = el('a', { class: 'button', id: 'sample-from-model', hidden: true,
      href: `#/new/sample?model=${encodeURIComponent(id)}`, text: 'Sample from this model' });
    actions.append(cancelButton, sampleLink);

    function showActions() {
      cancelButton.hidden = !view || TERMINAL.has(view.status);
      sampleLink.hidden = !view || view.type !== 'TRAIN' || view.status !== 'SUCCEEDED';
    }

    async function cancel() {
      const { status: code, body: answer } = await api(`/v1/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (code === 202) say(`Cancellation of ${id} requested.`);
      else say(errorText(answer, `cancel answered ${code}`));
    }

    /** Re-reads GET /v1/jobs/{id} (result links, shard progress); calls that arrive meanwhile coalesce into one. */
    function refresh() {
      if (refreshing) {
        refreshAgain = true;
        return refreshing;
      }
      refreshing = (async () => {
        do {
          refreshAgain = false;
          const { status: code, body: answer } = await api(`/v1/jobs/${encodeURIComponent(id)}`);
          if (stopped) return;
          if (code === 404) {
            body.replaceChildren(el('p', { text: `The gateway knows no job ${id}.` }));
            return;
          }
          if (code !== 200) throw new Error(errorText(answer, `job answered ${code}`));
          details = answer;
          showView(answer);
          showDetails();
        } while (refreshAgain && !stopped);
      })().finally(() => {
        refreshing = null;
      });
      return refreshing;
    }

    function showDetails() {
      if (details.type === 'TRAIN') showTrain();
      else showSample();
    }

    function showTrain() {
      if (!body.querySelector('#settings')) {
        curve = lossCurve(details.lossCurve || []);
        body.replaceChildren(
          section('Loss', curve.node, 'loss'),
          section('Checkpoints and model', el('ul', { id: 'checkpoints', class: 'files' }), 'results'),
          section('Settings', settingsTable(details.spec), 'settings'),
        );
      }
      listFiles(body.querySelector('#checkpoints'), details);
    }

    function showSample() {
      if (!body.querySelector('#shards')) {
        body.replaceChildren(
          section('Summary', el('dl', { id: 'summary', class: 'facts' }), 'summary-section'),
          section('Pictures', el('div', { id: 'pictures', class: 'pictures' }), 'pictures-section'),
          section('Shards', el('div', { class: 'table-scroll' }, el('table', { id: 'shards' },
            el('thead', {}, el('tr', {}, ['Shard', 'Status', 'Progress'].map((h) => el('th', { scope: 'col',
              text: h })))), el('tbody'))), 'shards-section'),
          section('Downloads', el('ul', { id: 'downloads', class: 'files' }), 'downloads-section'),
          section('Settings', settingsTable(details.spec), 'settings'),
        );
      }
      const s = details.summary;
      body.querySelector('#summary').replaceChildren(...(s ? [
        ['Sampler', `${s.sampler}, ${s.steps} steps`],
        ['NFE per sample', num(s.nfe, 1)],
        ['Samples', s.count],
        ['Sampling time', `${num(s.seconds, 2)} s`],
        ['Samples/s', num(s.samplesPerSecond, 1)],
        ...(s.quality ? [
          ['FD', num(s.quality.fd, 3)],
          ['Precision', num(s.quality.precision, 3)],
          ['Recall', num(s.quality.recall, 3)],
          ['Reference', `${s.quality.referenceCount} of ${s.quality.reference}`],
        ] : []),
      ] : [['Summary', 'when the first shard has finished']])
        .map(fact));
      const tbody = body.querySelector('#shards tbody');
      tbody.replaceChildren(...(details.shardProgress || []).map((p) => el('tr', { 'data-shard': p.shard },
        el('th', { scope: 'row', text: p.shard }),
        el('td', {}, el('span', { class: `state state-${p.status}`, text: p.status })),
        el('td', {}, progressBar({ done: p.done, total: p.total }, `shard ${p.shard} progress`), ' ',
          el('span', { class: 'progress-text', text: `${p.done} / ${p.total ?? '?'}` })))));
      const pictures = body.querySelector('#pictures');
      const links = Object.entries(details.resultUrls || {}).sort(([a], [b]) => a.localeCompare(b));
      for (const [key, url] of links) {
        const name = key.split('/').pop();
        if ((name !== 'grid.png' && name !== 'scatter.png') || pictures.querySelector(`[data-key="${key}"]`)) continue;
        const shard = (key.match(/shard-(\d+)/) || [])[1];
        const label = `${name === 'grid.png' ? 'Grid' : 'Scatter plot'}${shard ? ` of shard ${Number(shard)}` : ''}`;
        pictures.append(el('figure', { 'data-key': key },
          el('img', { src: url, alt: label, class: 'picture', loading: 'lazy' }),
          el('figcaption', { text: label })));
      }
      listFiles(body.querySelector('#downloads'), details);
    }

    guard((async () => {
      await refresh();
      if (stopped || !details) return;
      stopStream = openStream({
        job: id,
        onJob: (v) => {
          if (v.jobId !== id) return;
          const before = showView(v);
          const changed = !before || before.status !== v.status
            || (before.resultKeys || []).length !== (v.resultKeys || []).length;
          if (changed || v.type === 'SAMPLE') guard(refresh());
        },
        onReset: () => guard(refresh()),
        onState: setStream,
      });
    })());

    return () => {
      stopped = true;
      stopStream();
    };
  }

  /** One term and its value of a facts list (a div may group a dt with its dd). */
  function fact([term, value]) {
    return el('div', {}, el('dt', { text: term }), el('dd', { text: value }));
  }

  function section(title, content, id) {
    const headingId = `${id}-heading`;
    return el('section', { 'aria-labelledby': headingId, id },
      el('h2', { id: headingId, text: title }), content);
  }

  function settingsTable(spec) {
    if (!spec) return el('p', { text: 'Not recorded for this job.' });
    const rows = [];
    const walk = (obj, prefix) => {
      for (const [k, v] of Object.entries(obj)) {
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v, `${prefix}${k}.`);
        else rows.push([prefix + k, Array.isArray(v) ? v.join(', ') : String(v)]);
      }
    };
    walk(spec, '');
    return el('div', { class: 'table-scroll settings-box' }, el('table', { class: 'settings', id: 'settings-table' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Setting' }), el('th', { scope: 'col',
        text: 'Value' }))),
      el('tbody', {}, rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, el('code', { text: k })),
        el('td', { text: v }))))));
  }

  function listFiles(list, details) {
    const urls = details.resultUrls || {};
    const keys = details.resultKeys || [];
    list.replaceChildren(...(keys.length ? keys.map((key) => el('li', {},
      urls[key] ? el('a', { href: urls[key], text: key }) : el('code', { text: key })))
      : [el('li', { text: 'None yet.' })]));
  }

  /** The hand-written SVG loss curve: the step/loss points, redrawn as points arrive. */
  function lossCurve(initial) {
    const W = 640;
    const H = 260;
    const pad = { left: 64, right: 16, top: 12, bottom: 36 };
    let points = initial.map(([s, l]) => [Number(s), Number(l)]).filter(([, l]) => Number.isFinite(l));
    const node = svg('svg', { id: 'loss-curve', class: 'curve', viewBox: `0 0 ${W} ${H}`, role: 'img' });
    const title = svg('title');
    node.append(title);
    const frame = svg('g');
    const line = svg('polyline', { class: 'curve-line', fill: 'none' });
    node.append(frame, line);

    function draw() {
      node.dataset.points = String(points.length);
      const last = points[points.length - 1];
      title.textContent = last
        ? `Training loss, ${points.length} points; latest ${num(last[1], 4)} at step ${last[0]}`
        : 'Training loss: no points yet';
      node.setAttribute('aria-label', title.textContent);
      frame.replaceChildren();
      if (points.length === 0) {
        line.setAttribute('points', '');
        return;
      }
      const steps = points.map((p) => p[0]);
      const losses = points.map((p) => p[1]);
      const x0 = Math.min(...steps);
      const x1 = Math.max(...steps, x0 + 1);
      let y0 = Math.min(...losses);
      let y1 = Math.max(...losses);
      // Loss falls over orders of magnitude early on: a log axis when every value is positive and the span is wide.
      const log = y0 > 0 && y1 / y0 > 20;
      const f = log ? Math.log10 : (y) => y;
      if (y1 === y0) {
        y1 += Math.abs(y1) * 0.05 || 1;
        y0 -= Math.abs(y0) * 0.05 || 1;
      }
      const fy0 = f(y0);
      const fy1 = f(y1);
      const px = (s) => pad.left + ((s - x0) / (x1 - x0)) * (W - pad.left - pad.right);
      const py = (l) => pad.top + (1 - (f(l) - fy0) / (fy1 - fy0)) * (H - pad.top - pad.bottom);
      line.setAttribute('points', points.map(([s, l]) => `${px(s).toFixed(1)},${py(l).toFixed(1)}`).join(' '));
      const text = (x, y, value, anchor) => {
        const t = svg('text', { x, y, 'text-anchor': anchor, class: 'axis-label' });
        t.textContent = value;
        return t;
      };
      frame.append(
        svg('rect', { x: pad.left, y: pad.top, width: W - pad.left - pad.right, height: H - pad.top - pad.bottom,
          class: 'curve-frame' }),
        text(pad.left - 6, pad.top + 10, num(y1, 3), 'end'),
        text(pad.left - 6, H - pad.bottom, num(y0, 3), 'end'),
        text(pad.left, H - pad.bottom + 16, String(x0), 'start'),
        text(W - pad.right, H - pad.bottom + 16, String(x1), 'end'),
        text((pad.left + W - pad.right) / 2, H - 4, log ? 'step (loss on a log scale)' : 'step', 'middle'),
      );
    }

    function add(step, loss) {
      const last = points[points.length - 1];
      if (!Number.isFinite(loss) || (last && step <= last[0])) return;
      points.push([step, loss]);
      if (points.length > MAX_CURVE_POINTS) {
        const latest = points[points.length - 1];
        points = points.filter((_, i) => i % 2 === 0);
        if (points[points.length - 1] !== latest) points.push(latest);
      }
      draw();
    }

    draw();
    return { node, add };
  }

  // ---- submit forms ----------------------------------------------------------------------------------------------

  // The common fields of each form, by JSON path. Their types, allowed names and rules are the gateway's (its OpenAPI
  // schema and its 400 answers): nothing here repeats a default or a rule, an empty field is simply left out.
  const FORMS = {
    train: {
      title: 'New train job',
      schema: 'TrainJob',
      endpoint: '/v1/train-jobs',
      fields: [
        ['dataset', 'Data set', 'toy:<name>, fashion-mnist, or an uploaded data set id'],
        ['sde', 'SDE'],
        ['steps', 'Steps'],
        ['batchSize', 'Batch size'],
        ['lr', 'Learning rate'],
        ['seed', 'Seed'],
        ['warmupSteps', 'Warm-up steps'],
        ['emaDecay', 'EMA decay'],
        ['checkpointEvery', 'Checkpoint every (steps)'],
        ['model.network', 'Network'],
        ['model.hiddenDim', 'MLP width'],
        ['model.hiddenLayers', 'MLP depth'],
        ['model.channels', 'U-Net channels'],
        ['model.channelMults', 'U-Net channel multipliers', 'comma-separated, e.g. 1,2,2'],
        ['model.numResBlocks', 'U-Net residual blocks per level'],
        ['model.attention', 'U-Net attention'],
      ],
      suggestions: { dataset: ['toy:eight-gaussians', 'toy:two-moons', 'toy:checkerboard', 'toy:swiss-roll',
        'fashion-mnist'] },
    },
    sample: {
      title: 'New sample job',
      schema: 'SampleJob',
      endpoint: '/v1/sample-jobs',
      fields: [
        ['model', 'Model (train job id)'],
        ['count', 'Samples'],
        ['shardSize', 'Samples per shard'],
        ['seed', 'Seed'],
        ['format', 'Output format'],
        ['evaluate', 'Score against Fashion-MNIST test'],
        ['sampler.type', 'Sampler'],
        ['sampler.steps', 'Sampler steps'],
        ['sampler.predictor', 'Predictor'],
        ['sampler.corrector', 'Corrector'],
        ['sampler.snr', 'Corrector SNR'],
        ['sampler.nStepsEach', 'Corrector steps per step'],
        ['sampler.churn', 'Churn (heun)'],
        ['sampler.schedule', 'Schedule'],
        ['sampler.eta', 'η (ddim)'],
      ],
      suggestions: {},
    },
  };

  function inputId(path) {
    return `f-${path.replace(/\./g, '-')}`;
  }

  function formView(kind, params) {
    const def = FORMS[kind];
    const formError = el('div', { class: 'form-error', id: 'form-error', role: 'alert', tabindex: -1 });
    const fields = el('div', { class: 'fields' });
    const submit = el('button', { type: 'submit', text: 'Submit' });
    // novalidate: the gateway owns every rule; its 400 names the fields.
    const form = el('form', { id: `${kind}-form`, class: 'job-form', novalidate: true,
      'aria-describedby': 'form-error' }, fields, formError, submit);
    app.append(el('h1', { text: def.title }), form);
    let stopped = false;
    const types = {};

    guard((async () => {
      const all = await openApi();
      if (stopped) return;
      for (const [path, label, hint] of def.fields) {
        const schema = fieldSchema(all, def.schema, path);
        types[path] = schema;
        const id = inputId(path);
        const errId = `${id}-error`;
        const hintId = hint ? `${id}-hint` : null;
        const common = { id, name: path, 'aria-describedby': [hintId, errId].filter(Boolean).join(' ') };
        let input;
        if (schema.enum || schema.type === 'boolean') {
          const values = schema.enum || ['true', 'false'];
          input = el('select', common, el('option', { value: '', text: 'default' }),
            values.map((v) => el('option', { value: v, text: v })));
        } else if (schema.type === 'integer' || schema.type === 'number') {
          input = el('input', Object.assign({ type: 'number', step: 'any', inputmode: schema.type === 'integer'
            ? 'numeric' : 'decimal', placeholder: 'default' }, common));
        } else {
          const listId = def.suggestions[path] ? `${id}-suggestions` : null;
          input = el('input', Object.assign({ type: 'text', placeholder: schema.type === 'array' ? 'default' : '',
            list: listId, autocomplete: 'off' }, common));
          if (listId) fields.append(el('datalist', { id: listId }, def.suggestions[path].map((v) => el('option',
            { value: v }))));
        }
        const preset = params.get(path);
        if (preset !== null) input.value = preset;
        fields.append(el('div', { class: 'field' },
          el('label', { for: id, text: label }),
          input,
          hint ? el('p', { class: 'hint', id: hintId, text: hint }) : null,
          el('p', { class: 'field-error', id: errId })));
      }
    })());

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      guard((async () => {
        clearErrors(form, formError);
        const body = {};
        for (const [path] of def.fields) {
          const input = form.elements.namedItem(path);
          if (!input || input.value.trim() === '') continue;
          setPath(body, path, wireValue(input.value.trim(), types[path] || {}));
        }
        submit.disabled = true;
        try {
          const { status, body: answer } = await api(def.endpoint, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          });
          if (status === 202) {
            sayNext(`Job ${answer.jobId} submitted.`);
            location.hash = `#/jobs/${answer.jobId}`;
            return;
          }
          showViolations(form, formError, answer, status);
        } finally {
          submit.disabled = false;
        }
      })());
    });

    return () => {
      stopped = true;
    };
  }

  /** The JSON value of a field as its schema types it; what does not parse goes as typed, for the gateway to name. */
  function wireValue(text, schema) {
    if (schema.type === 'integer' && /^-?\d+$/.test(text)) return Number(text);
    if (schema.type === 'number' && text !== '' && Number.isFinite(Number(text))) return Number(text);
    if (schema.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
    if (schema.type === 'array') {
      return text.split(',').map((s) => s.trim()).filter(Boolean)
        .map((s) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s));
    }
    return text;
  }

  function setPath(obj, path, value) {
    const parts = path.split('.');
    let o = obj;
    for (const p of parts.slice(0, -1)) o = o[p] = o[p] || {};
    o[parts[parts.length - 1]] = value;
  }

  function clearErrors(form, formError) {
    formError.replaceChildren();
    form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  }

  /** Each violation next to the input its field names (model.channelMults[1]: model.channelMults), else in the box. */
  function showViolations(form, formError, answer, status) {
    const violations = (answer && answer.violations) || [];
    const unplaced = [];
    let first = null;
    for (const v of violations) {
      const name = String(v.field || '').replace(/\[\d+\]/g, '');
      const input = name ? form.elements.namedItem(name) : null;
      const err = input ? document.getElementById(`${input.id}-error`) : null;
      if (!err) {
        unplaced.push(v);
        continue;
      }
      err.textContent = err.textContent ? `${err.textContent}; ${v.message}` : v.message;
      input.setAttribute('aria-invalid', 'true');
      first = first || input;
    }
    const heading = `${(answer && answer.error) || 'the gateway refused the job'} (${status})`;
    const placedAll = violations.length > 0 && unplaced.length === 0;
    formError.append(el('p', { text: placedAll ? `${heading}: see the marked fields` : heading }));
    if (unplaced.length) {
      const named = (v) => v.field && v.field !== 'body';
      formError.append(el('ul', {}, unplaced.map((v) => el('li', {},
        named(v) ? el('code', { text: v.field }) : null, named(v) ? ': ' : null, v.message))));
    }
    if (first) first.focus();
    else formError.focus();
  }

  // ---- start -----------------------------------------------------------------------------------------------------

  signOutButton.addEventListener('click', () => {
    sayNext('Signed out.');
    signOut();
  });
  window.addEventListener('hashchange', () => render());
  render();
})();
