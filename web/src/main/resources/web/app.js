/*
 * Worldmesh browser client (protocol v1, see docs/protocol.md).
 * Plain JavaScript, no build step, no dependencies: works offline.
 *
 * Query parameters:
 *   ?name=alice          player name (default: a random "guest-1234", kept for the tab's session)
 *   ?ws=ws://host:8080/ws WebSocket URL override (default: ws(s)://<this host>/ws)
 *
 * Debugging/tests: window.worldmesh.state is the last snapshot received; .node, .crossNodeHandovers,
 * .assignment, .border and .nodeOfCell(cx, cz) tell which node owns what (see the state section); .status and
 * .reconnects tell how the connection fares (a lost one is retried by itself, see scheduleReconnect).
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- constants

  var PROTOCOL_VERSION = 1;
  var PING_INTERVAL_MS = 1000;
  var LOG_MAX_LINES = 12;
  var SNAPSHOT_BUFFER = 40;
  var MIN_SEND_GAP_MS = 20;        // never two inputs closer than this (server limit: 60/s)
  var STORE_RESUME = 'worldmesh.resume';
  var STORE_SEQ = 'worldmesh.seq';
  var STORE_NAME = 'worldmesh.name';
  var SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  var MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';
  var DEFAULT_COLORS = { player: '#5b8def', orb: '#f5c542' };
  var OWN_COLOR = '#4fd1c5';
  var MAX_CELLS_PER_AXIS = 1024;   // the server's own bound; bad data cannot make the page walk billions of cells
  // one tint per node, in the order the welcome lists them: distinct hues, light enough for the dark floor,
  // none of them the own player's teal or the world edge's orange
  var NODE_PALETTE = ['#6b9bff', '#ff8fab', '#7bd88f', '#b794f4', '#f6e05e', '#ff7b72', '#d6a77a', '#cbd5e0'];
  var BORDER_FIELD = 'border';     // the engine's hud field while the player is held at a node border

  // Reconnecting: exponential backoff with full jitter, so that the clients a crashed gateway dropped all at
  // once do not come back all at once. The n-th retry after a loss waits a random time in
  // [0, min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2^(n-1))], never below RECONNECT_MIN_MS.
  var RECONNECT_BASE_MS = 250;
  var RECONNECT_CAP_MS = 5000;
  var RECONNECT_MIN_MS = 100;
  // A page that has never been welcomed gives up after this many failed connects in a row: a refused Origin (an
  // HTTP 403 before the upgrade) reaches the page as 1006, like a network failure, so only giving up ends it.
  var MAX_ATTEMPTS_NEVER_WELCOMED = 5;
  // Close codes after which connecting again cannot help (docs/protocol.md): the same page would be closed the
  // same way. Every other code is retried: 1006 (abnormal: the gateway crashed, the network broke), 1001 (going
  // away: the gateway stops), 1011 (internal error), 1012 (service restart), 1013 (try again later: no node can
  // take the player yet, or the gateway is full), 1000 and anything unknown.
  var NO_RETRY_CODES = {
    1002: 'protocol error',        // e.g. unsupported_version, or a frame this client should never send
    1007: 'invalid UTF-8',
    1008: 'policy',                // e.g. rate_limited, not reading, too many connections from this address
    1009: 'message too big'
  };

  // ---------------------------------------------------------------- helpers

  function $(id) { return document.getElementById(id); }
  function now() { return performance.now(); }
  function isObj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function hasOwn(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function num(v, dflt) { return (typeof v === 'number' && isFinite(v)) ? v : dflt; }
  function int(v, dflt) { return (typeof v === 'number' && isFinite(v)) ? Math.trunc(v) : dflt; }
  function str(v, dflt) { return typeof v === 'string' ? v : dflt; }
  function clamp(v, lo, hi) { return v < lo ? lo : (v > hi ? hi : v); }
  function lerp(a, b, t) { return a + (b - a) * t; }
  function lerpAngle(a, b, t) {
    var d = b - a;
    while (d > Math.PI) d -= 2 * Math.PI;
    while (d < -Math.PI) d += 2 * Math.PI;
    return a + d * t;
  }
  function round4(v) { return Math.round(v * 10000) / 10000; }
  function hashStr(s) {
    var h = 0;
    for (var i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
    return h;
  }
  function safeColor(c, dflt) {
    if (typeof c !== 'string' || c.length > 64) return dflt;
    if (/^#[0-9a-fA-F]{3,8}$/.test(c) || /^(rgb|rgba|hsl|hsla)\([0-9.,%\s\/-]+\)$/.test(c) || /^[a-zA-Z]{3,24}$/.test(c)) return c;
    return dflt;
  }
  function storageGet(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
  }
  function storageSet(key, value) {
    try {
      if (value === null || value === undefined) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, String(value));
    } catch (e) { /* storage unavailable: resume across reloads just won't work */ }
  }
  function cellText(c) { return c ? c.cx + ',' + c.cz : ''; }
  function parseCell(c) {
    if (!isObj(c)) return null;
    var cx = int(c.cx, null), cz = int(c.cz, null);
    return (cx === null || cz === null) ? null : { cx: cx, cz: cz };
  }

  // ---------------------------------------------------------------- configuration

  var params = new URLSearchParams(window.location.search);

  function sanitizeName(n) {
    if (typeof n !== 'string') return '';
    n = n.replace(/[^\x20-\x7e\u00a0-\uffff]/g, '').trim();
    return Array.from(n).slice(0, 24).join('');
  }

  var playerName = sanitizeName(params.get('name')) || sanitizeName(storageGet(STORE_NAME)) ||
    ('guest-' + String(1000 + Math.floor(Math.random() * 9000)));
  storageSet(STORE_NAME, playerName);

  function wsUrl() {
    var override = params.get('ws');
    var scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    if (override) {
      if (/^wss?:\/\//i.test(override)) return override;
      if (/^https?:\/\//i.test(override)) return override.replace(/^http/i, 'ws');
      try {
        var u = new URL(override, window.location.href);
        u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
        return u.href;
      } catch (e) { /* fall through to the default */ }
    }
    var host = window.location.host || 'localhost:8080';
    return scheme + '//' + host + '/ws';
  }

  // ---------------------------------------------------------------- state

  var api = window.worldmesh = {
    state: null,          // last snapshot, as received
    welcome: null,        // last welcome, as received
    recovered: null,      // last recovered message (the node crashed, the player came back from a checkpoint)
    status: 'connecting', // connecting, connected, reconnecting (a retry is scheduled) or disconnected (gave up)
    playerId: null,
    name: playerName,
    url: wsUrl(),
    rtt: null,
    seq: 0,
    log: [],
    reconnects: 0,        // automatic reconnections that got a welcome
    reconnect: function () { reconnectNow(); },
    actions: [],          // the game's actions from welcome: [{name, fields}]
    node: null,           // the node simulating the player now: the latest snapshot's node, else the welcome's
    crossNodeHandovers: 0,  // cross_node cell changes this page has seen (kept across reconnects)
    assignment: null,     // {nodes, owners}: owners[cz * cells_x + cx] indexes nodes (null: unknown owner)
    border: null,         // why the player is held at a node border (the hud's border), null while not held
    zonesDrawn: 0,        // zones (entities with a radius) drawn in the last frame
    nodeOfCell: function (cx, cz) { return ownerOf(cx, cz); },
    // Sends one of the game's actions (e.g. worldmesh.sendAction('drop')) riding on an input.
    sendAction: function (name, fields) { return sendInput(currentMove(), actionOf(name, fields)); }
  };

  var ws = null;
  var welcomed = false;
  var everWelcomed = false;     // this page has had a player: from then on a lost connection is always retried
  var reconnectTimer = null;    // the one pending automatic connect, if any
  var reconnectAttempt = 0;     // failed connects in a row since the last welcome
  var autoConnecting = false;   // the current socket was opened by the timer, not by the player
  var lostBecause = '';         // the overlay's first words while retrying: what went wrong last
  var world = { cellsX: 8, cellsZ: 8, cellSize: 64, maxSpeed: 8 };
  var tickMs = 50;
  var snaps = [];               // interpolation buffer: {tick, recv, you, ents: Map}
  var clockOffset = null;       // recv time - tick * tickMs, smoothed
  var clockJitter = 0;
  var lastSnapRecv = 0;
  var lastScore = null;

  // nodes
  var nodeNames = [];           // legend order: the assignment's nodes, then any other node seen
  var cellOwners = [];          // node name per cell, index cz * cellsX + cx; null when unknown
  var ownerRuns = [];           // {color, cz, cx0, cx1}: runs of cells of one node along a row, one rect each
  var nodeEdges = [];           // [x0, z0, x1, z1] in cells: borders between cells of different nodes

  // input
  var keys = new Set();
  var seq = 0;
  var lastYaw = null;
  var lastSentMove = { x: 0, z: 0 };
  var lastSendTime = -1e9;
  var inputTimer = null;
  var pingTimer = null;
  var pingId = 0;
  var pings = new Map();

  // view
  var zoom = 1;
  var cam = null;               // {x, z} metres
  var ownView = null;           // {x, z} displayed own position (smoothed)
  var fades = new Map();        // entity id -> first seen time (fade-in)
  var floaters = [];            // {text, x, z, t0}
  var lastFrame = now();

  // ---------------------------------------------------------------- DOM

  var el = {
    map: $('map'),
    minimap: $('minimap'),
    player: $('hud-player'),
    cell: $('hud-cell'),
    node: $('hud-node'),
    tick: $('hud-tick'),
    ping: $('hud-ping'),
    score: $('hud-score'),
    scoreRow: $('hud-score-row'),
    pos: $('hud-pos'),
    status: $('hud-status'),
    game: $('hud-game'),
    extra: $('hud-extra'),
    log: $('log'),
    overlay: $('overlay'),
    overlayTitle: $('overlay-title'),
    overlayDetail: $('overlay-detail'),
    reconnect: $('reconnect'),
    legend: $('legend'),
    handovers: $('hud-handovers'),
    border: $('border-banner'),
    borderText: $('border-text'),
    nodes: $('nodes'),
    nodesList: $('nodes-list')
  };
  var ctx = el.map.getContext('2d');
  var mctx = el.minimap.getContext('2d');
  var extraRows = new Map();    // hud field -> dd element

  function setText(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  function setStatus(s) {
    api.status = s;
    setText(el.status, s);
    document.body.dataset.status = s;
    // the card stays up through a retry's own connecting, so it does not flash on and off between attempts
    var waiting = s === 'disconnected' || s === 'reconnecting';
    el.overlay.hidden = !(waiting || (s === 'connecting' && reconnectAttempt > 0));
    el.overlay.classList.toggle('retrying', s !== 'disconnected');
    setText(el.overlayTitle, s === 'disconnected' ? 'Disconnected' : 'Reconnecting\u2026');
    el.reconnect.hidden = !waiting;                // while connecting, a click could not do anything more
    setText(el.reconnect, s === 'reconnecting' ? 'Reconnect now' : 'Reconnect');
  }

  function addLog(text, cls) {
    var line = document.createElement('div');
    line.className = 'log-line' + (cls ? ' ' + cls : '');
    line.textContent = text;
    el.log.appendChild(line);                      // newest at the bottom
    while (el.log.children.length > LOG_MAX_LINES) el.log.removeChild(el.log.firstChild);
    api.log.push(text);
    if (api.log.length > 100) api.log.splice(0, api.log.length - 100);
  }

  function formatHudValue(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : '';
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    try { return JSON.stringify(v); } catch (e) { return ''; }
  }

  function updateHud(snap) {
    var you = snap.you;
    setText(el.tick, snap.tick === null ? '' : String(snap.tick));
    if (snap.node !== null) setCurrentNode(snap.node);
    if (you) {
      if (you.id) setText(el.player, you.id);
      setText(el.cell, cellText(you.cell));
      setText(el.pos, you.x.toFixed(1) + ', ' + you.z.toFixed(1));
    }
    var hud = snap.hud || {};
    showBorder(hasOwn(hud, BORDER_FIELD) ? hud[BORDER_FIELD] : null);
    if (hasOwn(hud, 'score')) {
      setText(el.score, formatHudValue(hud.score));
      el.scoreRow.hidden = false;
    } else {
      setText(el.score, '');
      el.scoreRow.hidden = true;
    }
    // every other hud field becomes a generic row, so a new game needs no client change
    var seen = new Set();
    Object.keys(hud).forEach(function (k) {
      if (k === 'score' || k === BORDER_FIELD) return;     // both have their own place
      seen.add(k);
      var dd = extraRows.get(k);
      if (!dd) {
        var row = document.createElement('div');
        row.className = 'hud-row hud-extra';
        row.dataset.field = k;
        var dt = document.createElement('dt');
        dt.textContent = k.replace(/_/g, ' ');
        dd = document.createElement('dd');
        dd.dataset.field = k;
        row.appendChild(dt);
        row.appendChild(dd);
        el.extra.appendChild(row);
        extraRows.set(k, dd);
      }
      setText(dd, formatHudValue(hud[k]));
    });
    extraRows.forEach(function (dd, k) {
      if (!seen.has(k)) {
        if (dd.parentNode && dd.parentNode.parentNode) dd.parentNode.parentNode.removeChild(dd.parentNode);
        extraRows.delete(k);
      }
    });
    // "+N" floating over the player when the score goes up
    var score = num(hud.score, null);
    if (score !== null && lastScore !== null && score > lastScore && you) {
      floaters.push({ text: '+' + formatHudValue(score - lastScore), x: you.x, z: you.z, t0: now() });
      if (floaters.length > 20) floaters.shift();
    }
    lastScore = score;
  }

  // The engine's hud.border says why the player is held at a node border: a banner while present.
  function showBorder(value) {
    var text = formatHudValue(value).trim();
    api.border = text ? text : null;
    setText(el.borderText, text);
    el.border.hidden = !text;
  }

  // ---------------------------------------------------------------- nodes

  function nodeName(v) { return typeof v === 'string' && v.length > 0 ? v : null; }

  // welcome.assignment, checked. Without a usable one (an older server, or one node owning everything) every
  // cell is the welcome's node; an owner entry that is not an index into nodes leaves that cell unknown.
  function parseAssignment(raw, welcomeNode, cellCount) {
    var nodes = isObj(raw) && Array.isArray(raw.nodes) && raw.nodes.length > 0 &&
      raw.nodes.every(function (n) { return nodeName(n) !== null; }) ? raw.nodes.slice() : null;
    var owners = [];
    var i;
    if (!nodes || !Array.isArray(raw.owners)) {
      for (i = 0; i < cellCount; i++) owners.push(welcomeNode === null ? null : 0);
      return { nodes: welcomeNode === null ? [] : [welcomeNode], owners: owners };
    }
    for (i = 0; i < cellCount; i++) {
      var o = raw.owners[i];
      owners.push(Number.isInteger(o) && o >= 0 && o < nodes.length ? o : null);
    }
    return { nodes: nodes, owners: owners };
  }

  function setAssignment(a) {
    api.assignment = a;
    cellOwners = a.owners.map(function (i) { return i === null ? null : a.nodes[i]; });
    nodeNames = [];
    a.nodes.forEach(function (n) { if (nodeNames.indexOf(n) < 0) nodeNames.push(n); });
    ownerRuns = ownerRowRuns();
    nodeEdges = nodeBorders();
    renderNodeLegend();
  }

  function ownerOf(cx, cz) {
    if (!Number.isInteger(cx) || !Number.isInteger(cz) || cx < 0 || cz < 0 || cx >= world.cellsX || cz >= world.cellsZ) return null;
    var o = cellOwners[cz * world.cellsX + cx];
    return o === undefined ? null : o;
  }

  // colours follow the legend's order; past the palette, golden-angle hues stay apart from each other
  function nodeColor(name) {
    var i = nodeNames.indexOf(name);
    if (i < 0) return null;
    return i < NODE_PALETTE.length ? NODE_PALETTE[i] : 'hsl(' + Math.round((i * 137.508) % 360) + ', 70%, 72%)';
  }

  // a node the assignment did not name (a snapshot's or a handover's) still gets a colour and a legend row
  function noteNode(name) {
    if (name === null || nodeNames.indexOf(name) >= 0) return;
    nodeNames.push(name);
    renderNodeLegend();
  }

  function setCurrentNode(name) {
    if (name === api.node) return;
    api.node = name;
    setText(el.node, name === null ? '' : name);
    noteNode(name);
    markCurrentNode();
  }

  // Computed once per welcome, so a frame draws a few rects and lines rather than some per cell.
  function ownerRowRuns() {
    var runs = [];
    for (var cz = 0; cz < world.cellsZ; cz++) {
      var start = 0;
      for (var cx = 1; cx <= world.cellsX; cx++) {
        var owner = ownerOf(start, cz);
        if (cx < world.cellsX && ownerOf(cx, cz) === owner) continue;
        if (owner !== null) runs.push({ color: nodeColor(owner), cz: cz, cx0: start, cx1: cx });
        start = cx;
      }
    }
    return runs;
  }

  function differentNodes(a, b) { return a !== null && b !== null && a !== b; }

  // calls emit(from, to) for every longest run of i in [0, n) where test(i) holds
  function eachRun(n, test, emit) {
    var start = -1;
    for (var i = 0; i <= n; i++) {
      var on = i < n && test(i);
      if (on && start < 0) start = i;
      else if (!on && start >= 0) { emit(start, i); start = -1; }
    }
  }

  function nodeBorders() {
    var edges = [];
    var cx, cz;
    function westDiffers(z) { return differentNodes(ownerOf(cx - 1, z), ownerOf(cx, z)); }
    function northDiffers(x) { return differentNodes(ownerOf(x, cz - 1), ownerOf(x, cz)); }
    for (cx = 1; cx < world.cellsX; cx++) eachRun(world.cellsZ, westDiffers, function (z0, z1) { edges.push([cx, z0, cx, z1]); });
    for (cz = 1; cz < world.cellsZ; cz++) eachRun(world.cellsX, northDiffers, function (x0, x1) { edges.push([x0, cz, x1, cz]); });
    return edges;
  }

  function renderNodeLegend() {
    el.nodesList.textContent = '';
    nodeNames.forEach(function (name) {
      var row = document.createElement('li');
      row.className = 'node-row';
      row.dataset.node = name;
      var swatch = document.createElement('span');
      swatch.className = 'node-swatch';
      swatch.style.background = nodeColor(name);
      var label = document.createElement('span');
      label.className = 'node-name';
      label.textContent = name;
      row.appendChild(swatch);
      row.appendChild(label);
      el.nodesList.appendChild(row);
    });
    el.nodes.hidden = nodeNames.length === 0;
    markCurrentNode();
  }

  function markCurrentNode() {
    Array.prototype.forEach.call(el.nodesList.children, function (row) {
      var current = row.dataset.node === api.node;
      row.classList.toggle('current', current);
      if (current) row.setAttribute('aria-current', 'true'); else row.removeAttribute('aria-current');
    });
    el.node.style.setProperty('--node-color', nodeColor(api.node) || 'transparent');
  }

  // ---------------------------------------------------------------- connection

  function send(obj) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    try { ws.send(JSON.stringify(obj)); return true; } catch (e) { return false; }
  }

  function stopTimers() {
    if (inputTimer !== null) { clearInterval(inputTimer); inputTimer = null; }
    if (pingTimer !== null) { clearInterval(pingTimer); pingTimer = null; }
    pings.clear();
  }

  function connect(auto) {
    if (ws && (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN)) return;
    cancelReconnect();                                   // whoever called, this is the one connect now
    autoConnecting = auto === true;
    stopTimers();
    welcomed = false;
    setStatus('connecting');
    if (reconnectAttempt > 0) {
      setText(el.overlayDetail, lostBecause + '; reconnecting now (attempt ' + reconnectAttempt + ')');
    }
    api.url = wsUrl();
    var sock;
    try {
      sock = new WebSocket(api.url);
    } catch (e) {
      // a malformed URL stays malformed: no point in trying it again
      addLog('cannot connect to ' + api.url + ': ' + (e && e.message ? e.message : e), 'error');
      giveUp('Invalid server address ' + api.url);
      return;
    }
    ws = sock;
    sock.onopen = function () {
      if (sock !== ws) return;
      var hello = { type: 'hello', v: PROTOCOL_VERSION, name: playerName };
      var token = storageGet(STORE_RESUME);
      if (token) hello.resume = token;
      send(hello);
    };
    sock.onmessage = function (ev) {
      if (sock !== ws) return;
      if (typeof ev.data !== 'string') return;          // the protocol is text frames only
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (!isObj(msg) || typeof msg.type !== 'string') return;
      try {
        handle(msg);
      } catch (e) {
        // a malformed message must never break the client
      }
    };
    sock.onerror = function () { /* a close event follows */ };
    sock.onclose = function (ev) {
      if (sock !== ws) return;
      stopTimers();
      showBorder(null);                                  // whatever held the player, this page no longer knows
      var wasUp = welcomed;
      welcomed = false;
      var code = int(ev.code, 1006);
      var reason = 'code ' + code + (ev.reason ? ', ' + ev.reason : '');
      if (hasOwn(NO_RETRY_CODES, code)) {
        addLog('disconnected (' + reason + '): ' + NO_RETRY_CODES[code] + ', not reconnecting', 'info');
        giveUp((wasUp ? 'Connection closed' : 'Could not reach ' + api.url) + ' (' + reason + ')');
        return;
      }
      if (!everWelcomed && reconnectAttempt + 1 >= MAX_ATTEMPTS_NEVER_WELCOMED) {
        addLog('disconnected (' + reason + '), gave up after ' + (reconnectAttempt + 1) + ' attempts', 'info');
        giveUp('Could not reach ' + api.url + ' (' + reason + ')');
        return;
      }
      // Keys stay held: the welcome of the reconnect sends them at once, so a player who kept a key down moves on.
      lostBecause = (everWelcomed ? 'Connection lost' : 'No connection to ' + api.url) + ' (' + reason + ')';
      if (wasUp) addLog('connection lost (' + reason + '), reconnecting', 'info');
      scheduleReconnect();
    };
  }

  // One timer at a time: a new schedule replaces the pending one, and connect() cancels it.
  function scheduleReconnect() {
    cancelReconnect();
    var ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * Math.pow(2, Math.min(reconnectAttempt, 30)));
    var delay = Math.max(RECONNECT_MIN_MS, Math.random() * ceiling);   // full jitter
    reconnectAttempt += 1;
    reconnectTimer = setTimeout(function () {
      reconnectTimer = null;
      connect(true);
    }, delay);
    setStatus('reconnecting');
    setText(el.overlayDetail, lostBecause + '; reconnecting in ' + (delay / 1000).toFixed(1) + ' s (attempt ' +
      reconnectAttempt + ')');
  }

  function cancelReconnect() {
    if (reconnectTimer !== null) { clearTimeout(reconnectTimer); reconnectTimer = null; }
  }

  // No automatic retry from here: the player decides (the button, R or Enter).
  function giveUp(detail) {
    cancelReconnect();
    keys.clear();                                        // a key let go while the card was up would stay held
    setStatus('disconnected');
    setText(el.overlayDetail, detail);
  }

  // The button, R/Enter and worldmesh.reconnect(): at once, whatever timer was pending. After giving up, the
  // backoff starts over, so a refused page gets its few attempts again.
  function reconnectNow() {
    if (api.status === 'disconnected') reconnectAttempt = 0;
    connect(false);
  }

  function handle(msg) {
    switch (msg.type) {
      case 'welcome': onWelcome(msg); break;
      case 'snapshot': onSnapshot(msg); break;
      case 'cell_change': onCellChange(msg); break;
      case 'recovered': onRecovered(msg); break;
      case 'pong': onPong(msg); break;
      case 'error': onError(msg); break;
      case 'game_event': onGameEvent(msg); break;
      default: break;                                    // unknown types are ignored
    }
  }

  function onWelcome(msg) {
    var id = str(msg.player_id, null);
    if (id === null) return;
    var w = isObj(msg.world) ? msg.world : {};
    world = {
      cellsX: clamp(int(w.cells_x, world.cellsX), 1, MAX_CELLS_PER_AXIS),
      cellsZ: clamp(int(w.cells_z, world.cellsZ), 1, MAX_CELLS_PER_AXIS),
      cellSize: Math.max(0.001, num(w.cell_size, world.cellSize)),
      maxSpeed: Math.max(0, num(w.max_speed, world.maxSpeed))
    };
    var rate = num(msg.tick_rate, 20);
    tickMs = 1000 / clamp(rate > 0 ? rate : 20, 1, 240);

    stopTimers();
    var token = str(msg.resume_token, null);
    if (token) storageSet(STORE_RESUME, token);
    if (msg.resumed === true) {
      // keep seq strictly increasing: past what this tab sent and past what the server applied
      seq = Math.max(seq, int(Number(storageGet(STORE_SEQ)), 0));
      raiseSeq(int(msg.last_applied_seq, null));
    } else {
      seq = 0;
      lastYaw = null;
      lastScore = null;
    }
    storageSet(STORE_SEQ, seq);
    api.seq = seq;
    lastSentMove = { x: 0, z: 0 };

    api.welcome = msg;
    api.playerId = id;
    document.body.dataset.playerId = id;
    setText(el.player, id);
    var welcomeNode = nodeName(msg.node);
    setAssignment(parseAssignment(msg.assignment, welcomeNode, world.cellsX * world.cellsZ));
    setCurrentNode(welcomeNode);
    showBorder(null);
    setText(el.game, str(msg.game, ''));
    showActions(msg.actions);
    resetSnapshots();
    resizeMinimap();
    welcomed = true;
    if (everWelcomed) {
      addLog('reconnected: ' + (msg.resumed === true ? 'player ' + id + ' resumed' : 'new player ' + id), 'info');
    }
    if (autoConnecting) api.reconnects += 1;
    everWelcomed = true;
    autoConnecting = false;
    reconnectAttempt = 0;                                // the next loss starts the backoff over
    setStatus('connected');

    inputTimer = setInterval(inputTick, tickMs);
    pingTimer = setInterval(sendPing, PING_INTERVAL_MS);
    sendPing();
    // keys held across a reconnect move the player at once
    if (currentMove().active) inputTick();
  }

  function parseEntity(e) {
    if (!isObj(e)) return null;
    var x = num(e.x, null), z = num(e.z, null);
    if (x === null || z === null) return null;
    var kind = str(e.kind, 'unknown');
    return {
      id: e.id === undefined || e.id === null ? '' : String(e.id),
      kind: kind,
      x: x,
      z: z,
      yaw: num(e.yaw, null),
      label: str(e.label, ''),
      color: safeColor(e.color, DEFAULT_COLORS[kind] || '#c792ea'),
      r: Math.min(Math.max(num(e.r, 0), 0), 1000)   // metres; above 0 a zone, drawn as a disc
    };
  }

  function resetSnapshots() {
    snaps = [];
    clockOffset = null;
    clockJitter = 0;
  }

  function onSnapshot(msg) {
    if (!welcomed) return;
    var tick = int(msg.tick, null);
    var youRaw = isObj(msg.you) ? msg.you : null;
    var you = null;
    if (youRaw) {
      var x = num(youRaw.x, null), z = num(youRaw.z, null);
      if (x !== null && z !== null) {
        var cell = parseCell(youRaw.cell) || {
          cx: clamp(Math.floor(x / world.cellSize), 0, world.cellsX - 1),
          cz: clamp(Math.floor(z / world.cellSize), 0, world.cellsZ - 1)
        };
        you = {
          id: youRaw.id === undefined || youRaw.id === null ? api.playerId : String(youRaw.id),
          x: x, z: z,
          vx: num(youRaw.vx, null), vz: num(youRaw.vz, null),
          yaw: num(youRaw.yaw, null),
          cell: cell
        };
      }
    }
    if (!you) return;                                      // malformed: nothing to show
    var ents = new Map();
    if (Array.isArray(msg.entities)) {
      for (var i = 0; i < msg.entities.length; i++) {
        var e = parseEntity(msg.entities[i]);
        if (e && e.id !== api.playerId) ents.set(e.id || ('#' + i), e);
      }
    }
    var parsed = {
      tick: tick,
      node: typeof msg.node === 'string' ? msg.node : null,
      hud: isObj(msg.hud) ? msg.hud : {},
      you: you,
      ents: ents,
      recv: now()
    };

    api.state = msg;
    raiseSeq(int(msg.last_applied_seq, null));
    if (lastYaw === null && you && you.yaw !== null) lastYaw = you.yaw;

    updateHud(parsed);
    if (tick !== null) pushSnapshot(parsed);
  }

  function pushSnapshot(s) {
    var newest = snaps.length ? snaps[snaps.length - 1] : null;
    if (newest && (s.tick <= newest.tick || s.tick - newest.tick > 200)) resetSnapshots();
    var est = s.recv - s.tick * tickMs;
    if (clockOffset === null || Math.abs(est - clockOffset) > 1000) {
      clockOffset = est;
      clockJitter = tickMs * 0.25;
    } else {
      var d = est - clockOffset;
      clockOffset += d * 0.06;
      clockJitter += (Math.abs(d) - clockJitter) * 0.06;
    }
    snaps.push(s);
    if (snaps.length > SNAPSHOT_BUFFER) snaps.splice(0, snaps.length - SNAPSHOT_BUFFER);
    lastSnapRecv = s.recv;
    s.ents.forEach(function (e, id) { if (!fades.has(id)) fades.set(id, s.recv); });
    if (fades.size > 4 * (s.ents.size + 50)) {
      fades.forEach(function (_, id) { if (!s.ents.has(id)) fades.delete(id); });
    }
  }

  function onCellChange(msg) {
    var from = parseCell(msg.from), to = parseCell(msg.to);
    if (!from || !to) return;                              // malformed: ignore
    var tick = int(msg.tick, api.state ? int(api.state.tick, null) : null);
    var prefix = 'tick ' + (tick === null ? '?' : tick) + ': ';
    if (msg.handover === 'resync') {
      // the node's link to the gateway came back: this is where the player is; no border was crossed
    } else if (msg.handover === 'cross_node') {
      var node = nodeName(msg.node);
      api.crossNodeHandovers += 1;
      setText(el.handovers, String(api.crossNodeHandovers));
      noteNode(node);
      addLog(prefix + 'cross-node handover to ' + (node || '?') + ' (cell ' + cellText(to) + ')', 'cross');
    } else {
      var extra = [str(msg.handover, ''), str(msg.node, '')].filter(Boolean).join(', ');
      addLog(prefix + 'cell ' + cellText(from) + ' \u2192 ' + cellText(to) + (extra ? ' (' + extra + ')' : ''), '');
    }
    setText(el.cell, cellText(to));
  }

  // The player's node crashed and it was put back from a checkpoint: what it did since is gone, and the inputs
  // after last_applied_seq were rolled back. The client just numbers on: seq stays above what the server applied.
  function onRecovered(msg) {
    api.recovered = msg;
    raiseSeq(int(msg.last_applied_seq, null));
    var node = nodeName(msg.node);
    if (node !== null) setCurrentNode(node);           // the node that serves the player from now on
    var tick = int(msg.tick, null), from = int(msg.from_tick, null);
    var lost = int(msg.ticks_lost, tick !== null && from !== null ? tick - from : null);
    addLog((tick === null ? '' : 'tick ' + tick + ': ') + 'recovered on ' + (node || '?') + ': ' +
      (lost === null || lost < 0 ? '?' : lost) + ' ticks lost', 'warn');
  }

  function onPong(msg) {
    var id = int(msg.id, null);
    if (id === null || !pings.has(id)) return;
    var rtt = now() - pings.get(id);
    pings.delete(id);
    api.rtt = rtt;
    setText(el.ping, Math.round(rtt) + ' ms');
  }

  // Any game's events, shown generically: "tick 1240: tagged it=p7 by=p3".
  function onGameEvent(msg) {
    var name = str(msg.name, 'event');
    var parts = [];
    if (isObj(msg.data)) {
      Object.keys(msg.data).slice(0, 8).forEach(function (k) {
        var v = msg.data[k];
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') parts.push(k + '=' + v);
      });
    }
    var tick = int(msg.tick, null);
    addLog((tick === null ? '' : 'tick ' + tick + ': ') + name + (parts.length ? ' ' + parts.join(' ') : ''), 'game');
  }

  function onError(msg) {
    var code = str(msg.code, 'error');
    var text = str(msg.message, '');
    var tick = api.state ? int(api.state.tick, null) : null;
    addLog((tick === null ? '' : 'tick ' + tick + ': ') + 'error ' + code + (text ? ': ' + text : ''), 'error');
    if (code === 'bad_resume') storageSet(STORE_RESUME, null);
  }

  function sendPing() {
    if (!welcomed) return;
    pingId += 1;
    var t = now();
    pings.set(pingId, t);
    pings.forEach(function (sent, id) { if (t - sent > 30000) pings.delete(id); });
    send({ type: 'ping', id: pingId });
  }

  // ---------------------------------------------------------------- input

  var KEYMAP = {
    KeyW: 'up', ArrowUp: 'up',
    KeyS: 'down', ArrowDown: 'down',
    KeyA: 'left', ArrowLeft: 'left',
    KeyD: 'right', ArrowRight: 'right'
  };
  var KEYMAP_BY_KEY = {
    w: 'up', W: 'up', ArrowUp: 'up', Up: 'up',
    s: 'down', S: 'down', ArrowDown: 'down', Down: 'down',
    a: 'left', A: 'left', ArrowLeft: 'left', Left: 'left',
    d: 'right', D: 'right', ArrowRight: 'right', Right: 'right'
  };

  function directionOf(e) {
    return KEYMAP[e.code] || KEYMAP_BY_KEY[e.key] || null;
  }

  function currentMove() {
    var x = 0, z = 0;
    if (keys.has('left')) x -= 1;
    if (keys.has('right')) x += 1;
    if (keys.has('up')) z -= 1;                           // north is -z (screen up)
    if (keys.has('down')) z += 1;
    var len = Math.sqrt(x * x + z * z);
    if (len > 0) { x /= len; z /= len; }
    return { x: round4(x), z: round4(z), active: len > 0 };
  }

  function actionOf(name, fields) {
    var action = { name: String(name) };
    if (isObj(fields)) Object.keys(fields).forEach(function (k) { if (k !== 'name') action[k] = fields[k]; });
    return action;
  }

  // seq only goes up: a bad or absurd value from the server (not a safe integer) changes nothing
  function raiseSeq(v) {
    if (!Number.isSafeInteger(v) || v <= seq) return;
    seq = v;
    api.seq = seq;
    storageSet(STORE_SEQ, seq);
  }

  function sendInput(move, action) {
    if (!welcomed) return false;
    if (move.active) lastYaw = round4(Math.atan2(move.z, move.x));
    seq += 1;
    var msg = { type: 'input', seq: seq, move: { x: move.x, z: move.z }, yaw: lastYaw === null ? 0 : lastYaw };
    if (action) msg.action = action;
    if (send(msg)) {
      api.seq = seq;
      storageSet(STORE_SEQ, seq);
      lastSentMove = { x: move.x, z: move.z };
      lastSendTime = now();
      return true;
    }
    seq -= 1;
    return false;
  }

  // The game's actions without fields get the keys 1..9, listed in the legend; a new game needs no client change.
  function showActions(list) {
    api.actions = Array.isArray(list) ? list.filter(function (a) { return isObj(a) && typeof a.name === 'string'; }) : [];
    Array.prototype.slice.call(el.legend.querySelectorAll('.legend-action')).forEach(function (n) { n.remove(); });
    api.actions.filter(function (a) { return !isObj(a.fields) || Object.keys(a.fields).length === 0; })
      .slice(0, 9).forEach(function (a, i) {
        var row = document.createElement('div');
        row.className = 'legend-row legend-action';
        var key = document.createElement('kbd');
        key.textContent = String(i + 1);
        row.appendChild(key);
        row.appendChild(document.createTextNode(' ' + a.name.replace(/_/g, ' ')));
        row.dataset.action = a.name;
        el.legend.appendChild(row);
      });
  }

  function keyedAction(e) {
    if (!/^[1-9]$/.test(e.key)) return null;
    var rows = el.legend.querySelectorAll('.legend-action');
    var row = rows[Number(e.key) - 1];
    return row ? row.dataset.action : null;
  }

  // every tick: send while moving, plus one final {0,0} on the transition to idle
  function inputTick() {
    var m = currentMove();
    var wasMoving = lastSentMove.x !== 0 || lastSentMove.z !== 0;
    if (m.active || wasMoving) {
      if (now() - lastSendTime >= MIN_SEND_GAP_MS) sendInput(m);
    }
  }

  // on a key transition, send the new direction at once (unless we just sent)
  function onKeysChanged() {
    var m = currentMove();
    if (m.x === lastSentMove.x && m.z === lastSentMove.z) return;
    if (now() - lastSendTime >= MIN_SEND_GAP_MS) sendInput(m);
  }

  function zoomBy(f) { zoom = clamp(zoom * f, 0.3, 5); }

  window.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var dir = directionOf(e);
    if (dir) {
      e.preventDefault();
      if (!keys.has(dir)) { keys.add(dir); onKeysChanged(); }
      return;
    }
    if (e.target && e.target.tagName === 'BUTTON' && (e.key === 'Enter' || e.key === ' ')) return;
    var action = keyedAction(e);
    if (action) { e.preventDefault(); api.sendAction(action); return; }
    if (e.key === '+' || e.key === '=' || e.code === 'NumpadAdd') { zoomBy(1.2); e.preventDefault(); }
    else if (e.key === '-' || e.key === '_' || e.code === 'NumpadSubtract') { zoomBy(1 / 1.2); e.preventDefault(); }
    else if (e.key === '0' || e.code === 'Numpad0') { zoom = 1; }
    else if ((e.key === 'r' || e.key === 'R' || e.key === 'Enter') &&
      (api.status === 'disconnected' || api.status === 'reconnecting')) { reconnectNow(); }
  });

  window.addEventListener('keyup', function (e) {
    var dir = directionOf(e);
    if (dir) {
      e.preventDefault();
      if (keys.has(dir)) { keys.delete(dir); onKeysChanged(); }
    }
  });

  function releaseAll() {
    if (keys.size) { keys.clear(); onKeysChanged(); }
  }
  window.addEventListener('blur', releaseAll);
  document.addEventListener('visibilitychange', function () { if (document.hidden) releaseAll(); });

  el.map.addEventListener('wheel', function (e) {
    e.preventDefault();
    zoomBy(Math.exp(-clamp(e.deltaY, -300, 300) * 0.0015));
  }, { passive: false });

  el.reconnect.addEventListener('click', function () { reconnectNow(); });

  // ---------------------------------------------------------------- canvas sizing

  var view = { w: 0, h: 0, dpr: 1 };

  function resize() {
    var dpr = Math.max(1, Math.min(4, window.devicePixelRatio || 1));
    var w = Math.max(1, window.innerWidth), h = Math.max(1, window.innerHeight);
    view.w = w; view.h = h; view.dpr = dpr;
    var bw = Math.round(w * dpr), bh = Math.round(h * dpr);
    if (el.map.width !== bw || el.map.height !== bh) { el.map.width = bw; el.map.height = bh; }
    resizeMinimap();
  }

  var mini = { w: 168, h: 168 };
  function resizeMinimap() {
    var maxSide = window.innerWidth <= 640 ? 120 : 168;
    var aspect = world.cellsX / world.cellsZ;
    mini.w = Math.round(aspect >= 1 ? maxSide : maxSide * aspect);
    mini.h = Math.round(aspect >= 1 ? maxSide / aspect : maxSide);
    el.minimap.style.width = mini.w + 'px';
    el.minimap.style.height = mini.h + 'px';
    el.nodes.style.bottom = (12 + mini.h + 8) + 'px';     // just above the minimap
    var bw = Math.round(mini.w * view.dpr), bh = Math.round(mini.h * view.dpr);
    if (el.minimap.width !== bw || el.minimap.height !== bh) { el.minimap.width = bw; el.minimap.height = bh; }
  }

  window.addEventListener('resize', resize);
  resize();

  // ---------------------------------------------------------------- interpolation

  // the render time, in ticks: a little behind the newest snapshot so there are two to interpolate between
  function renderTick(t) {
    if (clockOffset === null) return null;
    var delay = 1 + clamp((clockJitter * 2) / tickMs, 0.5, 3);
    return (t - clockOffset) / tickMs - delay;
  }

  function sampleEntities(rt) {
    var out = [];
    if (!snaps.length) return out;
    var newest = snaps[snaps.length - 1];
    var a = null, b = null;
    if (rt === null || rt >= newest.tick) {
      a = snaps.length > 1 ? snaps[snaps.length - 2] : null;
      b = newest;
    } else {
      for (var i = snaps.length - 1; i >= 0; i--) {
        if (snaps[i].tick <= rt) { a = snaps[i]; b = snaps[i + 1] || snaps[i]; break; }
      }
      if (!a) { a = null; b = snaps[0]; }
    }
    var t = 1;
    if (a && b !== a && rt !== null) t = clamp((rt - a.tick) / (b.tick - a.tick), 0, 2);
    var extrapolating = t > 1;
    if (extrapolating) t = 1 + Math.min(t - 1, 1);       // at most one tick past the newest
    b.ents.forEach(function (eb, id) {
      var ea = a ? a.ents.get(id) : null;
      var x = eb.x, z = eb.z, yaw = eb.yaw;
      if (ea) {
        var dx = eb.x - ea.x, dz = eb.z - ea.z;
        if (dx * dx + dz * dz < (world.cellSize * world.cellSize) / 4) {   // no tweening across teleports
          x = lerp(ea.x, eb.x, t);
          z = lerp(ea.z, eb.z, t);
          if (ea.yaw !== null && eb.yaw !== null) yaw = lerpAngle(ea.yaw, eb.yaw, Math.min(t, 1));
        }
      }
      out.push({ id: id, kind: eb.kind, x: x, z: z, yaw: yaw, label: eb.label, color: eb.color, r: eb.r });
    });
    return out;
  }

  // own player: dead reckoning from the newest snapshot (lowest latency), corrections smoothed out
  function ownTarget(t) {
    if (!snaps.length) return null;
    var s = snaps[snaps.length - 1];
    var you = s.you;
    var vx = you.vx, vz = you.vz;
    if ((vx === null || vz === null) && snaps.length > 1) {
      var p = snaps[snaps.length - 2];
      var dt = (s.tick - p.tick) * tickMs / 1000;
      vx = dt > 0 ? (you.x - p.you.x) / dt : 0;
      vz = dt > 0 ? (you.z - p.you.z) / dt : 0;
    }
    // time since this tick on the smoothed server clock (not its arrival), so arrival jitter doesn't show
    var since = clockOffset === null ? t - s.recv : t - (clockOffset + s.tick * tickMs);
    var ahead = clamp(since, -tickMs, 2 * tickMs) / 1000;
    var W = world.cellsX * world.cellSize, H = world.cellsZ * world.cellSize;
    return {
      x: clamp(you.x + (vx || 0) * ahead, 0, W),
      z: clamp(you.z + (vz || 0) * ahead, 0, H),
      yaw: you.yaw,
      cell: you.cell,
      id: you.id
    };
  }

  // ---------------------------------------------------------------- drawing

  function crisp(v, lw) {
    // snap a CSS-pixel coordinate so a line of width lw (CSS px) lands on whole device pixels
    var d = view.dpr, dev = Math.round(lw * d);
    var p = Math.round(v * d);
    return (dev % 2 === 1 ? p + 0.5 : p) / d;
  }

  function frame(ts) {
    var t = typeof ts === 'number' && isFinite(ts) ? ts : now();
    var dt = Math.min(0.1, (t - lastFrame) / 1000);
    lastFrame = t;
    try {
      draw(t, dt);
    } catch (e) {
      // keep the loop alive whatever the data looked like
    }
    requestAnimationFrame(frame);
  }

  function draw(t, dt) {
    var w = view.w, h = view.h, d = view.dpr;
    ctx.setTransform(d, 0, 0, d, 0, 0);
    ctx.fillStyle = '#070a10';
    ctx.fillRect(0, 0, w, h);

    var target = ownTarget(t);
    if (!target) {
      drawWaiting(w, h);
      drawMinimap(null, null);
      return;
    }

    // own displayed position: chase the dead-reckoned target, snap on big jumps
    if (!ownView || Math.hypot(target.x - ownView.x, target.z - ownView.z) > world.cellSize / 2) {
      ownView = { x: target.x, z: target.z };
    } else {
      var k = 1 - Math.exp(-dt * 30);
      ownView.x += (target.x - ownView.x) * k;
      ownView.z += (target.z - ownView.z) * k;
    }
    // camera: follows the player smoothly
    if (!cam || Math.hypot(ownView.x - cam.x, ownView.z - cam.z) > world.cellSize * 1.5) {
      cam = { x: ownView.x, z: ownView.z };
    } else {
      var kc = 1 - Math.exp(-dt * 8);
      cam.x += (ownView.x - cam.x) * kc;
      cam.z += (ownView.z - cam.z) * kc;
    }

    api.view = { cam: { x: cam.x, z: cam.z }, own: { x: ownView.x, z: ownView.z }, zoom: zoom };

    var scale = zoom * Math.min(w, h) / (world.cellSize * 3);     // px per metre: about 3 cells (the area of interest) fit
    var ox = w / 2 - cam.x * scale, oz = h / 2 - cam.z * scale;
    function sx(x) { return ox + x * scale; }
    function sz(z) { return oz + z * scale; }

    var W = world.cellsX * world.cellSize, H = world.cellsZ * world.cellSize;
    var cs = world.cellSize;

    // world floor
    ctx.fillStyle = '#0d121b';
    ctx.fillRect(sx(0), sz(0), W * scale, H * scale);
    fillNodeTints(ctx, ox, oz, cs * scale, 0.12);

    // visible cell range
    var cx0 = clamp(Math.floor((0 - ox) / scale / cs), 0, world.cellsX - 1);
    var cx1 = clamp(Math.floor((w - ox) / scale / cs), 0, world.cellsX - 1);
    var cz0 = clamp(Math.floor((0 - oz) / scale / cs), 0, world.cellsZ - 1);
    var cz1 = clamp(Math.floor((h - oz) / scale / cs), 0, world.cellsZ - 1);

    // area of interest: own cell and its 8 neighbours
    var mine = target.cell;
    for (var acz = mine.cz - 1; acz <= mine.cz + 1; acz++) {
      for (var acx = mine.cx - 1; acx <= mine.cx + 1; acx++) {
        if (acx < 0 || acz < 0 || acx >= world.cellsX || acz >= world.cellsZ) continue;
        var own = acx === mine.cx && acz === mine.cz;
        ctx.fillStyle = own ? 'rgba(79, 209, 197, 0.11)' : 'rgba(79, 209, 197, 0.055)';
        ctx.fillRect(sx(acx * cs), sz(acz * cs), cs * scale, cs * scale);
      }
    }

    // fine sub-grid (gives a sense of motion inside a cell)
    var step = niceStep(cs, scale);
    if (step * scale >= 14) {
      ctx.beginPath();
      var xs = Math.max(0, Math.floor((0 - ox) / scale / step) * step);
      var xe = Math.min(W, (w - ox) / scale);
      for (var gx = xs; gx <= xe; gx += step) {
        if (Math.abs(gx / cs - Math.round(gx / cs)) < 1e-6) continue;
        var px = crisp(sx(gx), 1);
        ctx.moveTo(px, Math.max(0, sz(0))); ctx.lineTo(px, Math.min(h, sz(H)));
      }
      var zs = Math.max(0, Math.floor((0 - oz) / scale / step) * step);
      var ze = Math.min(H, (h - oz) / scale);
      for (var gz = zs; gz <= ze; gz += step) {
        if (Math.abs(gz / cs - Math.round(gz / cs)) < 1e-6) continue;
        var pz = crisp(sz(gz), 1);
        ctx.moveTo(Math.max(0, sx(0)), pz); ctx.lineTo(Math.min(w, sx(W)), pz);
      }
      ctx.strokeStyle = 'rgba(140, 160, 200, 0.06)';
      ctx.lineWidth = 1;
      ctx.stroke();
    }

    // cell borders
    ctx.beginPath();
    for (var bx = cx0; bx <= cx1 + 1; bx++) {
      var bpx = crisp(sx(bx * cs), 1);
      ctx.moveTo(bpx, sz(0)); ctx.lineTo(bpx, sz(H));
    }
    for (var bz = cz0; bz <= cz1 + 1; bz++) {
      var bpz = crisp(sz(bz * cs), 1);
      ctx.moveTo(sx(0), bpz); ctx.lineTo(sx(W), bpz);
    }
    ctx.strokeStyle = 'rgba(150, 175, 220, 0.28)';
    ctx.lineWidth = 1;
    ctx.stroke();
    strokeNodeBorders(ctx, ox, oz, cs * scale, 3, 'rgba(236, 240, 250, 0.7)');

    // own cell outline
    ctx.strokeStyle = 'rgba(79, 209, 197, 0.45)';
    ctx.lineWidth = 1.5;
    ctx.strokeRect(sx(mine.cx * cs) + 0.75, sz(mine.cz * cs) + 0.75, cs * scale - 1.5, cs * scale - 1.5);

    // cell coordinates, faint
    var cellPx = cs * scale;
    var fontPx = clamp(Math.round(cellPx / 9), 11, 28);
    ctx.font = '600 ' + fontPx + 'px ' + MONO;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (var lz = cz0; lz <= cz1; lz++) {
      for (var lx = cx0; lx <= cx1; lx++) {
        var isMine = lx === mine.cx && lz === mine.cz;
        ctx.fillStyle = isMine ? 'rgba(79, 209, 197, 0.30)' : 'rgba(170, 190, 230, 0.16)';
        ctx.fillText(lx + ',' + lz, sx((lx + 0.5) * cs), sz((lz + 0.5) * cs));
        // with a single node the legend says it all; names in every cell would only be noise
        if (cellPx > 90 && nodeEdges.length) drawOwnerName(ownerOf(lx, lz), sx((lx + 0.5) * cs), sz((lz + 0.5) * cs) + fontPx, fontPx);
        if (cellPx > 90) {
          ctx.font = '500 10px ' + MONO;
          ctx.fillStyle = 'rgba(170, 190, 230, 0.14)';
          ctx.textAlign = 'left';
          ctx.textBaseline = 'top';
          ctx.fillText(lx + ',' + lz, sx(lx * cs) + 5, sz(lz * cs) + 4);
          ctx.font = '600 ' + fontPx + 'px ' + MONO;
          ctx.textAlign = 'center';
          ctx.textBaseline = 'middle';
        }
      }
    }

    // world edge
    ctx.strokeStyle = 'rgba(246, 173, 85, 0.75)';
    ctx.lineWidth = 2;
    ctx.strokeRect(crisp(sx(0), 2), crisp(sz(0), 2), Math.round(W * scale), Math.round(H * scale));

    // entities
    var rt = renderTick(t);
    var ents = sampleEntities(rt);
    var players = [], others = [];
    var zones = [];
    for (var i = 0; i < ents.length; i++) {
      (ents[i].kind === 'player' ? players : ents[i].r > 0 ? zones : others).push(ents[i]);
    }
    var margin = 60;
    function visible(e) {
      var px = sx(e.x), pz = sz(e.z), m = margin + (e.r || 0) * scale;
      return px > -m && px < w + m && pz > -m && pz < h + m;
    }
    var playerR = Math.max(10, 1.1 * scale);
    var drawnZones = 0;
    for (var k = 0; k < zones.length; k++) if (visible(zones[k])) { drawZone(zones[k], sx, sz, scale, t); drawnZones++; }
    api.zonesDrawn = drawnZones;
    for (var j = 0; j < others.length; j++) if (visible(others[j])) drawThing(others[j], sx, sz, scale, t);
    for (var p = 0; p < players.length; p++) if (visible(players[p])) drawPlayer(players[p], sx(players[p].x), sz(players[p].z), playerR, alphaOf(players[p].id, t), false);

    // own player, on top
    var ownYaw = lastYaw !== null ? lastYaw : target.yaw;
    drawPlayer({ label: playerName, color: OWN_COLOR, yaw: ownYaw }, sx(ownView.x), sz(ownView.z), playerR * 1.15, 1, true);

    // floating "+1"
    floaters = floaters.filter(function (f) { return t - f.t0 < 1000; });
    floaters.forEach(function (f) {
      var a = (t - f.t0) / 1000;
      ctx.globalAlpha = 1 - a;
      ctx.font = '700 16px ' + SANS;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillStyle = '#ffe08a';
      ctx.fillText(f.text, sx(f.x), sz(f.z) - playerR - 22 - a * 28);
      ctx.globalAlpha = 1;
    });

    // stale data hint
    if (api.status === 'connected' && t - lastSnapRecv > 1500) {
      ctx.font = '600 13px ' + SANS;
      ctx.textAlign = 'center';
      ctx.fillStyle = 'rgba(246, 173, 85, 0.9)';
      ctx.fillText('waiting for the server\u2026', w / 2, el.border.hidden ? 28 : 72);   // below the banner
    }

    drawMinimap(ownView, { x0: (0 - ox) / scale, z0: (0 - oz) / scale, x1: (w - ox) / scale, z1: (h - oz) / scale }, players, others);
  }

  // one rect per run of cells of one node; origin and cellPx map cell units to the canvas
  function fillNodeTints(c, ox, oz, cellPx, alpha) {
    c.globalAlpha = alpha;
    for (var i = 0; i < ownerRuns.length; i++) {
      var r = ownerRuns[i];
      c.fillStyle = r.color;
      c.fillRect(ox + r.cx0 * cellPx, oz + r.cz * cellPx, (r.cx1 - r.cx0) * cellPx, cellPx);
    }
    c.globalAlpha = 1;
  }

  function strokeNodeBorders(c, ox, oz, cellPx, width, color) {
    if (!nodeEdges.length) return;
    c.beginPath();
    for (var i = 0; i < nodeEdges.length; i++) {
      var e = nodeEdges[i];
      c.moveTo(crisp(ox + e[0] * cellPx, width), crisp(oz + e[1] * cellPx, width));
      c.lineTo(crisp(ox + e[2] * cellPx, width), crisp(oz + e[3] * cellPx, width));
    }
    c.lineCap = 'square';                  // corners where two borders meet close up
    c.lineWidth = width;
    c.strokeStyle = color;
    c.stroke();
    c.lineCap = 'butt';
  }

  function drawOwnerName(name, x, y, fontPx) {
    if (name === null) return;
    ctx.font = '600 ' + Math.max(11, Math.round(fontPx * 0.5)) + 'px ' + SANS;
    ctx.globalAlpha = 0.5;
    ctx.fillStyle = nodeColor(name) || '#ffffff';
    ctx.fillText(name, x, y);
    ctx.globalAlpha = 1;
    ctx.font = '600 ' + fontPx + 'px ' + MONO;
  }

  function niceStep(cs, scale) {
    var candidates = [cs / 16, cs / 8, cs / 4, cs / 2];
    for (var i = 0; i < candidates.length; i++) if (candidates[i] * scale >= 24) return candidates[i];
    return cs;
  }

  function alphaOf(id, t) {
    var since = fades.get(id);
    return since === undefined ? 1 : clamp((t - since) / 250, 0.15, 1);
  }

  // a zone: a translucent disc of its radius in its colour, under everything else, its label at the centre
  function drawZone(e, sx, sz, scale, t) {
    var x = sx(e.x), z = sz(e.z), r = Math.max(2, e.r * scale);
    ctx.globalAlpha = alphaOf(e.id, t);
    ctx.beginPath();
    ctx.arc(x, z, r, 0, Math.PI * 2);
    ctx.fillStyle = withAlpha(e.color, 0.18);
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.strokeStyle = withAlpha(e.color, 0.8);
    ctx.stroke();
    ctx.setLineDash([]);
    if (e.label) drawLabel(e.label, x, z, 'rgba(230,236,245,0.9)', false);
    ctx.globalAlpha = 1;
  }

  function drawThing(e, sx, sz, scale, t) {
    var x = sx(e.x), z = sz(e.z);
    var a = alphaOf(e.id, t);
    ctx.globalAlpha = a;
    if (e.kind === 'orb') {
      var r = Math.max(4.5, 0.55 * scale) * (1 + 0.08 * Math.sin(t / 300 + (hashStr(e.id) % 100)));
      ctx.beginPath();
      ctx.arc(x, z, r * 2.2, 0, Math.PI * 2);
      ctx.fillStyle = withAlpha(e.color, 0.13);
      ctx.fill();
      ctx.beginPath();
      ctx.arc(x, z, r, 0, Math.PI * 2);
      ctx.fillStyle = e.color;
      ctx.fill();
      ctx.beginPath();
      ctx.arc(x - r * 0.3, z - r * 0.3, r * 0.35, 0, Math.PI * 2);
      ctx.fillStyle = 'rgba(255,255,255,0.55)';
      ctx.fill();
    } else {
      // any other kind: a filled circle in its colour with a ring, labelled when it has a label
      var r2 = Math.max(6, 0.8 * scale);
      ctx.beginPath();
      ctx.arc(x, z, r2, 0, Math.PI * 2);
      ctx.fillStyle = e.color;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = 'rgba(255,255,255,0.55)';
      ctx.stroke();
      if (e.yaw !== null) drawFacing(x, z, r2, e.yaw, 'rgba(255,255,255,0.7)');
      if (e.label) drawLabel(e.label, x, z - r2 - 8, 'rgba(220,228,240,0.85)', false);
    }
    ctx.globalAlpha = 1;
  }

  function drawFacing(x, z, r, yaw, color) {
    var c = Math.cos(yaw), s = Math.sin(yaw);
    ctx.beginPath();
    ctx.moveTo(x + c * r * 0.45, z + s * r * 0.45);
    ctx.lineTo(x + c * r * 1.75, z + s * r * 1.75);
    ctx.lineCap = 'round';
    ctx.lineWidth = Math.max(2, r * 0.22);
    ctx.strokeStyle = color;
    ctx.stroke();
    ctx.lineCap = 'butt';
  }

  function drawPlayer(e, x, z, r, alpha, isSelf) {
    ctx.globalAlpha = alpha;
    if (isSelf) {
      var glow = ctx.createRadialGradient(x, z, r * 0.5, x, z, r * 3.2);
      glow.addColorStop(0, 'rgba(79, 209, 197, 0.35)');
      glow.addColorStop(1, 'rgba(79, 209, 197, 0)');
      ctx.fillStyle = glow;
      ctx.beginPath();
      ctx.arc(x, z, r * 3.2, 0, Math.PI * 2);
      ctx.fill();
    }
    if (e.yaw !== null && e.yaw !== undefined) drawFacing(x, z, r, e.yaw, isSelf ? '#ffffff' : 'rgba(235,240,250,0.9)');
    ctx.beginPath();
    ctx.arc(x, z, r, 0, Math.PI * 2);
    ctx.fillStyle = e.color;
    ctx.fill();
    ctx.lineWidth = isSelf ? 2.5 : 1.5;
    ctx.strokeStyle = isSelf ? '#ffffff' : 'rgba(10, 14, 22, 0.9)';
    ctx.stroke();
    if (e.label) drawLabel(e.label, x, z - r - 10, isSelf ? '#ffffff' : 'rgba(225,232,245,0.95)', isSelf);
    ctx.globalAlpha = 1;
  }

  function drawLabel(text, x, y, color, bold) {
    ctx.font = (bold ? '700 ' : '600 ') + '12px ' + SANS;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 3.5;
    ctx.strokeStyle = 'rgba(7, 10, 16, 0.85)';
    ctx.strokeText(text, x, y);
    ctx.fillStyle = color;
    ctx.fillText(text, x, y);
  }

  function withAlpha(color, a) {
    var m = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.exec(color);
    if (!m) return 'rgba(255,255,255,' + a + ')';
    var hex = m[1];
    if (hex.length === 3) hex = hex[0] + hex[0] + hex[1] + hex[1] + hex[2] + hex[2];
    var n = parseInt(hex, 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  function drawWaiting(w, h) {
    ctx.font = '600 15px ' + SANS;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = 'rgba(200, 212, 232, 0.7)';
    var msg = api.status === 'disconnected' ? 'Not connected' :
      (api.status === 'connected' ? 'Waiting for the first snapshot\u2026' :
        (api.status === 'reconnecting' ? 'Reconnecting to ' : 'Connecting to ') + api.url + '\u2026');
    ctx.fillText(msg, w / 2, h / 2);
  }

  function drawMinimap(own, viewRect, players, others) {
    var d = view.dpr, mw = mini.w, mh = mini.h;
    mctx.setTransform(d, 0, 0, d, 0, 0);
    mctx.clearRect(0, 0, mw, mh);
    var pad = 8;
    var s = Math.min((mw - 2 * pad) / world.cellsX, (mh - 2 * pad) / world.cellsZ);   // px per cell
    var gx = (mw - s * world.cellsX) / 2, gz = (mh - s * world.cellsZ) / 2;
    var m = s / world.cellSize;                                                      // px per metre
    mctx.fillStyle = 'rgba(15, 21, 32, 0.9)';
    mctx.fillRect(gx, gz, s * world.cellsX, s * world.cellsZ);
    fillNodeTints(mctx, gx, gz, s, 0.3);
    if (own && snaps.length) {
      var c = snaps[snaps.length - 1].you.cell;
      mctx.fillStyle = 'rgba(79, 209, 197, 0.12)';
      mctx.fillRect(gx + (c.cx - 1) * s, gz + (c.cz - 1) * s, 3 * s, 3 * s);
      mctx.fillStyle = 'rgba(79, 209, 197, 0.22)';
      mctx.fillRect(gx + c.cx * s, gz + c.cz * s, s, s);
      mctx.clearRect(0, 0, mw, gz); mctx.clearRect(0, gz + s * world.cellsZ, mw, mh);
      mctx.clearRect(0, 0, gx, mh); mctx.clearRect(gx + s * world.cellsX, 0, mw, mh);
    }
    mctx.beginPath();
    for (var i = 0; i <= world.cellsX; i++) {
      var x = Math.round((gx + i * s) * d) / d + 0.5 / d;
      mctx.moveTo(x, gz); mctx.lineTo(x, gz + s * world.cellsZ);
    }
    for (var j = 0; j <= world.cellsZ; j++) {
      var z = Math.round((gz + j * s) * d) / d + 0.5 / d;
      mctx.moveTo(gx, z); mctx.lineTo(gx + s * world.cellsX, z);
    }
    mctx.strokeStyle = 'rgba(150, 175, 220, 0.25)';
    mctx.lineWidth = 1 / d;
    mctx.stroke();
    strokeNodeBorders(mctx, gx, gz, s, 1.5, 'rgba(236, 240, 250, 0.8)');
    mctx.strokeStyle = 'rgba(246, 173, 85, 0.6)';
    mctx.lineWidth = 1;
    mctx.strokeRect(gx, gz, s * world.cellsX, s * world.cellsZ);
    if (!own) return;
    if (viewRect) {
      mctx.strokeStyle = 'rgba(255, 255, 255, 0.35)';
      mctx.lineWidth = 1;
      var vx0 = clamp(viewRect.x0, 0, world.cellsX * world.cellSize), vx1 = clamp(viewRect.x1, 0, world.cellsX * world.cellSize);
      var vz0 = clamp(viewRect.z0, 0, world.cellsZ * world.cellSize), vz1 = clamp(viewRect.z1, 0, world.cellsZ * world.cellSize);
      if (vx1 > vx0 && vz1 > vz0) mctx.strokeRect(gx + vx0 * m, gz + vz0 * m, (vx1 - vx0) * m, (vz1 - vz0) * m);
    }
    if (others) {
      mctx.globalAlpha = 0.7;
      others.forEach(function (o) {
        mctx.fillStyle = o.color;
        mctx.fillRect(gx + o.x * m - 0.75, gz + o.z * m - 0.75, 1.5, 1.5);
      });
      mctx.globalAlpha = 1;
    }
    if (players) {
      mctx.fillStyle = 'rgba(235, 240, 250, 0.8)';
      players.forEach(function (p) {
        mctx.beginPath();
        mctx.arc(gx + p.x * m, gz + p.z * m, 1.8, 0, Math.PI * 2);
        mctx.fill();
      });
    }
    mctx.beginPath();
    mctx.arc(gx + own.x * m, gz + own.z * m, 3.5, 0, Math.PI * 2);
    mctx.fillStyle = OWN_COLOR;
    mctx.fill();
    mctx.lineWidth = 1.5;
    mctx.strokeStyle = '#ffffff';
    mctx.stroke();
  }

  // ---------------------------------------------------------------- start

  setStatus('connecting');
  connect();
  requestAnimationFrame(frame);
})();
