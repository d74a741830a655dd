/*
 * GeoPigeon viewer: a Leaflet map that uses the service's OGC API like any client.
 * - Colours come from the SLD styles themselves (config.json -> styles), the same classes GeoServer uses.
 * - Geolocation: POST /processes/geolocate/execution with the photo(s) as base64 and "response": "document".
 * - Stored predictions: GET /predictions and /predictions/{id}.
 * - The API token (when the server asks for one) lives in this tab's sessionStorage only.
 */
'use strict';
(function () {
  const TOKEN_KEY = 'geopigeon.token';
  const state = { config: null, token: sessionStorage.getItem(TOKEN_KEY) || '', map: null, result: null, shownId: null };
  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  async function api(path, options) {
    const opts = Object.assign({}, options || {});
    const headers = Object.assign({ Accept: 'application/json, application/geo+json, application/problem+json' },
        opts.headers || {});
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    opts.headers = headers;
    const r = await fetch(path, opts);
    const type = r.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await r.json().catch(() => null) : await r.text();
    if (!r.ok) throw new ApiError(r.status, typeof body === 'object' ? body : null);
    return { body, response: r };
  }

  // ---------------------------------------------------------------- styles from the SLD rules

  function ruleFor(rules, property, value) {
    return rules.find((r) => r.property === property && inRange(r, value));
  }

  function inRange(r, v) {
    return (r.min === undefined || v >= r.min) && (r.max === undefined || v < r.max)
        && (r.equals === undefined || v === r.equals);
  }

  function named(rules, name) {
    return rules.find((r) => r.name === name);
  }

  function cellStyle(feature) {
    const p = feature.properties;
    const r = ruleFor(state.config.styles.cells, 'probability', p.probability);
    return {
      fillColor: r.fill, fillOpacity: r.fillOpacity, color: r.stroke, weight: r.strokeWidth,
      className: `cell rank-${p.rank} class-${r.name}`,
    };
  }

  // ---------------------------------------------------------------- map

  function initMap() {
    const map = L.map('map', { worldCopyJump: true, minZoom: 1, zoomSnap: 0.5 }).setView([20, 0], 2);
    state.map = map;
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    const b = state.config.basemap;
    if (b) {
      L.tileLayer(b.url, { attribution: b.attribution, maxZoom: 19 }).addTo(map);
    }
    map.createPane('outlines').style.zIndex = 350;
    state.result = L.layerGroup().addTo(map);
    buildLegend(map);
    loadBoundaries();
  }

  async function loadBoundaries() {
    try {
      const { body, response } = await api('/boundaries');
      const kind = response.headers.get('X-GeoPigeon-Boundaries');
      const withTiles = !!state.config.basemap;
      L.geoJSON(body, {
        pane: 'outlines', interactive: false,
        style: { color: '#8c8c8c', weight: 0.6, fillColor: '#efece4', fillOpacity: withTiles ? 0 : 1 },
      }).addTo(state.map);
      state.map.attributionControl.addAttribution(kind === 'geocells'
          ? 'Background: model geocells (no country outlines installed)'
          : 'Country outlines: Made with Natural Earth');
    } catch (e) {
      state.map.attributionControl.addAttribution('Background outlines unavailable: ' + e.message);
    }
  }

  function buildLegend(map) {
    const legend = L.control({ position: 'bottomright' });
    legend.onAdd = () => {
      const div = L.DomUtil.create('div', 'legend');
      const title = (t) => { L.DomUtil.create('h4', '', div).textContent = t; };
      const item = (styleKey, text) => {
        const row = L.DomUtil.create('div', '', div);
        const key = L.DomUtil.create('span', 'key', row);
        styleKey(key);
        row.appendChild(document.createTextNode(text));
      };
      title('Cell probability');
      state.config.styles.cells.filter((r) => r.property === 'probability').forEach((r) => item((k) => {
        k.style.background = r.fill;
        k.style.opacity = r.fillOpacity;
        k.style.border = `${r.strokeWidth}px solid ${r.stroke}`;
      }, r.title));
      const top = state.config.styles.cells.find((r) => r.property === 'rank');
      if (top) item((k) => { k.style.border = `2px solid ${top.stroke}`; }, top.title);
      title('Estimate (size = confidence)');
      state.config.styles.points.forEach((r) => item((k) => {
        k.classList.add('dot');
        k.style.background = r.fill;
        k.style.width = k.style.height = `${Math.min(14, r.size)}px`;
      }, r.title));
      const exif = named(state.config.styles.exif, 'exif_gps');
      const line = named(state.config.styles.exif, 'error_line');
      if (exif) item((k) => { k.style.background = exif.fill; k.style.width = k.style.height = '10px'; }, 'EXIF GPS position');
      if (line) item((k) => { k.classList.add('line'); k.style.borderTopColor = line.stroke; }, 'error to EXIF (km)');
      return div;
    };
    legend.addTo(map);
  }

  /** Draws a prediction: the ranked cells, the estimate, the EXIF position and the error line. */
  function show(location, cells) {
    state.result.clearLayers();
    const cellLayer = L.geoJSON(cells, {
      style: cellStyle,
      onEachFeature: (f, layer) => layer.bindTooltip(`#${f.properties.rank} ${f.properties.name}`
          + ` (${f.properties.country}): ${percent(f.properties.probability)}`),
    }).addTo(state.result);
    const topRule = state.config.styles.cells.find((r) => r.property === 'rank');
    const top = cells.features.filter((f) => f.properties.rank === 1);
    if (topRule && top.length) {
      L.geoJSON({ type: 'FeatureCollection', features: top }, {
        style: { fill: false, color: topRule.stroke, weight: topRule.strokeWidth, className: 'top-cell' },
        interactive: false,
      }).addTo(state.result);
    }
    const p = location.properties;
    const here = [location.geometry.coordinates[1], location.geometry.coordinates[0]];
    const pr = ruleFor(state.config.styles.points, 'confidence', p.confidence);
    L.circleMarker(here, {
      radius: pr.size / 2, fillColor: pr.fill, fillOpacity: 1, color: pr.stroke, weight: pr.strokeWidth,
      className: `estimate class-${pr.name}`,
    }).bindTooltip(`estimate ${fmtLatLon(p.lat, p.lon)}, confidence ${p.confidence.toFixed(3)}`).addTo(state.result);
    let bounds = cellLayer.getBounds().extend(here);
    if (p.exif_gps) {
      const exif = [p.exif_gps.lat, p.exif_gps.lon];
      const lr = named(state.config.styles.exif, 'error_line');
      L.polyline([here, exif], {
        color: lr.stroke, weight: lr.strokeWidth, dashArray: lr.dashArray, className: 'error-line',
      }).bindTooltip(`error ${fmtKm(p.exif_distance_km)}`).addTo(state.result);
      const er = named(state.config.styles.exif, 'exif_gps');
      const marker = L.marker(exif, {
        icon: L.divIcon({ className: 'exif-marker', iconSize: [er.size, er.size] }),
        title: `GPS position of the photo (${gpsSource(p)})`,
      }).bindTooltip(`GPS ${fmtLatLon(p.exif_gps.lat, p.exif_gps.lon)} (${gpsSource(p)})`).addTo(state.result);
      const icon = marker.getElement();
      icon.style.background = er.fill;
      icon.style.borderColor = er.stroke;
      icon.style.borderWidth = `${er.strokeWidth}px`;
      bounds = bounds.extend(exif);
    }
    state.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 7 });
    fillResult(location, cells);
  }

  /** Where in the file the photo's own position was read: the EXIF GPS block or the XMP packet. */
  function gpsSource(p) {
    if (p.gps_source === 'xmp') return 'from the XMP packet';
    if (p.gps_source === 'exif') return 'from EXIF';
    return 'source not recorded';
  }

  function fillResult(location, cells) {
    const p = location.properties;
    $('result').hidden = false;
    $('result-id').textContent = p.prediction_id ? `#${p.prediction_id}` : '(not stored)';
    state.shownId = p.prediction_id || null;
    const dl = $('summary');
    dl.replaceChildren();
    const row = (k, v) => {
      L.DomUtil.create('dt', '', dl).textContent = k;
      L.DomUtil.create('dd', '', dl).textContent = v;
    };
    row('Estimate', fmtLatLon(p.lat, p.lon));
    row('Confidence', `${p.confidence.toFixed(3)} (1 - normalised entropy)`);
    if (p.exif_gps) {
      row('Photo GPS', `${fmtLatLon(p.exif_gps.lat, p.exif_gps.lon)} (${gpsSource(p)})`);
      row('Error', fmtKm(p.exif_distance_km));
    } else {
      row('Photo GPS', 'none in the file');
    }
    row('Model', `${p.model}${p.trained ? '' : ' (untrained demo)'}`);
    if (p.precision) row('Precision', p.precision);
    if (p.audit_id) row('Audit row', `#${p.audit_id}`);
    if (p.created) row('Stored', new Date(p.created).toLocaleString());
    const tbody = $('cells').querySelector('tbody');
    tbody.replaceChildren();
    cells.features.forEach((f) => {
      const c = f.properties;
      const tr = L.DomUtil.create('tr', '', tbody);
      L.DomUtil.create('td', '', tr).textContent = c.rank;
      const name = L.DomUtil.create('td', '', tr);
      const sw = L.DomUtil.create('span', 'swatch', name);
      sw.style.background = ruleFor(state.config.styles.cells, 'probability', c.probability).fill;
      name.appendChild(document.createTextNode(c.name));
      if (c.admin1) L.DomUtil.create('div', 'sub', name).textContent = c.admin1;
      L.DomUtil.create('td', '', tr).textContent = c.country;
      const pc = L.DomUtil.create('td', 'num', tr);
      pc.textContent = percent(c.probability);
      tr.addEventListener('click', () => state.map.fitBounds(L.geoJSON(f).getBounds(), { maxZoom: 6 }));
    });
    markCurrent();
  }

  function percent(p) { return `${(p * 100).toFixed(p < 0.1 ? 2 : 1)} %`; }
  function fmtLatLon(lat, lon) {
    return `${Math.abs(lat).toFixed(4)}° ${lat >= 0 ? 'N' : 'S'}, ${Math.abs(lon).toFixed(4)}° ${lon >= 0 ? 'E' : 'W'}`;
  }
  function fmtKm(km) { return km === null || km === undefined ? '?' : `${km.toFixed(km < 10 ? 2 : 0)} km`; }

  // ---------------------------------------------------------------- account

  async function signIn(token) {
    state.token = token;
    try {
      const { body } = await api('/model');
      sessionStorage.setItem(TOKEN_KEY, token);
      $('login').hidden = true;
      $('logout').hidden = state.config.auth !== 'token';
      showModel(body);
      loadRecent();
      return true;
    } catch (e) {
      state.token = '';
      sessionStorage.removeItem(TOKEN_KEY);
      $('login').hidden = state.config.auth !== 'token';
      const s = $('login-status');
      s.textContent = e.status === 401 ? 'Not signed in: ' + e.message : e.message;
      s.className = 'error';
      return false;
    }
  }

  function showModel(m) {
    const info = $('model-info');
    info.replaceChildren(document.createTextNode(`model ${m.name} · ${m.geocells} cells · `));
    const t = L.DomUtil.create('span', m.trained ? '' : 'untrained', info);
    t.textContent = m.trained ? 'trained' : 'untrained demo weights';
    $('banner').hidden = m.trained;
  }

  // ---------------------------------------------------------------- stored predictions

  async function loadRecent() {
    const list = $('recent-list');
    try {
      const { body } = await api('/predictions?limit=15');
      list.replaceChildren();
      if (body.features.length === 0) L.DomUtil.create('li', 'muted', list).textContent = 'none stored yet';
      body.features.forEach((f) => {
        const p = f.properties;
        const li = L.DomUtil.create('li', '', list);
        const a = L.DomUtil.create('a', '', li);
        a.href = `?prediction=${p.prediction_id}`;
        a.dataset.id = p.prediction_id;
        L.DomUtil.create('span', 'when', a).textContent = timeAgo(p.created);
        L.DomUtil.create('strong', '', a).textContent = `#${p.prediction_id} `;
        a.appendChild(document.createTextNode(`${p.top1_cell_name || p.top1_cell_id} (${p.top1_country})`
            + ` · conf. ${p.confidence.toFixed(2)}`));
        a.addEventListener('click', (ev) => {
          ev.preventDefault();
          history.pushState(null, '', a.href);
          loadPrediction(p.prediction_id);
        });
      });
      markCurrent();
    } catch (e) {
      list.replaceChildren();
      L.DomUtil.create('li', 'muted', list).textContent = 'cannot list predictions: ' + e.message;
    }
  }

  function markCurrent() {
    document.querySelectorAll('#recent-list a').forEach((a) => a.classList.toggle('current',
        state.shownId !== null && a.dataset.id === String(state.shownId)));
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
      const { body } = await api(`/predictions/${encodeURIComponent(id)}`);
      show(body.features[0], { type: 'FeatureCollection', features: body.features.slice(1) });
      status('');
    } catch (e) {
      status(e.message, 'error');
    }
  }

  // ---------------------------------------------------------------- locate

  function status(text, kind) {
    const s = $('status');
    s.textContent = text;
    s.className = kind || '';
  }

  function base64(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
      reader.onerror = () => reject(new Error(`${file.name} could not be read`));
      reader.readAsDataURL(file);
    });
  }

  async function submit(ev) {
    ev.preventDefault();
    const files = Array.from($('image').files);
    const purpose = $('purpose').value.trim();
    if (files.length !== 1 && files.length !== 4) {
      status('Choose one photo, or the 4 views of a panorama.', 'error');
      return;
    }
    if (!purpose) {
      status('Say why you need this location: the purpose is recorded in the audit log.', 'error');
      return;
    }
    $('submit').disabled = true;
    status(files.length === 4 ? 'Locating the panorama…' : `Locating ${files[0].name}…`);
    try {
      const images = await Promise.all(files.map(async (f) => ({
        value: await base64(f), mediaType: f.type || 'application/octet-stream',
      })));
      const request = {
        inputs: {
          image: images, purpose, topK: Number($('topK').value), store: $('store').checked,
        },
        response: 'document',
      };
      const { body } = await api('/processes/geolocate/execution', {
        method: 'POST', body: JSON.stringify(request),
        headers: { 'Content-Type': 'application/json', Prefer: 'respond-sync' },
      });
      show(body.location.value, body.cells.value);
      const p = body.location.value.properties;
      status(p.prediction_id ? `Stored as prediction #${p.prediction_id}.` : 'Done (not stored).', 'ok');
      if (p.prediction_id) {
        history.pushState(null, '', `?prediction=${p.prediction_id}`);
        loadRecent();
      }
    } catch (e) {
      const audit = e.problem && e.problem.audit_id ? ` (audit row #${e.problem.audit_id})` : '';
      status(`${e.status ? e.status + ': ' : ''}${e.message}${audit}`, 'error');
    } finally {
      $('submit').disabled = false;
    }
  }

  // ---------------------------------------------------------------- start

  async function init() {
    const { body } = await api('/viewer/config.json');
    state.config = body;
    // The demo-weights warning shows before sign-in too: the configuration is public.
    $('banner').hidden = body.trained !== false;
    initMap();
    $('locate-form').addEventListener('submit', submit);
    $('refresh').addEventListener('click', loadRecent);
    $('login').addEventListener('submit', (ev) => {
      ev.preventDefault();
      $('login-status').textContent = '';
      signIn($('token').value.trim());
    });
    $('logout').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      state.token = '';
      location.reload();
    });
    window.addEventListener('popstate', openFromUrl);
    if (body.auth === 'token' && !state.token) {
      $('login').hidden = false;
    } else if (await signIn(state.token)) {
      openFromUrl();
    }
  }

  function openFromUrl() {
    const id = new URLSearchParams(location.search).get('prediction');
    if (id) loadPrediction(id);
  }

  init().catch((e) => status('The viewer could not start: ' + e.message, 'error'));
})();
