// The browser half of a coursekit view (an anywidget module, shipped with coursekit; it loads nothing else).
//
// The kernel describes the controls once (model "spec") and sends a "frame" after every change: the numbers
// (HTML) and the picture (SVG) that coursekit computed, and the control values it used. This module builds
// the controls, sends what the student does as custom messages ({set: {name: value}} or {click: name}), and
// shows each frame in one go, so numbers and picture are always painted together. At most one message is in
// flight: moves made meanwhile are merged into the next message, so a fast drag never piles up work in the
// kernel and the picture follows the latest position. With its answer to a key press or a drag move the kernel
// also sends the frames the next move most likely reaches ("ahead", worked out by coursekit as a real move is);
// a move that lands on one shows it at once, and the kernel's answer to it, the same frame, changes nothing.
const MINUS = "\u2212";
const STALE_MS = 3000;          // no answer within this time: the view is a stored copy without a kernel

function format(value, c) {
  if (c.kind === "play") return String(value);
  if (typeof value !== "number" || !isFinite(value)) return String(value);
  let text;
  if (c.format === "sig") {
    text = Math.abs(value) >= 1e-4 ? value.toPrecision(c.digits) : value.toExponential(c.digits - 1);
    if (text.includes("e")) {
      const [m, e] = text.split("e");
      text = m + " \u00d7 10" + toSuperscript(String(Number(e)));
    }
  } else if (c.format === "int") {
    text = String(Math.round(value * (c.times || 1)));
  } else {
    text = value.toFixed(c.digits);
    if (Number(text) === 0) text = (0).toFixed(c.digits);
  }
  return text.replace("-", MINUS);
}

function toSuperscript(text) {
  const map = {"0": "\u2070", "1": "\u00b9", "2": "\u00b2", "3": "\u00b3", "4": "\u2074", "5": "\u2075",
               "6": "\u2076", "7": "\u2077", "8": "\u2078", "9": "\u2079", "-": "\u207b"};
  return [...text].map((ch) => map[ch] || ch).join("");
}

// Show new HTML (or SVG) in `target` by changing only what differs: a slider move changes a few numbers,
// coordinates and colours, so the elements stay, and the browser lays out and shapes only the changed text
// (replacing the whole picture made it lay out every label again: 11 ms a frame, measured).
function morph(target, html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  patchChildren(target, template.content);
}

function patchChildren(old, fresh) {
  const before = Array.from(old.childNodes), after = Array.from(fresh.childNodes);
  after.forEach((node, k) => {
    const was = before[k];
    if (!was) old.appendChild(node);
    else if (was.nodeType !== node.nodeType || was.nodeName !== node.nodeName) old.replaceChild(node, was);
    else if (node.nodeType === Node.ELEMENT_NODE) { patchAttributes(was, node); patchChildren(was, node); }
    else if (was.nodeValue !== node.nodeValue) was.nodeValue = node.nodeValue;
  });
  for (const extra of before.slice(after.length)) old.removeChild(extra);
}

function patchAttributes(was, node) {
  for (const a of Array.from(was.attributes)) {
    if (!node.hasAttributeNS(a.namespaceURI, a.localName)) was.removeAttributeNS(a.namespaceURI, a.localName);
  }
  for (const a of Array.from(node.attributes)) {
    if (was.getAttributeNS(a.namespaceURI, a.localName) !== a.value) was.setAttributeNS(a.namespaceURI, a.name, a.value);
  }
}

function make(tag, cls, attrs) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function render({ model, el }) {
  const spec = model.get("spec");
  const uid = "ck" + Math.random().toString(36).slice(2, 10);
  const root = make("div", "ck-view " + (spec.cls || ""), {"role": "group", "aria-label": spec.title,
                                                            "data-lm-suppress-shortcuts": "true"});
  // keys pressed inside the view are the view's: JupyterLab's and Notebook 7's shortcuts (which listen on the
  // document) never see them, so ArrowDown changes a menu and "b" inserts no cell
  for (const type of ["keydown", "keyup", "keypress"]) root.addEventListener(type, (e) => e.stopPropagation());
  el.appendChild(root);

  const controls = {};        // name → {c: spec, wrap, set(value), value}
  const parts = {};
  const trace = {inputs: [], sent: [], frames: []};      // for the browser test and the benchmark
  root.ckTrace = trace;

  // ---- sending ------------------------------------------------------------------------------------------
  const queue = [];           // [{set: {...}} | {click: name}], sets merged while waiting
  let inflight = null, counter = 0, staleTimer = null, stale = false;
  let ahead = null;           // {name, values, frames}: the kernel's frames for the next move of one control
  let aheadInput = -1;        // the latest input answered on the screen by a frame worked out ahead

  function pending() {
    const names = new Set();
    for (const m of inflight ? [inflight, ...queue] : queue) for (const k of Object.keys(m.set || {})) names.add(k);
    return names;
  }
  function queueSet(name, value, next, found) {
    // `next`: the values the next move most likely reaches, whose frames the kernel may work out ahead;
    // `found`: the frame worked out ahead for this move (a menu's or toggle's is looked up here)
    trace.inputs.push({t: performance.now(), name, value});
    if (found === undefined) found = aheadNear(name, value, 0);
    const last = queue[queue.length - 1];
    if (last && last.set) { last.set[name] = value; delete last.ahead; } else queue.push({set: {[name]: value}});
    const message = queue[queue.length - 1];
    if (next && next.length && Object.keys(message.set).length === 1) message.ahead = {name, values: next};
    if (found) {
      aheadInput = trace.inputs.length - 1;
      paint(found.frame, {ahead: aheadInput});
    }
    pump();
  }
  function queueClick(name) {
    trace.inputs.push({t: performance.now(), name, click: true});
    ahead = null;
    queue.push({click: name});
    pump();
  }
  function aheadNear(name, value, reach, pos = (v) => v) {
    // the frame worked out ahead for a move of `name` to within `reach` (in slider positions) of `value`, if
    // every other control still shows what it was worked out with and no other change is on its way
    if (!ahead || ahead.name !== name || stale) return null;
    for (const other of pending()) if (other !== name) return null;
    let best = null;
    ahead.values.forEach((v, k) => {
      const distance = Math.abs(pos(v) - pos(value));
      if (ahead.frames[k] && distance <= reach + 1e-12 && (!best || distance < best.distance)) {
        best = {value: v, frame: ahead.frames[k], distance};
      }
    });
    if (!best) return null;
    for (const [other, entry] of Object.entries(controls)) {
      if (other === name || !(other in best.frame.values)) continue;
      if (JSON.stringify(entry.value) !== JSON.stringify(best.frame.values[other])) return null;
    }
    return best;
  }
  function onCustom(message) {
    if (message && message.ahead) ahead = message.ahead;
  }
  function pump() {
    if (inflight || !queue.length) return;
    inflight = queue.shift();
    inflight.n = ++counter;
    inflight.from = uid;
    inflight.inputs = trace.inputs.length;             // the inputs this message answers: all so far
    trace.sent.push({t: performance.now(), n: inflight.n, inputs: trace.inputs.length, origin: performance.timeOrigin});
    model.send(inflight);
    clearTimeout(staleTimer);
    staleTimer = setTimeout(() => {                    // nobody answers: a stored view without a kernel
      stale = true; inflight = null; queue.length = 0; showNote();
    }, STALE_MS);
  }

  // ---- building the controls ----------------------------------------------------------------------------
  function slider(c) {
    const wrap = make("div", "ck-slider");
    const id = `${uid}-${c.name.replace(/[^\w]/g, "_")}`;
    const label = make("label", "ck-label", {"for": id});
    label.innerHTML = c.label;
    const input = make("input", "", {"type": "range", "id": id, "aria-label": c.aria, "step": "any"});
    const pos = (v) => (c.log ? Math.log10(v) : v);
    const val = (p) => (c.log ? Math.pow(10, p) : p);
    input.min = pos(c.min); input.max = pos(c.max);
    const out = make("output", "ck-readout", {"for": id, "aria-hidden": "true"});
    wrap.append(label, input, out);
    const entry = {c, wrap, value: c.value};
    const show = (v) => {
      entry.value = v;
      wrap.dataset.value = JSON.stringify(v);
      input.value = pos(v);
      const text = format(v, c) + (c.unit || "");
      out.textContent = text;
      input.setAttribute("aria-valuetext", text);
    };
    const snap = (p) => {                              // onto the slider's grid, inside its range
      const lo = pos(c.min), hi = pos(c.max);
      const k = Math.round((p - lo) / c.step);
      return Math.min(hi, Math.max(lo, Number((lo + k * c.step).toFixed(10))));
    };
    const target = (p) => {                            // the value a move to slider position p chooses
      let v = val(snap(p));
      if (c.log) v = Number(v.toPrecision(12));
      if (c.format === "fixed") v = Number(v.toFixed(Math.max(c.digits, 6)));
      return v;
    };
    let width = 0;                                     // of the track, in pixels (read when a drag starts)
    input.addEventListener("pointerdown", () => { width = input.getBoundingClientRect().width; });
    const choose = (p, byKey) => {
      let v = target(p);
      if (v === entry.value) return;
      const was = pos(entry.value);
      // a key press: the frame worked out for exactly this value; a drag: for a value under the same pixel
      const pixel = byKey ? 0 : (pos(c.max) - pos(c.min)) / Math.max(1, width || input.getBoundingClientRect().width);
      const found = aheadNear(c.name, v, pixel, pos);
      if (found) v = found.value;
      show(v);
      // next: after a key press, a step on or a step back; in a drag, one and two more moves like this one
      const d = byKey ? c.step : pos(v) - was;
      const next = [target(pos(v) + d), target(pos(v) + (byKey ? -d : 2 * d))].filter((x) => x !== v);
      queueSet(c.name, v, next, found);
    };
    input.addEventListener("input", () => choose(Number(input.value)));
    input.addEventListener("keydown", (e) => {
      const p = pos(entry.value), s = c.step;
      const moves = {ArrowRight: s, ArrowUp: s, ArrowLeft: -s, ArrowDown: -s, PageUp: 10 * s, PageDown: -10 * s};
      if (e.key in moves) choose(p + moves[e.key], true);
      else if (e.key === "Home") choose(pos(c.min), true);
      else if (e.key === "End") choose(pos(c.max), true);
      else return;
      e.preventDefault();
    });
    entry.set = show;
    show(c.value);
    return entry;
  }

  function choice(c) {
    const wrap = make("div", "ck-choice");
    const id = `${uid}-${c.name}`;
    const label = make("label", "ck-label", {"for": id});
    label.innerHTML = c.label;
    const select = make("select", "", {"id": id, "aria-label": c.aria});
    c.options.forEach((text, k) => { const o = make("option"); o.value = k; o.textContent = text; select.append(o); });
    wrap.append(label, select);
    const entry = {c, wrap, value: c.value};
    entry.set = (k) => { entry.value = k; select.value = k; wrap.dataset.value = JSON.stringify(k); };
    select.addEventListener("change", () => { entry.set(Number(select.value)); queueSet(c.name, entry.value, around(c, entry.value)); });
    entry.set(c.value);
    return entry;
  }

  function toggle(c) {
    const wrap = make("fieldset", "ck-toggle", {"aria-label": c.aria});
    const legend = make("legend", "ck-label");
    legend.innerHTML = c.label;
    wrap.append(legend);
    const box = make("div", "ck-toggle-options");
    const inputs = c.options.map((text, k) => {
      const id = `${uid}-${c.name}-${k}`;
      const input = make("input", "", {"type": "radio", "name": `${uid}-${c.name}`, "id": id, "value": k});
      const label = make("label", "", {"for": id});
      label.innerHTML = text;
      box.append(input, label);
      input.addEventListener("change", () => { if (input.checked) { entry.set(k); queueSet(c.name, k, around(c, k)); } });
      return input;
    });
    wrap.append(box);
    const entry = {c, wrap, value: c.value};
    entry.set = (k) => {
      entry.value = k; wrap.dataset.value = JSON.stringify(k);
      inputs.forEach((input, j) => { input.checked = j === k; });
    };
    entry.set(c.value);
    return entry;
  }

  function around(c, k) {                             // the options one more arrow key reaches
    return [k + 1, k - 1].filter((j) => j >= 0 && j < c.options.length);
  }

  function button(c) {
    const b = make("button", "ck-button" + (c.primary ? " ck-primary" : ""), {"type": "button"});
    b.innerHTML = c.label;
    if (c.aria) b.setAttribute("aria-label", c.aria);
    b.addEventListener("click", () => queueClick(c.name));
    return {c, wrap: b, set() {}};
  }

  function play(c) {
    // ▶/❚❚ and a t slider: the clock runs here, one tick per answered frame, at most one per c.interval ms
    const wrap = make("div", "ck-play");
    const b = make("button", "ck-button ck-primary", {"type": "button"});
    const t = slider({...c, kind: "slider", name: c.name, min: 0, max: c.max, step: 1, format: "int",
                      label: c.label, aria: c.aria, log: false});
    wrap.append(b, t.wrap);
    const entry = {c, wrap, value: c.value, playing: c.playing, lastTick: 0};
    const showPlaying = (on) => {
      entry.playing = on;
      b.textContent = on ? "\u275a\u275a pause" : "\u25b6 play";
      b.setAttribute("aria-label", on ? "pause training" : "play training");
      b.setAttribute("aria-pressed", on ? "true" : "false");
    };
    b.addEventListener("click", () => {
      const on = !entry.playing;
      showPlaying(on);
      queueSet(c.name + ".playing", on);
      if (on) schedule();
    });
    entry.set = (v) => { entry.value = v; t.set(v); };
    entry.valueWrap = t.wrap;                          // the t slider carries the value (also while dragged)
    entry.setPlaying = showPlaying;
    entry.tick = () => {
      if (!entry.playing || inflight || queue.length) return;
      if (t.value >= c.max) return;
      entry.lastTick = performance.now();
      t.set(t.value + 1);
      queueSet(c.name, t.value);
    };
    showPlaying(c.playing);
    return entry;
  }
  let tickTimer = null;
  function schedule() {
    const p = controls[spec.play];
    if (!p || !p.playing) return;
    clearTimeout(tickTimer);
    tickTimer = setTimeout(p.tick, Math.max(0, p.c.interval - (performance.now() - p.lastTick)));
  }

  const builders = {slider, choice, toggle, button, play};
  function build(item) {
    if (typeof item === "string") {
      if (item in spec.controls) {
        const c = spec.controls[item];
        const entry = builders[c.kind](c);
        controls[item] = entry;
        (entry.valueWrap || entry.wrap).dataset.control = item;
        return entry.wrap;
      }
      const part = make("div", "ck-" + item);
      if (item === "convention") part.innerHTML = spec.convention || "";
      if (item === "live") { part.setAttribute("aria-live", "polite"); part.className = "ck-live ck-sr-only"; }
      if (item === "error") part.setAttribute("role", "alert");
      parts[item] = part;
      return part;
    }
    const [kind, ...rest] = item;
    if (kind === "group") {
      const [label, ...items] = rest;
      const box = make("div", "ck-group", {"role": "group"});
      const head = make("div", "ck-group-label");
      head.innerHTML = label;
      head.id = `${uid}-g${Math.random().toString(36).slice(2, 7)}`;
      box.setAttribute("aria-labelledby", head.id);
      box.append(head, ...items.map(build));
      return box;
    }
    if (kind === "fold") {
      const [label, ...items] = rest;
      const box = make("details", "ck-fold");
      box.open = true;
      const summary = make("summary");
      summary.innerHTML = label;
      box.append(summary, ...items.map(build));
      return box;
    }
    const box = make("div", "ck-" + kind);
    box.append(...rest.map(build));
    return box;
  }
  root.append(...spec.layout.map(build));
  // Lumino (JupyterLab, Notebook 7) matches a shortcut against the focused element itself before any of its
  // parents, so every control carries the mark too (Notebook 7 listens for keys before they reach the view)
  for (const e of root.querySelectorAll("input, select, button, summary")) e.setAttribute("data-lm-suppress-shortcuts", "true");
  if (!parts.error) root.append(build("error"));
  if (!parts.message) root.append(build("message"));
  if (!parts.live) root.append(build("live"));

  // ---- showing a frame ----------------------------------------------------------------------------------
  let lastLive = "", liveTimer = null, shownNote = "";
  const drawn = {};                                    // the picture and numbers HTML on the screen
  function showNote() {
    parts.message.textContent = stale
      ? "This is a stored copy of the view: run the cell (Shift+Enter) to make it live."
      : shownNote;
    parts.message.hidden = !parts.message.textContent;
  }
  function paint(frame, record) {
    // one frame's numbers, picture, control values, note and error, all in this task (so painted together)
    const t0 = performance.now();
    const skip = pending();
    for (const part of ["picture", "numbers"]) {
      if (parts[part] && drawn[part] !== (frame[part] || "")) {
        morph(parts[part], frame[part] || "");
        drawn[part] = frame[part] || "";
      }
    }
    for (const [name, entry] of Object.entries(controls)) {
      if (name in (frame.values || {}) && !skip.has(name)) entry.set(frame.values[name]);
      if (entry.setPlaying && (name + ".playing") in frame.values && !skip.has(name + ".playing")) {
        entry.setPlaying(frame.values[name + ".playing"]);
      }
      entry.wrap.hidden = (frame.hidden || []).includes(name);
    }
    parts.error.textContent = frame.error || "";
    parts.error.hidden = !frame.error;
    shownNote = frame.note || "";
    showNote();
    if (frame.live !== lastLive) {                     // a screen reader hears E and the like, not every move
      clearTimeout(liveTimer);
      liveTimer = setTimeout(() => { parts.live.textContent = frame.live || ""; lastLive = frame.live; }, 400);
    }
    Object.assign(record, {t: t0, shown: performance.now(), painted: null});
    trace.frames.push(record);
    requestAnimationFrame(() => {                      // the next task after that frame's paint
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { record.painted = performance.now(); };
      channel.port2.postMessage(0);
    });
  }
  function show() {
    const frame = model.get("frame");
    const ack = frame.ack || {};
    root.dataset.frames = String(Number(root.dataset.frames || 0) + 1);     // the kernel's frames
    const answered = inflight && ack.from === uid && ack.n >= inflight.n;     // the message in flight
    const record = {ack: frame.ack || null, kernel_ms: frame.kernel_ms, clock: frame.clock || null};
    // a frame worked out ahead for a later move is on the screen already: never go back to this older one
    if (answered && aheadInput >= inflight.inputs) trace.frames.push({...record, behind: true, painted: null});
    else paint(frame, record);
    if (answered) {
      clearTimeout(staleTimer);
      stale = false;
      inflight = null;
      pump();
    }
    schedule();
  }
  model.on("change:frame", show);
  model.on("msg:custom", onCustom);
  show();
  return () => {
    model.off("change:frame", show); model.off("msg:custom", onCustom);
    clearTimeout(staleTimer); clearTimeout(tickTimer);
  };
}

export default { render };
