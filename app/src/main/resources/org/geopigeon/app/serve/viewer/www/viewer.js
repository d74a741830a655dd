// GeoPigeon viewer: an equirectangular SVG world map with pan/zoom, the upload form, and the drawing of
// one prediction (ranked cells coloured by probability, the point estimate, the EXIF GPS point).
// No libraries: the map is a <g> whose transform maps (lon, lat) to screen pixels.
'use strict';

(() => {
  const API = 'api/v1/';
  const SVGNS = 'http://www.w3.org/2000/svg';
  // Same classes and colours as styles/geopigeon_predicted_cells.sld (ColorBrewer YlOrRd, 5 classes).
  const PROBABILITY_CLASSES = [
    { below: 0.05, color: '#ffffb2', label: '< 5 %' },
    { below: 0.15, color: '#fecc5c', label: '5 – 15 %' },
    { below: 0.30, color: '#fd8d3c', label: '15 – 30 %' },
    { below: 0.50, color: '#f03b20', label: '30 – 50 %' },
    { below: Infinity, color: '#bd0026', label: '≥ 50 %' },
  ];
  // Same as styles/geopigeon_predicted_points.sld: colour and size by confidence.
  const CONFIDENCE_CLASSES = [
    { below: 0.25, color: '#9ecae1', size: 10, label: 'low (< 0.25)' },
    { below: 0.50, color: '#4292c6', size: 14, label: 'medium (0.25 – 0.5)' },
    { below: Infinity, color: '#08306b', size: 18, label: 'high (≥ 0.5)' },
  ];
  const EXIF_COLOR = '#1a9850';

  const $ = (id) => document.getElementById(id);
  const svg = $('svg');
  const view = { k: 1, tx: 0, ty: 0, minK: 1, maxK: 1 };
  let shown = null; // { estimate, cells } currently drawn

  // ---------------------------------------------------------------- map geometry

  const classOf = (classes, v) => classes.find((c) => v < c.below);
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));

  function viewport() {
    const r = svg.getBoundingClientRect();
    return { w: Math.max(r.width, 1), h: Math.max(r.height, 1) };
  }

  function project(lon, lat) {
    return [view.tx + view.k * lon, view.ty - view.k * lat];
  }

  function unproject(x, y) {
    return [(x - view.tx) / view.k, (view.ty - y) / view.k];
  }

  function updateLimits() {
    const { w, h } = viewport();
    view.minK = Math.min(w / 360, h / 180) * 0.9;
    view.maxK = view.minK * 400;
  }

  /** Shows the box [minLon, minLat, maxLon, maxLat] with a margin of `pad` pixels. */
  function fit(box, pad = 40, maxZoom = 60) {
    updateLimits();
    const { w, h } = viewport();
    const bw = Math.max(box[2] - box[0], 1e-3);
    const bh = Math.max(box[3] - box[1], 1e-3);
    view.k = clamp(Math.min((w - 2 * pad) / bw, (h - 2 * pad) / bh), view.minK, view.minK * maxZoom);
    view.tx = w / 2 - view.k * (box[0] + box[2]) / 2;
    view.ty = h / 2 + view.k * (box[1] + box[3]) / 2;
    apply();
  }

  function fitWorld() {
    fit([-180, -60, 180, 84], 10);
  }

  /** Keeps some of the world on screen, whatever the user drags. */
  function constrain() {
    const { w, h } = viewport();
    const margin = 60;
    view.tx = clamp(view.tx, margin - 180 * view.k, w - margin + 180 * view.k);
    view.ty = clamp(view.ty, margin - 90 * view.k, h - margin + 90 * view.k);
  }

  function apply() {
    constrain();
    $('world').setAttribute('transform', `matrix(${view.k} 0 0 ${-view.k} ${view.tx} ${view.ty})`);
    drawOverlay();
  }

  function zoomAt(x, y, factor) {
    const k = clamp(view.k * factor, view.minK, view.maxK);
    const f = k / view.k;
    view.tx = x - (x - view.tx) * f;
    view.ty = y - (y - view.ty) * f;
    view.k = k;
    apply();
  }

  /**
   * Outlines skip edges longer than this many degrees of longitude: no real boundary edge is that long, but
   * rings cut along the antimeridian (Russia, Fiji in Natural Earth derived files) contain zero-width slivers
   * whose edges would streak across the whole map. Fills use the rings unchanged (a sliver fills nothing).
   */
  const STREAK_DEGREES = 40;

  function ringPath(ring, outline) {
    let d = '';
    for (let i = 0; i < ring.length; i++) {
      const jump = i > 0 && outline && Math.abs(ring[i][0] - ring[i - 1][0]) > STREAK_DEGREES;
      d += (i === 0 || jump ? 'M' : 'L') + (+ring[i][0]).toFixed(3) + ',' + (+ring[i][1]).toFixed(3);
    }
    return outline ? d : d + 'Z';
  }

  /** SVG path data of a (Multi)Polygon in degrees; `outline` for the stroke-only variant. */
  function geometryPath(g, outline = false) {
    if (!g) return '';
    const rings = (polygon) => polygon.map((r) => ringPath(r, outline)).join('');
    switch (g.type) {
      case 'Polygon': return rings(g.coordinates);
      case 'MultiPolygon': return g.coordinates.map(rings).join('');
      case 'GeometryCollection': return g.geometries.map((m) => geometryPath(m, outline)).join('');
      default: return '';
    }
  }

  function geometryBox(g, box) {
    const visit = (c) => {
      if (typeof c[0] === 'number') {
        box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]);
        box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]);
      } else {
        c.forEach(visit);
      }
    };
    if (g && g.coordinates) visit(g.coordinates);
    return box;
  }

  function graticule() {
    let d = '';
    for (let lat = -60; lat <= 60; lat += 30) d += `M-180,${lat}L180,${lat}`;
    for (let lon = -180; lon <= 180; lon += 30) d += `M${lon},-90L${lon},90`;
    return d + 'M-180,-90L180,-90L180,90L-180,90Z';
  }

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVGNS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  // ---------------------------------------------------------------- drawing a prediction

  function drawCells(cells) {
    const layer = $('cells-layer');
    layer.replaceChildren();
    // Lowest rank last, so the most probable cell and its outline are on top.
    [...cells].sort((a, b) => b.properties.rank - a.properties.rank).forEach((c) => {
      const p = c.properties;
      const g = el('g', { class: p.rank === 1 ? 'rank1' : '', 'data-rank': p.rank }, layer);
      el('path', { d: geometryPath(c.geometry), fill: classOf(PROBABILITY_CLASSES, p.probability).color, class: 'fill' }, g);
      el('path', { d: geometryPath(c.geometry, true), class: 'edge' }, g);
      el('title', {}, g).textContent = `#${p.rank} ${p.name}${p.admin1 ? ', ' + p.admin1 : ''} (${p.country}): `
          + percent(p.probability);
    });
  }

  function drawOverlay() {
    const layer = $('overlay');
    layer.replaceChildren();
    if (!shown || !shown.estimate) return;
    const e = shown.estimate;
    const [ex, ey] = project(e.geometry.coordinates[0], e.geometry.coordinates[1]);
    const gps = e.properties.exif_gps;
    if (gps) {
      const [gx, gy] = project(gps.lon, gps.lat);
      el('line', { x1: ex, y1: ey, x2: gx, y2: gy, class: 'error-line' }, layer);
      const s = 12;
      const sq = el('rect', { x: gx - s / 2, y: gy - s / 2, width: s, height: s, class: 'exif' }, layer);
      el('title', {}, sq).textContent = `EXIF GPS ${fmtLatLon(gps.lat, gps.lon)}`;
      if (e.properties.exif_distance_km != null) {
        const label = el('text', { x: (ex + gx) / 2 + 8, y: (ey + gy) / 2 - 6, class: 'label' }, layer);
        label.textContent = fmtKm(e.properties.exif_distance_km);
      }
    }
    const c = classOf(CONFIDENCE_CLASSES, e.properties.confidence);
    const dot = el('circle', { cx: ex, cy: ey, r: c.size / 2 + 1, fill: c.color, class: 'estimate' }, layer);
    el('title', {}, dot).textContent = `Estimate ${fmtLatLon(e.properties.lat, e.properties.lon)}, confidence `
        + e.properties.confidence.toFixed(3);
  }

  function show(fc) {
    const estimate = fc.features.find((f) => f.properties.kind === 'estimate');
    const cells = fc.features.filter((f) => f.properties.kind === 'cell')
        .sort((a, b) => a.properties.rank - b.properties.rank);
    shown = { estimate, cells };
    drawCells(cells);
    fillResult(estimate, cells);
    setBanner(!estimate.properties.trained);
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    cells.forEach((c) => geometryBox(c.geometry, box));
    geometryBox(estimate.geometry, box);
    if (estimate.properties.exif_gps) {
      geometryBox({ coordinates: [estimate.properties.exif_gps.lon, estimate.properties.exif_gps.lat] }, box);
    }
    fit(box, 50, 40);
    markCurrent(estimate.properties.prediction_id);
  }

  function fillResult(estimate, cells) {
    const p = estimate.properties;
    $('result').hidden = false;
    $('result-id').textContent = p.prediction_id != null ? `#${p.prediction_id}` : '(not stored)';
    const dl = $('summary');
    dl.replaceChildren();
    const row = (k, v) => {
      el2('dt', k, dl);
      return el2('dd', v, dl);
    };
    row('Estimate', fmtLatLon(p.lat, p.lon));
    row('Confidence', `${p.confidence.toFixed(3)} (${classOf(CONFIDENCE_CLASSES, p.confidence).label.split(' ')[0]})`);
    row('Point from', p.refined ? 'retrieval refinement' : 'centroid of the top cell');
    row('Model', p.model + (p.trained ? '' : ' (untrained)'));
    if (p.exif_gps) {
      row('EXIF GPS', fmtLatLon(p.exif_gps.lat, p.exif_gps.lon));
      row('Error', p.exif_distance_km != null ? fmtKm(p.exif_distance_km) + ' from the EXIF position' : '–');
    } else {
      row('EXIF GPS', 'none in the file');
    }
    if (p.created) row('Stored', new Date(p.created).toLocaleString());
    if (p.audit_id != null) row('Audit row', `#${p.audit_id}`);

    const tbody = $('cells').tBodies[0];
    tbody.replaceChildren();
    cells.forEach((c) => {
      const q = c.properties;
      const tr = el2('tr', null, tbody);
      tr.dataset.rank = q.rank;
      el2('td', String(q.rank), tr);
      const name = el2('td', null, tr);
      const sw = el2('span', null, name);
      sw.className = 'swatch';
      sw.style.background = classOf(PROBABILITY_CLASSES, q.probability).color;
      name.appendChild(document.createTextNode(q.name || q.cell_id));
      if (q.admin1) {
        const sub = el2('div', q.admin1, name);
        sub.className = 'sub';
      }
      el2('td', q.country, tr);
      const prob = el2('td', percent(q.probability), tr);
      prob.className = 'num';
      tr.addEventListener('mouseenter', () => highlight(q.rank, true));
      tr.addEventListener('mouseleave', () => highlight(q.rank, false));
      tr.addEventListener('click', () => {
        fit(geometryBox(c.geometry, [Infinity, Infinity, -Infinity, -Infinity]), 60, 80);
      });
    });
  }

  function highlight(rank, on) {
    const cell = $('cells-layer').querySelector(`g[data-rank="${rank}"]`);
    if (cell) {
      cell.classList.toggle('hl', on);
      if (on) cell.parentNode.appendChild(cell); // bring to front while highlighted
    }
  }

  function el2(name, text, parent) {
    const e = document.createElement(name);
    if (text != null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function percent(p) {
    return (100 * p).toFixed(p < 0.01 ? 2 : 1) + ' %';
  }

  function fmtLatLon(lat, lon) {
    return `${Math.abs(lat).toFixed(4)}° ${lat >= 0 ? 'N' : 'S'}, ${Math.abs(lon).toFixed(4)}° ${lon >= 0 ? 'E' : 'W'}`;
  }

  function fmtKm(km) {
    return km < 10 ? `${km.toFixed(2)} km` : `${Math.round(km).toLocaleString('en')} km`;
  }

  function setBanner(untrained) {
    $('banner').hidden = !untrained;
  }

  // ---------------------------------------------------------------- legend

  function buildLegend() {
    const box = $('legend');
    const title = (t) => { el2('h3', t, box); };
    const item = (draw, text) => {
      const row = el2('div', null, box);
      row.className = 'item';
      const s = el('svg', { width: 20, height: 16, viewBox: '0 0 20 16' }, row);
      draw(s);
      el2('span', text, row);
    };
    title('Cell probability');
    PROBABILITY_CLASSES.forEach((c) => item((s) => el('rect', {
      x: 1, y: 2, width: 18, height: 12, fill: c.color, 'fill-opacity': 0.6, stroke: '#7f7f7f', 'stroke-width': 0.5,
    }, s), c.label));
    item((s) => el('rect', { x: 2, y: 3, width: 16, height: 10, fill: 'none', stroke: '#252525', 'stroke-width': 2.5 }, s),
        'most probable cell');
    el2('div', null, box).className = 'sep';
    title('Estimate (size = confidence)');
    CONFIDENCE_CLASSES.forEach((c) => item((s) => el('circle', {
      cx: 10, cy: 8, r: c.size / 2 - 1, fill: c.color, stroke: '#fff', 'stroke-width': 1,
    }, s), c.label));
    el2('div', null, box).className = 'sep';
    item((s) => el('rect', { x: 4, y: 2, width: 12, height: 12, fill: EXIF_COLOR, stroke: '#fff' }, s), 'EXIF GPS position');
    item((s) => el('line', { x1: 1, y1: 8, x2: 19, y2: 8, stroke: '#525252', 'stroke-width': 1.5,
      'stroke-dasharray': '6 3' }, s), 'estimate error (km)');
  }

  // ---------------------------------------------------------------- server calls

  async function getJson(path) {
    const r = await fetch(API + path, { headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => null);
    if (!r.ok) {
      throw new Error(body && body.message ? `${body.code}: ${body.message}` : `HTTP ${r.status}`);
    }
    return { body, response: r };
  }

  async function loadBoundaries() {
    try {
      const { body, response } = await getJson('boundaries');
      $('land').setAttribute('d', body.features.map((f) => geometryPath(f.geometry)).join(''));
      $('borders').setAttribute('d', body.features.map((f) => geometryPath(f.geometry, true)).join(''));
      const kind = response.headers.get('X-GeoPigeon-Boundaries');
      $('attribution').textContent = kind === 'geocells'
          ? 'Background: model geocells (no country outlines installed)'
          : 'Country outlines: Made with Natural Earth';
    } catch (e) {
      $('attribution').textContent = 'Background map unavailable: ' + e.message;
    }
  }

  async function loadModel() {
    try {
      const { body } = await getJson('model');
      const info = $('model-info');
      info.replaceChildren();
      info.appendChild(document.createTextNode(`model ${body.name} · ${body.geocells} cells · `));
      const t = el2('span', body.trained ? 'trained' : 'untrained demo weights', info);
      if (!body.trained) t.className = 'untrained';
      setBanner(!body.trained);
    } catch (e) {
      $('model-info').textContent = 'model unavailable: ' + e.message;
    }
  }

  async function loadRecent() {
    const list = $('recent-list');
    try {
      const { body } = await getJson('predictions?limit=15');
      list.replaceChildren();
      if (body.features.length === 0) {
        el2('li', 'none stored yet', list).className = 'muted';
      }
      body.features.forEach((f) => {
        const p = f.properties;
        const li = el2('li', null, list);
        const a = el2('a', null, li);
        a.href = `?prediction=${p.prediction_id}`;
        a.dataset.id = p.prediction_id;
        el2('span', timeAgo(p.created), a).className = 'when';
        el2('strong', `#${p.prediction_id} `, a);
        a.appendChild(document.createTextNode(`${p.top1_cell_name || p.top1_cell_id} (${p.top1_country}) · conf.`
            + ` ${p.confidence.toFixed(2)}`));
        a.addEventListener('click', (ev) => {
          ev.preventDefault();
          history.pushState(null, '', a.href);
          loadPrediction(p.prediction_id);
        });
      });
      if (shown && shown.estimate) markCurrent(shown.estimate.properties.prediction_id);
    } catch (e) {
      list.replaceChildren();
      el2('li', 'cannot list predictions: ' + e.message, list).className = 'muted';
    }
  }

  function markCurrent(id) {
    document.querySelectorAll('#recent-list a').forEach((a) => a.classList.toggle('current', a.dataset.id === String(id)));
  }

  function timeAgo(iso) {
    if (!iso) return '';
    const s = (Date.now() - new Date(iso).getTime()) / 1000;
    if (s < 60) return 'just now';
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
    return new Date(iso).toLocaleDateString();
  }

  async function loadPrediction(id) {
    status(`Loading prediction #${id}…`);
    try {
      const { body } = await getJson(`predictions/${encodeURIComponent(id)}`);
      show(body);
      status('');
    } catch (e) {
      status(e.message, 'error');
    }
  }

  function status(text, kind) {
    const s = $('status');
    s.textContent = text;
    s.className = kind || '';
  }

  async function submit(ev) {
    ev.preventDefault();
    const files = $('image').files;
    const purpose = $('purpose').value.trim();
    if (files.length !== 1 && files.length !== 4) {
      status(`Choose 1 photo, or the 4 views of a panorama (${files.length} chosen).`, 'error');
      return;
    }
    if (!purpose) {
      status('Say why you need this location: the purpose is recorded in the audit log.', 'error');
      $('purpose').focus();
      return;
    }
    const form = new FormData();
    for (const f of files) form.append('image', f, f.name);
    form.append('purpose', purpose);
    form.append('topK', $('topK').value || '5');
    form.append('store', $('store').checked ? 'true' : 'false'); // an unchecked box would send nothing
    $('submit').disabled = true;
    status('Locating…');
    try {
      const r = await fetch(API + 'locate', { method: 'POST', body: form });
      const body = await r.json().catch(() => null);
      if (!r.ok) {
        status(body ? `${body.code}: ${body.message}` : `HTTP ${r.status}`, 'error');
        return;
      }
      show(body);
      const id = body.features[0].properties.prediction_id;
      status(id != null ? `Done: stored as prediction #${id}.` : 'Done (not stored).', 'ok');
      if (id != null) {
        history.pushState(null, '', `?prediction=${id}`);
        loadRecent();
      }
    } catch (e) {
      status('Request failed: ' + e.message, 'error');
    } finally {
      $('submit').disabled = false;
    }
  }

  // ---------------------------------------------------------------- interaction

  function wireMap() {
    let drag = null;
    svg.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY };
      svg.setPointerCapture(e.pointerId);
      svg.classList.add('dragging');
    });
    svg.addEventListener('pointermove', (e) => {
      const r = svg.getBoundingClientRect();
      const [lon, lat] = unproject(e.clientX - r.left, e.clientY - r.top);
      $('coords').textContent = Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? fmtLatLon(lat, lon) : '';
      if (!drag) return;
      view.tx += e.clientX - drag.x;
      view.ty += e.clientY - drag.y;
      drag = { x: e.clientX, y: e.clientY };
      apply();
    });
    const end = () => {
      drag = null;
      svg.classList.remove('dragging');
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
    svg.addEventListener('pointerleave', () => { $('coords').textContent = ''; });
    svg.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = svg.getBoundingClientRect();
      const step = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY;
      zoomAt(e.clientX - r.left, e.clientY - r.top, Math.exp(-step * 0.0015));
    }, { passive: false });
    svg.addEventListener('dblclick', (e) => {
      const r = svg.getBoundingClientRect();
      zoomAt(e.clientX - r.left, e.clientY - r.top, e.shiftKey ? 0.5 : 2);
    });
    const centre = () => { const { w, h } = viewport(); return [w / 2, h / 2]; };
    $('zoom-in').addEventListener('click', () => zoomAt(...centre(), 2));
    $('zoom-out').addEventListener('click', () => zoomAt(...centre(), 0.5));
    $('zoom-fit').addEventListener('click', () => (shown ? show({ features: [shown.estimate, ...shown.cells] }) : fitWorld()));
    let last = viewport();
    window.addEventListener('resize', () => {
      const [lon, lat] = unproject(last.w / 2, last.h / 2);
      last = viewport();
      updateLimits();
      view.tx = last.w / 2 - view.k * lon;
      view.ty = last.h / 2 + view.k * lat;
      apply();
    });
  }

  function predictionFromUrl() {
    const id = new URLSearchParams(location.search).get('prediction');
    return id && /^\d+$/.test(id) ? id : null;
  }

  async function init() {
    $('graticule').setAttribute('d', graticule());
    buildLegend();
    wireMap();
    fitWorld();
    $('locate-form').addEventListener('submit', submit);
    $('refresh').addEventListener('click', loadRecent);
    window.addEventListener('popstate', () => {
      const id = predictionFromUrl();
      if (id) loadPrediction(id);
    });
    const id = predictionFromUrl();
    await Promise.all([loadBoundaries(), loadModel(), id ? loadPrediction(id) : null, loadRecent()]);
  }

  init();
})();
