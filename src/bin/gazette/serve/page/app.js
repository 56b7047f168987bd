// gazette's search page: vanilla JavaScript (ES2020), no framework, no build step, and
// nothing fetched but this server's own /api/v1/ answers.
//
// The whole state of the page lives in its URL, under the API's parameter names
// (`/?q=cocoa&since=2025-03&loc=Abidjan`), plus a few of the page's own (`view`, `article`,
// `passage`, `copies`). Every change goes through navigate(): pushState, then update()
// fetches what the new state needs and draws it. Opening such a URL runs the same path.
//
// Corpus text is data, never markup: every string from the API enters the document as a
// text node (el() and text()), links only get http(s) URLs, and nothing here assigns
// innerHTML, outerHTML or insertAdjacentHTML.
'use strict';

(() => {
  const API = '/api/v1/';
  const KWIC_PASSAGES = 50; // the concordance is drawn from this many hits
  const FACET_LIMIT = 10;

  // Every URL parameter the page knows, in the order it writes them.
  // kind: str (one value), list (repeatable), bool (`=true`), int.
  const PARAMS = {
    q: { kind: 'str', def: '' },
    since: { kind: 'str', def: '' },
    until: { kind: 'str', def: '' },
    source: { kind: 'list' },
    person: { kind: 'list' },
    org: { kind: 'list' },
    loc: { kind: 'list' },
    entity: { kind: 'list' },
    mentions: { kind: 'str', def: '' },
    dedup: { kind: 'bool' },
    any: { kind: 'bool' },
    expand: { kind: 'bool' },
    sort: { kind: 'str', def: 'score' },
    limit: { kind: 'int', def: 10 },
    offset: { kind: 'int', def: 0 },
    view: { kind: 'str', def: 'hits' },
    unit: { kind: 'str', def: 'month' },
    by: { kind: 'str', def: 'published' },
    normalize: { kind: 'bool' },
    width: { kind: 'str', def: '' },
    sentence: { kind: 'bool' },
    'kwic-sort': { kind: 'str', def: 'rank' },
    window: { kind: 'str', def: '' },
    measure: { kind: 'str', def: 'logdice' },
    entities: { kind: 'bool' },
    reference: { kind: 'str', def: '' },
    article: { kind: 'str', def: '' },
    passage: { kind: 'str', def: '' },
    copies: { kind: 'str', def: '' },
  };
  const LISTS = ['source', 'person', 'org', 'loc', 'entity'];
  const FILTERS = ['since', 'until', 'source', 'person', 'org', 'loc', 'entity', 'mentions', 'dedup'];
  const VIEWS = ['hits', 'kwic', 'collocates', 'keyness'];
  const UNITS = ['day', 'week', 'month', 'quarter', 'year'];
  // What each endpoint takes from the state.
  const ENDPOINT = {
    search: ['q', ...FILTERS, 'any', 'expand', 'sort', 'limit', 'offset'],
    timeline: ['q', ...FILTERS, 'any', 'expand', 'unit', 'by', 'normalize'],
    kwic: ['q', ...FILTERS, 'any', 'expand', 'width', 'sentence', 'kwic-sort'],
    collocates: ['q', ...FILTERS, 'any', 'window', 'measure', 'entities'],
    keyness: ['q', ...FILTERS, 'any', 'reference'],
    export: ['q', ...FILTERS, 'any', 'expand', 'sort'],
  };
  // Sent to the API even when default: `q` even empty ("" with a filter), the unit.
  const ALWAYS = new Set(['q', 'unit']);
  const TYPE_NAMES = { PER: 'person', ORG: 'organisation', LOC: 'place', MISC: 'other name' };
  // A facet or an entity type, and the filter that clicking it adds.
  const FACET_FILTER = { person: 'person', org: 'org', loc: 'loc', misc: 'entity' };
  const TYPE_FILTER = { PER: 'person', ORG: 'org', LOC: 'loc', MISC: 'entity' };
  const FACET_TITLES = { person: 'People', org: 'Organisations', loc: 'Places', misc: 'Other names' };

  const $ = (id) => document.getElementById(id);
  const root = document.documentElement;

  // ---------------------------------------------------------------- DOM, as text only

  /** An element with attributes and children; strings become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    node.replaceChildren();
    return node;
  }

  /** An http(s) URL as given, else null: a `javascript:` or `data:` URL is never a link. */
  function safeUrl(url) {
    if (typeof url !== 'string') return null;
    try {
      const parsed = new URL(url);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch {
      return null;
    }
  }

  const numberFormat = new Intl.NumberFormat('en');
  const fmt = (n) => (typeof n === 'number' ? numberFormat.format(n) : '');
  const fixed = (n, digits) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(digits) : '');
  const day = (iso) => (typeof iso === 'string' ? iso.slice(0, 10) : null);
  const plural = (n, one, many) => `${fmt(n)} ${n === 1 ? one : many}`;

  // ---------------------------------------------------------------- state and URL

  function emptyState() {
    const state = {};
    for (const [name, spec] of Object.entries(PARAMS)) {
      state[name] = spec.kind === 'list' ? [] : spec.kind === 'bool' ? false : spec.def;
    }
    return state;
  }

  function stateFromUrl(search) {
    const params = new URLSearchParams(search);
    const state = emptyState();
    for (const [name, spec] of Object.entries(PARAMS)) {
      if (spec.kind === 'list') {
        state[name] = params.getAll(name).map((v) => v.trim()).filter(Boolean);
      } else if (!params.has(name)) {
        continue;
      } else if (spec.kind === 'bool') {
        state[name] = params.get(name) === 'true';
      } else if (spec.kind === 'int') {
        const n = Number.parseInt(params.get(name), 10);
        state[name] = Number.isFinite(n) && n >= 0 ? n : spec.def;
      } else {
        state[name] = params.get(name);
      }
    }
    if (!VIEWS.includes(state.view)) state.view = 'hits';
    if (!UNITS.includes(state.unit)) state.unit = 'month';
    if (state.limit < 1) state.limit = PARAMS.limit.def;
    return state;
  }

  /** The state's non-default values among `names` (and those in `always`), as URL parameters. */
  function toParams(state, names, always = ALWAYS) {
    const params = new URLSearchParams();
    for (const name of names) {
      const spec = PARAMS[name];
      const value = state[name];
      if (spec.kind === 'list') {
        for (const v of value) params.append(name, v);
      } else if (spec.kind === 'bool') {
        if (value) params.append(name, 'true');
      } else if (always.has(name) || String(value) !== String(spec.def)) {
        params.append(name, String(value));
      }
    }
    return params;
  }

  const pageUrl = (state) => {
    const params = toParams(state, Object.keys(PARAMS), new Set()).toString();
    return params ? `/?${params}` : '/';
  };

  /** How many filters are on. */
  const filtering = (state) =>
    FILTERS.reduce((n, name) => n + (PARAMS[name].kind === 'list' ? state[name].length : state[name] ? 1 : 0), 0);

  /** Whether the state asks for a search: a query or a filter (`dedup` alone selects nothing). */
  const searching = (state) => state.q.trim() !== '' || filtering({ ...state, dedup: false }) > 0;

  // ---------------------------------------------------------------- the command line

  /** A word for a POSIX shell: as it is when it is safe, else in single quotes. */
  function shellQuote(word) {
    if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
    return `'${word.replace(/'/g, `'\\''`)}'`;
  }

  /** `gazette SUBCOMMAND QUERY FLAGS...` for `names` of the state, as one shell line. */
  function command(subcommand, state, names, extra) {
    const flags = [];
    for (const name of names) {
      if (name === 'q') continue;
      const spec = PARAMS[name];
      const value = state[name];
      if (spec.kind === 'list') {
        for (const v of value) flags.push(`--${name}`, v);
      } else if (spec.kind === 'bool') {
        if (value) flags.push(`--${name}`);
      } else if (String(value) !== String(spec.def) && String(value) !== '') {
        flags.push(`--${name}`, String(value));
      }
    }
    flags.push(...extra);
    // A query that starts with "-" would read as a flag: put it after "--".
    const words = state.q.startsWith('-')
      ? ['gazette', ...subcommand, ...flags, '--', state.q]
      : ['gazette', ...subcommand, state.q, ...flags];
    return words.map(shellQuote).join(' ');
  }

  function commandFor(state) {
    switch (state.view) {
      case 'kwic':
        return command(['query'], state, ENDPOINT.kwic, ['--kwic', '--limit', String(KWIC_PASSAGES)]);
      case 'collocates':
        return command(['collocates'], state, ENDPOINT.collocates, []);
      case 'keyness':
        return command(['keyness'], state, ENDPOINT.keyness, []);
      default:
        return command(['query'], state, ENDPOINT.search, []);
    }
  }

  // ---------------------------------------------------------------- the API

  class ApiError extends Error {}

  const inflight = new Map();

  /** GET /api/v1/ENDPOINT?PARAMS as JSON; a newer request of the same `slot` aborts this one. */
  async function api(endpoint, params, slot = endpoint) {
    inflight.get(slot)?.abort();
    const controller = new AbortController();
    inflight.set(slot, controller);
    let response;
    try {
      response = await fetch(`${API}${endpoint}?${params}`, {
        signal: controller.signal,
        headers: { Accept: 'application/json' },
      });
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      throw new ApiError(`The server did not answer (${err.message}). Is gazette serve still running?`);
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      if (controller.signal.aborted) throw new DOMException('aborted', 'AbortError');
    }
    if (!response.ok) {
      const message = body && typeof body.error === 'string' ? body.error : `${response.status} ${response.statusText}`;
      throw new ApiError(message);
    }
    if (body === null) throw new ApiError(`The server's answer to ${endpoint} is not JSON.`);
    return body;
  }

  const isAbort = (err) => err && err.name === 'AbortError';

  // ---------------------------------------------------------------- marked passage text

  /** A function from a byte offset in `text`'s UTF-8 to its index in the JS string. */
  function byteIndexer(text) {
    const starts = []; // the UTF-8 byte offset of each code point
    const indexes = []; // and its UTF-16 index
    let bytes = 0;
    let index = 0;
    for (const ch of text) {
      starts.push(bytes);
      indexes.push(index);
      const cp = ch.codePointAt(0);
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      index += ch.length;
    }
    starts.push(bytes);
    indexes.push(index);
    return (byte) => {
      // The first code point starting at or after `byte` (offsets fall on boundaries).
      let lo = 0;
      let hi = starts.length - 1;
      if (!(byte > 0)) return 0;
      if (byte >= bytes) return index;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid] < byte) lo = mid + 1;
        else hi = mid;
      }
      return indexes[lo];
    };
  }

  /**
   * `text` with its entities and dates as spans and its query matches as <mark>, all from
   * byte ranges. Entities and dates do not nest in each other (a later one overlapping an
   * earlier one is left unmarked); matches nest inside them.
   */
  function markedText(text, { highlights = [], entities = [], dates = [] } = {}) {
    const at = byteIndexer(text);
    const spans = [];
    for (const e of entities || []) {
      const type = TYPE_NAMES[e.type] ? e.type : 'MISC';
      spans.push({
        start: at(e.start),
        end: at(e.end),
        make: () =>
          el('span', {
            class: `ent ent-${type.toLowerCase()}`,
            'data-type': type,
            'data-canonical': e.canonical,
            title: `${TYPE_NAMES[type]}: ${e.canonical}`,
          }),
      });
    }
    for (const d of dates || []) {
      spans.push({
        start: at(d.start),
        end: at(d.end),
        make: () => el('span', { class: 'date', 'data-value': d.value, title: `date: ${d.value}` }),
      });
    }
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const marks = (highlights || [])
      .map((h) => ({ start: at(h.start), end: at(h.end) }))
      .filter((h) => h.end > h.start)
      .sort((a, b) => a.start - b.start);

    const fragment = document.createDocumentFragment();
    const withMarks = (parent, from, to) => {
      let pos = from;
      for (const m of marks) {
        const start = Math.max(m.start, pos);
        const end = Math.min(m.end, to);
        if (end <= start) continue;
        if (start > pos) parent.append(text.slice(pos, start));
        parent.append(el('mark', {}, text.slice(start, end)));
        pos = end;
      }
      if (pos < to) parent.append(text.slice(pos, to));
    };
    let pos = 0;
    for (const span of spans) {
      if (span.start < pos || span.end <= span.start || span.end > text.length) continue;
      withMarks(fragment, pos, span.start);
      const node = span.make();
      withMarks(node, span.start, span.end);
      fragment.append(node);
      pos = span.end;
    }
    withMarks(fragment, pos, text.length);
    return fragment;
  }

  // ---------------------------------------------------------------- page state

  let current = emptyState();
  const shown = { search: null, timeline: null, view: null, overlay: null };
  let lastHits = [];
  let generation = 0;

  /**
   * Makes `state` the page's: a new history entry (unless the URL is the same), then draws
   * it. `fresh` asks the server again even for what is on the page (a search submitted
   * again may find what an ingest has committed since).
   */
  function navigate(state, { fresh = false } = {}) {
    current = state;
    const url = pageUrl(state);
    if (url === location.pathname + location.search) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    if (fresh) shown.search = shown.timeline = shown.view = null;
    update();
  }

  const change = (patch) => navigate({ ...current, ...patch });
  const keyOf = (endpoint, state) => `${endpoint}?${toParams(state, ENDPOINT[endpoint])}`;

  /** Draws the state: fetches what changed since the last draw. */
  async function update() {
    const state = current;
    const mine = ++generation;
    root.dataset.idle = 'false';
    fillForm(state);
    drawChips(state);
    drawReuse(state);
    drawTabs(state);

    const tasks = [];
    const active = searching(state);
    $('welcome').hidden = active;
    $('layout').hidden = !active;
    document.title = active && state.q ? `${state.q} · gazette` : 'gazette';
    if (active) {
      const searchKey = keyOf('search', state);
      if (searchKey !== shown.search) tasks.push(runSearch(state, searchKey));
      const timelineKey = keyOf('timeline', state);
      if (timelineKey !== shown.timeline) tasks.push(runTimeline(state, timelineKey));
      if (state.view !== 'hits') {
        const viewKey = keyOf(state.view, state);
        if (viewKey !== shown.view) tasks.push(runView(state, viewKey));
      }
    } else {
      shown.search = shown.timeline = shown.view = null;
      showError(null);
    }
    $('foot').hidden = !active;
    tasks.push(loadStats());
    tasks.push(syncOverlay(state));
    await Promise.allSettled(tasks);
    if (mine === generation) {
      // A search error hides the panels that would repeat it.
      $('timeline').hidden = !$('error').hidden;
      root.dataset.idle = 'true';
      root.dataset.renders = String(mine);
    }
  }

  function showError(message) {
    const box = $('error');
    clear(box);
    if (message) box.append(el('strong', {}, 'The server said: '), el('pre', {}, message));
    box.hidden = !message;
  }

  // ---------------------------------------------------------------- the form

  function fillForm(state) {
    $('q').value = state.q;
    $('f-since').value = state.since;
    $('f-until').value = state.until;
    $('f-mentions').value = state.mentions;
    $('f-dedup').checked = state.dedup;
    $('f-any').checked = state.any;
    $('f-expand').checked = state.expand;
    $('h-sort').value = state.sort;
    const limit = $('h-limit');
    if (![...limit.options].some((o) => o.value === String(state.limit))) {
      limit.append(el('option', {}, String(state.limit)));
    }
    limit.value = String(state.limit);
    $('t-unit').value = state.unit;
    $('t-by').value = state.by;
    $('t-normalize').checked = state.normalize;
    $('k-width').value = state.width;
    $('k-sentence').checked = state.sentence;
    $('k-sort').value = state['kwic-sort'];
    $('c-window').value = state.window;
    $('c-measure').value = state.measure;
    $('c-entities').checked = state.entities;
    $('y-reference').value = state.reference;
  }

  /** Whether the form, as it stands, asks for a search (without taking its pending names). */
  function stateFromFormPeek() {
    const state = { ...current, q: $('q').value.trim() };
    for (const name of LISTS) if ($(`f-${name}`).value.trim()) state[name] = [...current[name], 'pending'];
    for (const name of ['since', 'until', 'mentions']) state[name] = $(`f-${name}`).value.trim();
    return state;
  }

  /** The state the form asks for: the box, the dates, pending names, the ticks. */
  function stateFromForm() {
    const state = { ...current, offset: 0 };
    state.q = $('q').value.trim();
    state.since = $('f-since').value.trim();
    state.until = $('f-until').value.trim();
    state.mentions = $('f-mentions').value.trim();
    state.dedup = $('f-dedup').checked;
    state.any = $('f-any').checked;
    state.expand = $('f-expand').checked;
    for (const name of LISTS) {
      const input = $(`f-${name}`);
      const value = input.value.trim();
      state[name] = [...current[name]];
      if (value && !state[name].includes(value)) state[name].push(value);
      input.value = '';
    }
    state.article = state.passage = state.copies = '';
    return state;
  }

  function drawChips(state) {
    const box = clear($('chips'));
    const chip = (label, value, without) =>
      el(
        'button',
        {
          type: 'button',
          class: 'chip',
          'data-testid': 'chip',
          'data-param': label,
          title: 'Remove this filter',
          onclick: () => change({ ...without, offset: 0 }),
        },
        el('span', { class: 'chip-label' }, `${label}: `),
        value,
        el('span', { class: 'chip-x', 'aria-hidden': 'true' }, ' ×'),
      );
    for (const name of ['since', 'until', 'mentions']) {
      if (state[name]) box.append(chip(name, state[name], { [name]: '' }));
    }
    for (const name of LISTS) {
      for (const value of state[name]) {
        box.append(chip(name, value, { [name]: state[name].filter((v) => v !== value) }));
      }
    }
    if (state.dedup) box.append(chip('dedup', 'each story once', { dedup: false }));
    box.hidden = !box.firstChild;
    const on = filtering(state);
    $('filters-summary').textContent = on ? `Filters (${on} on)` : 'Filters';
  }

  /** Adds a name filter, or removes it when it is already on. */
  function toggleFilter(param, name) {
    const values = current[param];
    const next = values.includes(name) ? values.filter((v) => v !== name) : [...values, name];
    change({ [param]: next, offset: 0, article: '', passage: '', copies: '' });
  }

  // ---------------------------------------------------------------- hits and facets

  async function runSearch(state, key) {
    const params = toParams(state, ENDPOINT.search);
    params.append('facets', 'true');
    params.append('facet-limit', String(FACET_LIMIT));
    $('hits').setAttribute('aria-busy', 'true');
    try {
      const answer = await api('search', params);
      shown.search = key;
      showError(null);
      drawHits(state, answer);
      drawFacets(state, answer.facets || {});
    } catch (err) {
      if (isAbort(err)) return;
      shown.search = null;
      showError(err.message);
      lastHits = [];
      clear($('hits'));
      clear($('facet-lists'));
      $('hits-summary').textContent = '';
      $('pager').hidden = true;
    } finally {
      $('hits').removeAttribute('aria-busy');
    }
  }

  function drawHits(state, answer) {
    const hits = Array.isArray(answer.hits) ? answer.hits : [];
    const total = typeof answer.total === 'number' ? answer.total : hits.length;
    lastHits = hits;
    const list = clear($('hits'));
    list.start = state.offset + 1;
    for (const hit of hits) list.append(drawHit(state, hit));
    $('hits-summary').textContent =
      total === 0
        ? 'No passage matches.'
        : `${plural(total, 'passage matches', 'passages match')}` +
          (hits.length ? `; showing ${fmt(state.offset + 1)}–${fmt(state.offset + hits.length)}.` : '.');
    const executed = answer.meta?.queries?.[0]?.executed;
    const note = $('executed');
    note.hidden = !(state.expand && executed && executed !== state.q);
    note.textContent = note.hidden ? '' : `Expanded query run: ${executed}`;
    $('pager').hidden = total <= state.limit && state.offset === 0;
    $('prev').disabled = state.offset === 0;
    $('next').disabled = state.offset + state.limit >= total;
    const pages = Math.max(1, Math.ceil(total / state.limit));
    $('page-info').textContent = `page ${fmt(Math.floor(state.offset / state.limit) + 1)} of ${fmt(pages)}`;
  }

  function articleLink(state, articleId, passage, label, attrs = {}) {
    const target = { ...state, article: articleId, passage: String(passage ?? ''), copies: '' };
    return el(
      'a',
      {
        href: pageUrl(target),
        ...attrs,
        onclick: (event) => {
          if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
          event.preventDefault();
          navigate(target);
        },
      },
      label,
    );
  }

  function drawHit(state, hit) {
    const meta = el('div', { class: 'hit-meta' });
    const bits = [
      hit.source ? el('span', { class: 'hit-source', 'data-testid': 'hit-source' }, hit.source) : null,
      el('span', { class: 'hit-date', 'data-testid': 'hit-date' }, day(hit.published) || 'undated'),
      el('span', { class: 'hit-where' }, `${hit.path || hit.article_id} #${hit.passage}`),
      el('span', { class: 'hit-score', title: 'BM25 score' }, `score ${fixed(hit.score, 2)}`),
    ].filter(Boolean);
    bits.forEach((bit, i) => meta.append(...(i ? [' · ', bit] : [bit])));

    const actions = el(
      'div',
      { class: 'hit-actions' },
      articleLink(state, hit.article_id, hit.passage, 'Open the article', {
        class: 'open-article',
        'data-testid': 'open-article',
      }),
    );
    const url = safeUrl(hit.url);
    if (url) {
      actions.append(' · ', el('a', { href: url, rel: 'noopener noreferrer', target: '_blank', class: 'original' }, 'original'));
    }
    if (hit.copies > 1) {
      actions.append(
        ' · ',
        el(
          'button',
          {
            type: 'button',
            class: 'link copies-button',
            'data-testid': 'copies-button',
            onclick: () => change({ copies: hit.article_id, article: '', passage: '' }),
          },
          `${hit.copies} copies of this story`,
        ),
      );
    }

    return el(
      'li',
      {
        class: 'hit',
        'data-testid': 'hit',
        'data-article-id': hit.article_id,
        'data-passage': hit.passage,
      },
      el(
        'h3',
        { class: 'hit-title' },
        articleLink(state, hit.article_id, hit.passage, hit.title || hit.article_id, { 'data-testid': 'hit-title' }),
      ),
      meta,
      el('p', { class: 'passage', 'data-testid': 'hit-text' }, markedText(hit.text || '', hit)),
      drawNames(hit),
      actions,
    );
  }

  /** The hit's entities by type and its dates, each name a button that filters by it. */
  function drawNames(hit) {
    const box = el('div', { class: 'hit-names', 'data-testid': 'hit-names' });
    for (const type of ['PER', 'ORG', 'LOC', 'MISC']) {
      const names = [...new Set((hit.entities || []).filter((e) => e.type === type).map((e) => e.canonical))];
      if (!names.length) continue;
      const row = el('span', { class: 'names-row' }, el('span', { class: `names-type ent-${type.toLowerCase()}` }, `${TYPE_NAMES[type]}:`));
      for (const name of names) {
        row.append(
          ' ',
          el(
            'button',
            {
              type: 'button',
              class: 'name',
              'data-testid': 'hit-entity',
              'data-type': type,
              title: `Only passages naming ${name}`,
              onclick: () => toggleFilter(TYPE_FILTER[type], name),
            },
            name,
          ),
        );
      }
      box.append(row);
    }
    const dates = [...new Set((hit.dates || []).map((d) => d.value))];
    if (dates.length) {
      box.append(el('span', { class: 'names-row' }, el('span', { class: 'names-type date' }, 'dates:'), ` ${dates.join(', ')}`));
    }
    return box;
  }

  function drawFacets(state, facets) {
    const box = clear($('facet-lists'));
    for (const facet of ['person', 'org', 'loc', 'misc']) {
      const entries = Array.isArray(facets[facet]) ? facets[facet] : [];
      if (!entries.length) continue;
      const param = FACET_FILTER[facet];
      const list = el('ul', { class: 'facet-list' });
      for (const entry of entries) {
        const on = state[param].includes(entry.name);
        list.append(
          el(
            'li',
            {},
            el(
              'button',
              {
                type: 'button',
                class: on ? 'facet on' : 'facet',
                'data-testid': 'facet',
                'data-facet': facet,
                'data-name': entry.name,
                'aria-pressed': on ? 'true' : 'false',
                title: on ? `Remove the filter ${param}: ${entry.name}` : `Only passages naming ${entry.name}`,
                onclick: () => toggleFilter(param, entry.name),
              },
              el('span', { class: 'facet-name' }, entry.name),
              el('span', { class: 'facet-count' }, fmt(entry.passages)),
            ),
          ),
        );
      }
      box.append(el('section', { class: 'facet-group', 'data-facet': facet }, el('h3', {}, FACET_TITLES[facet]), list));
    }
    if (!box.firstChild) box.append(el('p', { class: 'note' }, 'No names in these passages.'));
  }

  // ---------------------------------------------------------------- the timeline

  let lastTimeline = null;

  async function runTimeline(state, key) {
    const note = $('timeline-note');
    try {
      const answer = await api('timeline', toParams(state, ENDPOINT.timeline));
      shown.timeline = key;
      lastTimeline = { state, answer };
      drawTimeline(state, answer);
    } catch (err) {
      if (isAbort(err)) return;
      shown.timeline = null;
      lastTimeline = null;
      clear($('timeline-chart'));
      note.textContent = err.message;
      note.classList.add('error-text');
    }
  }

  /** A round number at or above `n` (1, 2 or 5 times a power of ten). */
  function niceCeil(n) {
    if (!(n > 0)) return 1;
    const power = 10 ** Math.floor(Math.log10(n));
    for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
    return 10 * power;
  }

  function drawTimeline(state, answer) {
    const box = clear($('timeline-chart'));
    const note = $('timeline-note');
    note.classList.remove('error-text');
    const buckets = Array.isArray(answer.buckets) ? answer.buckets : [];
    const share = Boolean(answer.normalized);
    const value = (b) => (share ? b.share : b.passages);
    const notes = [];
    if (!buckets.length) {
      notes.push(state.by === 'published' ? 'No matching passage has a publication date.' : 'No matching passage mentions a date.');
    }
    const other = state.by === 'published' ? 'mentions' : 'published';
    const offer = !buckets.length && answer.undated
      ? el(
          'button',
          { type: 'button', class: 'link', 'data-testid': 'timeline-switch', onclick: () => change({ by: other }) },
          other === 'mentions' ? 'Show the dates they mention instead.' : 'Show publication dates instead.',
        )
      : null;

    if (buckets.length) {
      const width = Math.max(280, Math.round(box.clientWidth || 700));
      const height = 150;
      const pad = { left: 46, right: 8, top: 10, bottom: 24 };
      const plotW = width - pad.left - pad.right;
      const plotH = height - pad.top - pad.bottom;
      const values = buckets.map(value).filter((v) => typeof v === 'number');
      const max = share ? Math.min(1, niceCeil(Math.max(...values, 0.0001))) : niceCeil(Math.max(...values, 1));
      const label = (v) => (share ? `${(v * 100).toFixed(v * 100 < 10 && v > 0 ? 1 : 0)}%` : fmt(Math.round(v)));
      const step = plotW / buckets.length;
      const gap = step > 4 ? 1 : 0;
      const chart = svg('svg', {
        viewBox: `0 0 ${width} ${height}`,
        width: '100%',
        height,
        role: 'group',
        'aria-label': share ? 'Share of passages matching, per bucket' : 'Matching passages per bucket',
        'data-testid': 'timeline-svg',
      });
      const ticks = share || Number.isInteger(max / 2) ? [0, max / 2, max] : [0, max];
      for (const tick of ticks) {
        const y = pad.top + plotH - (tick / max) * plotH;
        chart.append(
          svg('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: 'grid' }),
          svg('text', { x: pad.left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, label(tick)),
        );
      }
      // Labels where they fit: every k-th bucket.
      const labelEvery = Math.max(1, Math.ceil((buckets[0].bucket.length * 7 + 12) / step));
      buckets.forEach((b, i) => {
        const x = pad.left + i * step;
        const v = value(b);
        const h = typeof v === 'number' ? (Math.min(v, max) / max) * plotH : 0;
        const what = share
          ? typeof b.share === 'number'
            ? `${(b.share * 100).toFixed(1)}% of ${plural(b.total_passages, 'passage', 'passages')} (${fmt(b.passages)})`
            : 'no data'
          : `${plural(b.passages, 'passage', 'passages')} in ${plural(b.articles, 'article', 'articles')}`;
        const title = `${b.bucket}: ${what}. Click to narrow to ${b.start} – ${b.end}.`;
        const narrow = () => narrowTo(b);
        const group = svg(
          'g',
          {
            class: typeof v === 'number' ? 'bucket' : 'bucket nodata',
            'data-testid': 'timeline-bar',
            'data-bucket': b.bucket,
            'data-start': b.start,
            'data-end': b.end,
            'data-passages': b.passages,
            role: 'button',
            tabindex: 0,
            'aria-label': title,
            onclick: narrow,
            onkeydown: (event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                narrow();
              }
            },
          },
          svg('title', {}, title),
          svg('rect', { class: 'hitbox', x, y: pad.top, width: step, height: plotH }),
          svg('rect', { class: 'bar', x: x + gap / 2, y: pad.top + plotH - h, width: Math.max(step - gap, 0.5), height: h }),
        );
        chart.append(group);
        if (i % labelEvery === 0) {
          chart.append(svg('text', { x: x + step / 2, y: height - 6, 'text-anchor': 'middle', class: 'axis' }, b.bucket));
        }
      });
      chart.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: pad.top + plotH, y2: pad.top + plotH, class: 'baseline' }));
      box.append(chart);
      const passages = buckets.reduce((sum, b) => sum + (b.passages || 0), 0);
      notes.push(
        state.by === 'published'
          ? `${plural(passages, 'matching passage', 'matching passages')} from ${buckets[0].start} to ${buckets[buckets.length - 1].end}.`
          : `Dates mentioned by the matching passages, ${buckets[0].start} to ${buckets[buckets.length - 1].end}.`,
      );
      notes.push('Click a bar to narrow the search to it.');
    }
    if (answer.earlier?.passages) notes.push(`${plural(answer.earlier.passages, 'passage mentions', 'passages mention')} earlier dates.`);
    if (answer.later?.passages) notes.push(`${plural(answer.later.passages, 'passage mentions', 'passages mention')} later dates.`);
    if (answer.undated) {
      notes.push(
        state.by === 'published'
          ? `${plural(answer.undated, 'matching passage has', 'matching passages have')} no publication date.`
          : `${plural(answer.undated, 'matching passage mentions', 'matching passages mention')} no date.`,
      );
    }
    note.textContent = notes.join(' ');
    if (offer) note.append(' ', offer);
  }

  const FINER = { year: 'month', quarter: 'month', month: 'day', week: 'day', day: 'day' };

  /** A bar's bucket as the new date range (publication) or mentioned period, a finer unit. */
  function narrowTo(bucket) {
    const patch = { offset: 0, unit: FINER[current.unit] || current.unit };
    if (current.by === 'mentions') patch.mentions = `${bucket.start}..${bucket.end}`;
    else Object.assign(patch, { since: bucket.start, until: bucket.end });
    change(patch);
  }

  // ---------------------------------------------------------------- the other views

  function drawTabs(state) {
    for (const view of VIEWS) {
      const on = state.view === view;
      $(`tab-${view}`).setAttribute('aria-selected', on ? 'true' : 'false');
      $(`tab-${view}`).classList.toggle('on', on);
      $(`view-${view}`).hidden = !on;
    }
  }

  async function runView(state, key) {
    const view = state.view;
    const params = toParams(state, ENDPOINT[view]);
    if (view === 'kwic') params.append('limit', String(KWIC_PASSAGES));
    const box = { kwic: $('kwic-lines'), collocates: $('collocates-table'), keyness: $('keyness-table') }[view];
    const summary = $(`${view}-summary`);
    summary.textContent = 'Counting…';
    try {
      const answer = await api(view, params, 'view');
      shown.view = key;
      if (view === 'kwic') drawKwic(state, answer, box, summary);
      else if (view === 'collocates') drawCollocates(answer, box, summary);
      else drawKeyness(answer, box, summary);
    } catch (err) {
      if (isAbort(err)) return;
      shown.view = null;
      clear(box);
      summary.textContent = err.message;
      summary.classList.add('error-text');
      return;
    }
    summary.classList.remove('error-text');
  }

  function drawKwic(state, answer, box, summary) {
    clear(box);
    const lines = Array.isArray(answer.lines) ? answer.lines : [];
    const total = answer.total ?? 0;
    const occurrences = plural(answer.occurrences ?? lines.length, 'occurrence', 'occurrences');
    summary.textContent =
      total > KWIC_PASSAGES
        ? `${occurrences} in the first ${fmt(KWIC_PASSAGES)} of ${plural(total, 'matching passage', 'matching passages')}.`
        : `${occurrences} in ${plural(total, 'matching passage', 'matching passages')}.`;
    for (const line of lines) {
      box.append(
        articleLink(
          state,
          line.article_id,
          line.passage,
          [
            el('span', { class: 'kwic-left' }, el('span', {}, line.left)),
            el('span', { class: 'kwic-match' }, line.match),
            el('span', { class: 'kwic-right' }, el('span', {}, line.right)),
            el('span', { class: 'kwic-where' }, [line.source, day(line.published)].filter(Boolean).join(' · ')),
          ],
          { class: 'kwic-line', 'data-testid': 'kwic-line', title: line.title || line.article_id },
        ),
      );
    }
    if (!lines.length) box.append(el('p', { class: 'note' }, 'No occurrence of the query’s words in these passages.'));
  }

  function table(box, columns, rows) {
    clear(box);
    box.append(el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.num ? 'num' : '' }, c.title)))));
    const body = el('tbody');
    for (const row of rows) {
      body.append(el('tr', { 'data-testid': 'row' }, columns.map((c) => el('td', { class: c.num ? 'num' : '' }, c.value(row)))));
    }
    box.append(body);
  }

  function drawCollocates(answer, box, summary) {
    const rows = Array.isArray(answer.rows) ? answer.rows : [];
    summary.textContent =
      `Words within ${answer.window} of the ${plural(answer.node ?? 0, 'occurrence', 'occurrences')} ` +
      `in ${plural(answer.passages ?? 0, 'passage', 'passages')}, by ${answer.measure}.`;
    table(
      box,
      [
        { title: 'word', value: (r) => (r.type ? [r.term, ' ', el('span', { class: 'badge' }, TYPE_NAMES[r.type] || r.type)] : r.term) },
        { title: 'together', num: true, value: (r) => fmt(r.cooccurrences) },
        { title: 'in the index', num: true, value: (r) => fmt(r.frequency) },
        { title: 'expected', num: true, value: (r) => fixed(r.expected, 2) },
        { title: 'score', num: true, value: (r) => fixed(r.score, 2) },
      ],
      rows,
    );
    if (!rows.length) summary.textContent += ' No word is seen near them often enough.';
  }

  function drawKeyness(answer, box, summary) {
    const rows = Array.isArray(answer.rows) ? answer.rows : [];
    summary.textContent =
      `Words more frequent in the ${plural(answer.target_passages ?? 0, 'matching passage', 'matching passages')} ` +
      `than in ${plural(answer.reference_passages ?? 0, 'other passage', 'other passages')}, counted in passages.`;
    table(
      box,
      [
        { title: 'word', value: (r) => r.term },
        { title: 'matching passages', num: true, value: (r) => fmt(r.target) },
        { title: 'other passages', num: true, value: (r) => fmt(r.reference) },
        { title: 'G²', num: true, value: (r) => fixed(r.g2, 1) },
        { title: 'log ratio', num: true, value: (r) => fixed(r.log_ratio, 2) },
      ],
      rows,
    );
    if (!rows.length) summary.textContent += ' None is key.';
  }

  // ---------------------------------------------------------------- export and command line

  function drawReuse(state) {
    for (const format of ['csv', 'jsonl']) {
      const params = toParams(state, ENDPOINT.export);
      params.append('format', format);
      $(`export-${format}`).href = `${API}export?${params}`;
    }
    $('command-line').textContent = commandFor(state);
    $('copy-command').textContent = 'Copy';
  }

  async function copyCommand() {
    const text = $('command-line').textContent;
    try {
      await navigator.clipboard.writeText(text);
      $('copy-command').textContent = 'Copied';
    } catch {
      // No clipboard (an insecure context): select the text for Ctrl-C instead.
      const range = document.createRange();
      range.selectNodeContents($('command-line'));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      $('copy-command').textContent = 'Selected: press Ctrl-C';
    }
  }

  // ---------------------------------------------------------------- article and copies

  async function syncOverlay(state) {
    const want = state.article ? `article:${state.article}#${state.passage}` : state.copies ? `copies:${state.copies}` : null;
    if (want === shown.overlay) return;
    if (!want) {
      closeOverlay();
      return;
    }
    openOverlay(state.article ? 'Article' : 'Copies of this story', 'Loading…');
    try {
      if (state.article) await showArticle(state);
      else await showCopies(state);
      shown.overlay = want;
    } catch (err) {
      if (isAbort(err)) return;
      shown.overlay = null;
      clear($('overlay-body')).append(el('p', { class: 'error-text', role: 'alert', 'data-testid': 'overlay-error' }, err.message));
    }
  }

  function openOverlay(title, body) {
    $('overlay-title').textContent = title;
    clear($('overlay-body')).append(el('p', { class: 'note' }, body));
    if ($('overlay').hidden) {
      $('overlay').hidden = false;
      document.body.classList.add('modal-open');
      $('overlay-close').focus();
    }
  }

  function closeOverlay() {
    inflight.get('overlay')?.abort();
    shown.overlay = null;
    $('overlay').hidden = true;
    document.body.classList.remove('modal-open');
    clear($('overlay-body'));
  }

  const dismiss = () => change({ article: '', passage: '', copies: '' });

  async function showArticle(state) {
    const answer = await api('article', new URLSearchParams({ id: state.article }), 'overlay');
    const article = answer.article || {};
    const passages = Array.isArray(answer.passages) ? answer.passages : [];
    const target = state.passage === '' ? null : Number(state.passage);
    $('overlay-title').textContent = article.title || article.article_id || state.article;
    const body = clear($('overlay-body'));
    const meta = el('p', { class: 'article-meta', 'data-testid': 'article-meta' });
    const bits = [article.source, day(article.published) || 'undated', article.path || article.article_id].filter(Boolean);
    meta.append(bits.join(' · '));
    const url = safeUrl(article.url);
    if (url) meta.append(' · ', el('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, 'original'));
    if (article.copies > 1) {
      meta.append(
        ' · ',
        el(
          'button',
          {
            type: 'button',
            class: 'link',
            'data-testid': 'article-copies',
            onclick: () => change({ copies: article.article_id, article: '', passage: '' }),
          },
          `${article.copies} copies of this story`,
        ),
      );
    }
    body.append(meta);
    // The query's matches, when the passage came from the hits on the page.
    const fromHit = lastHits.find((h) => h.article_id === article.article_id && h.passage === target);
    let targetNode = null;
    const text = el('div', { class: 'article-text', 'data-testid': 'article-text' });
    for (const p of passages) {
      const isTarget = p.passage === target;
      const node = el(
        'p',
        {
          class: isTarget ? 'article-passage target' : 'article-passage',
          'data-passage': p.passage,
          'data-testid': isTarget ? 'article-target' : 'article-passage',
        },
        markedText(p.text || '', { ...p, highlights: isTarget && fromHit ? fromHit.highlights : [] }),
      );
      if (isTarget) targetNode = node;
      text.append(node);
    }
    body.append(text);
    if (targetNode) {
      targetNode.setAttribute('tabindex', '-1');
      requestAnimationFrame(() => targetNode.scrollIntoView({ block: 'center' }));
    }
  }

  async function showCopies(state) {
    const answer = await api('copies', new URLSearchParams({ 'article-id': state.copies }), 'overlay');
    const copies = Array.isArray(answer.copies) ? answer.copies : [];
    $('overlay-title').textContent = `${plural(copies.length, 'article', 'articles')} ran this story`;
    const body = clear($('overlay-body'));
    body.append(el('p', { class: 'note' }, 'Near-duplicate copies, first published first, with the share of the first article’s text each holds.'));
    const list = el('table', { class: 'copies', 'data-testid': 'copies-table' });
    list.append(el('thead', {}, el('tr', {}, ['article', 'source', 'published', 'similarity'].map((t) => el('th', {}, t)))));
    const rows = el('tbody');
    for (const copy of copies) {
      rows.append(
        el(
          'tr',
          { 'data-testid': 'copy', 'data-article-id': copy.article_id },
          el('td', {}, articleLink(state, copy.article_id, '', copy.article_id)),
          el('td', {}, copy.source || ''),
          el('td', {}, day(copy.published) || 'undated'),
          el('td', { class: 'num' }, `${Math.round((copy.similarity ?? 0) * 100)}%`),
        ),
      );
    }
    list.append(rows);
    body.append(el('div', { class: 'table-wrap' }, list));
  }

  // ---------------------------------------------------------------- the start page

  let stats = null;

  async function loadStats() {
    if (stats) return;
    try {
      stats = await api('stats', new URLSearchParams());
    } catch (err) {
      if (!isAbort(err)) $('index-stats').textContent = err.message;
      return;
    }
    const span =
      stats.first_published && stats.last_published ? `, published ${stats.first_published} to ${stats.last_published}` : '';
    const line = `This index holds ${plural(stats.articles, 'article', 'articles')} in ${plural(stats.passages, 'passage', 'passages')} from ${plural(stats.sources, 'source', 'sources')}${span}.`;
    $('index-stats').textContent = line;
    $('foot-stats').textContent = line;
  }

  /** Suggestions for a name field, from `entities` (read once, on first focus). */
  const suggested = new Set();
  async function suggest(param) {
    const type = { person: 'PER', org: 'ORG', loc: 'LOC', entity: null }[param];
    if (suggested.has(param) || type === undefined) return;
    suggested.add(param);
    const params = new URLSearchParams({ limit: '300' });
    if (type) params.append('type', type);
    try {
      const answer = await api('entities', params, `entities-${param}`);
      const list = clear($(`list-${param}`));
      for (const entity of answer.entities || []) list.append(el('option', { value: entity.name }));
    } catch {
      suggested.delete(param);
    }
  }

  // ---------------------------------------------------------------- wiring

  function wire() {
    $('search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      navigate(stateFromForm(), { fresh: true });
    });
    for (const name of LISTS) {
      $(`f-${name}`).addEventListener('focus', () => suggest(name));
    }
    // A tick takes effect at once, with whatever else the form holds.
    for (const id of ['f-dedup', 'f-any', 'f-expand']) {
      $(id).addEventListener('change', () => {
        if (searching(stateFromFormPeek())) navigate(stateFromForm());
      });
    }
    $('h-sort').addEventListener('change', (e) => change({ sort: e.target.value, offset: 0 }));
    $('h-limit').addEventListener('change', (e) => change({ limit: Number(e.target.value), offset: 0 }));
    $('prev').addEventListener('click', () => change({ offset: Math.max(0, current.offset - current.limit) }));
    $('next').addEventListener('click', () => change({ offset: current.offset + current.limit }));
    $('t-unit').addEventListener('change', (e) => change({ unit: e.target.value }));
    $('t-by').addEventListener('change', (e) => change({ by: e.target.value }));
    $('t-normalize').addEventListener('change', (e) => change({ normalize: e.target.checked }));
    $('k-width').addEventListener('change', (e) => change({ width: e.target.value.trim() }));
    $('k-sentence').addEventListener('change', (e) => change({ sentence: e.target.checked }));
    $('k-sort').addEventListener('change', (e) => change({ 'kwic-sort': e.target.value }));
    $('c-window').addEventListener('change', (e) => change({ window: e.target.value.trim() }));
    $('c-measure').addEventListener('change', (e) => change({ measure: e.target.value }));
    $('c-entities').addEventListener('change', (e) => change({ entities: e.target.checked }));
    $('y-reference').addEventListener('change', (e) => change({ reference: e.target.value.trim() }));
    for (const view of VIEWS) {
      $(`tab-${view}`).addEventListener('click', () => change({ view }));
    }
    $('copy-command').addEventListener('click', copyCommand);
    $('overlay-close').addEventListener('click', dismiss);
    $('overlay').addEventListener('click', (event) => {
      if (event.target === $('overlay')) dismiss();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !$('overlay').hidden) dismiss();
    });
    window.addEventListener('popstate', () => {
      current = stateFromUrl(location.search);
      update();
    });
    let resizeTimer = 0;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        if (lastTimeline && !$('layout').hidden) drawTimeline(lastTimeline.state, lastTimeline.answer);
      }, 150);
    });
    // The filters start folded over results, so the hits start higher, unless one is on;
    // on a phone the facets start folded too.
    $('filters').open = !searching(current) || filtering(current);
    $('help').open = !searching(current);
    if (window.matchMedia('(max-width: 760px)').matches) $('facets-box').open = false;
  }

  current = stateFromUrl(location.search);
  wire();
  update();
})();
