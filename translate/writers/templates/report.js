(function () {
  "use strict";
  // dewire report script. Self-contained: no network, no eval, no inline handlers.
  //  1. Alignment you can see: the element under the pointer (else the focused one) decides what is lit.
  //     A sentence lights itself and its partner ("hl"); a brief bullet lights its support ("sup").
  //     A partner that is off screen is scrolled into view (at once on focus or tap, after a short
  //     dwell on hover).
  //  2. Layout: paragraph rows, or sentence-pair rows (long paragraphs in "auto", all in "sentences").
  //  3. Keys: j/k next/previous sentence, n/p next/previous flagged sentence, f flagged only,
  //     r review mode, e/Enter correct, c copy with the German original, ? the list of keys.
  //  4. Review: corrections of the English kept in localStorage (one key per report), marked, and
  //     downloadable as en.txt, aligned.jsonl and TMX built here (Blob + download link).
  var doc = document;
  var body = doc.body;
  var bySid = Object.create(null);
  var spans = doc.querySelectorAll("main .s[data-sid]");
  for (var i = 0; i < spans.length; i++) {
    var sid0 = spans[i].getAttribute("data-sid");
    (bySid[sid0] || (bySid[sid0] = [])).push(spans[i]);
    // sentence-pair rows on narrow screens stack German k above English k: grid order 2k, 2k+1
    var k0 = parseInt(spans[i].getAttribute("data-k") || "0", 10);
    spans[i].style.order = String(2 * k0 + (spans[i].id.charAt(0) === "e" ? 1 : 0));
  }
  var reason = doc.getElementById("reason");
  var toastEl = doc.getElementById("toast");
  var lit = [];
  var litBullet = null;
  var hovered = null;
  var focused = null;
  var current = null; // sid of the sentence the review actions apply to

  function sentenceOf(node) {
    return node && node.closest ? node.closest("main .s[data-sid]") : null;
  }
  function bulletOf(node) {
    return node && node.closest ? node.closest(".bullet") : null;
  }
  function supportOf(bullet) {
    var ids = (bullet.getAttribute("data-support") || "").split(" ");
    return ids.filter(function (x) { return x !== ""; });
  }
  function partnerOf(s) {
    var sid = s.getAttribute("data-sid");
    return doc.getElementById((s.id.charAt(0) === "d" ? "en" : "de") + sid);
  }
  function clear() {
    for (var j = 0; j < lit.length; j++) lit[j].classList.remove("hl", "sup");
    lit = [];
    if (litBullet) litBullet.classList.remove("on");
    litBullet = null;
  }
  function light(ids, cls) {
    for (var j = 0; j < ids.length; j++) {
      var group = bySid[ids[j]] || [];
      for (var k = 0; k < group.length; k++) {
        group[k].classList.add(cls);
        lit.push(group[k]);
      }
    }
  }
  // The reasons of a flagged sentence (or bullet), with the checks' details, in a status strip.
  function explain(marks, text) {
    if (!reason) return;
    reason.textContent = "";
    if (!text) { reason.hidden = true; return; }
    for (var j = 0; j < marks.length; j++) {
      var m = doc.createElement("span");
      m.className = "mark";
      m.textContent = marks[j].textContent;
      reason.appendChild(m);
    }
    reason.appendChild(doc.createTextNode(text));
    reason.hidden = false;
  }
  function update() {
    clear();
    var targets = [hovered, focused];
    for (var j = 0; j < targets.length; j++) {
      var s = sentenceOf(targets[j]);
      if (s) {
        var sid = s.getAttribute("data-sid");
        light([sid], "hl");
        var why = doc.getElementById("why" + sid);
        var en = doc.getElementById("en" + sid);
        explain(en ? en.querySelectorAll(".mark:not(.edit-mark)") : [], why ? why.textContent : "");
        return;
      }
      var b = bulletOf(targets[j]);
      if (b) {
        light(supportOf(b), "sup");
        b.classList.add("on");
        litBullet = b;
        explain([], b.getAttribute("title") || "");
        return;
      }
    }
    explain([], "");
  }

  // ---------- keeping both sentences of a pair on screen ----------
  function shown(el) {
    return !!el && el.getClientRects().length > 0;
  }
  function insets() {
    var top = 0;
    var bar = doc.querySelector(".bar");
    if (bar) {
      var r = bar.getBoundingClientRect();
      // stuck at the top, it covers what lies under it; not yet stuck, it will be once we scroll down
      top = r.top <= 1 ? Math.max(0, r.bottom) : r.height;
    }
    var bottom = window.innerHeight; // messages sit in the bar, so only the bar takes room
    return { top: top + 4, bottom: bottom - 4 };
  }
  function fits(r, v) {
    return r.top >= v.top && r.bottom <= v.bottom;
  }
  var ourScrollAt = null; // pointer position when we last scrolled for a hover
  // Scroll as little as needed so that `b` (the partner) is in view, and `a` too where both fit.
  function reveal(a, b) {
    if (!shown(b)) return false;
    var v = insets();
    var rb = b.getBoundingClientRect();
    var ra = shown(a) ? a.getBoundingClientRect() : rb;
    if (fits(rb, v) && fits(ra, v)) return false;
    var lo = Math.min(ra.top, rb.top);
    var hi = Math.max(ra.bottom, rb.bottom);
    var room = v.bottom - v.top;
    var dy;
    if (hi - lo <= room) {
      dy = lo < v.top ? lo - v.top - Math.min(24, (room - (hi - lo)) / 2) : hi - v.bottom + Math.min(24, (room - (hi - lo)) / 2);
    } else if (rb.height <= room) {
      dy = rb.top - v.top - (room - rb.height) / 2;
    } else {
      dy = rb.top - v.top;
    }
    window.scrollBy(0, dy);
    return true;
  }
  var dwell = null;
  var pointer = { x: -1, y: -1 };
  doc.addEventListener("pointermove", function (e) { pointer.x = e.clientX; pointer.y = e.clientY; });
  function hoverReveal(s) {
    if (dwell) { clearTimeout(dwell); dwell = null; }
    if (!s) return;
    // after a scroll of ours the pointer rests on another sentence: wait until it really moves
    if (ourScrollAt && Math.abs(pointer.x - ourScrollAt.x) + Math.abs(pointer.y - ourScrollAt.y) < 6) return;
    dwell = setTimeout(function () {
      dwell = null;
      if (sentenceOf(hovered) !== s || (focused && sentenceOf(focused))) return;
      if (reveal(s, partnerOf(s))) ourScrollAt = { x: pointer.x, y: pointer.y };
    }, 450);
  }

  doc.addEventListener("pointerover", function (e) {
    hovered = e.target;
    update();
    hoverReveal(sentenceOf(e.target));
  });
  doc.addEventListener("pointerout", function (e) {
    if (!e.relatedTarget) { hovered = null; update(); hoverReveal(null); }
  });
  doc.addEventListener("focusin", function (e) {
    focused = e.target;
    update();
    var s = sentenceOf(e.target);
    if (s) {
      setCurrent(s.getAttribute("data-sid"));
      if (!s.isContentEditable) reveal(s, partnerOf(s));
    }
  });
  doc.addEventListener("focusout", function (e) { focused = e.relatedTarget || null; update(); });

  function go(el) {
    if (!el) return;
    el.focus({ preventScroll: true });
    if (!reveal(el, partnerOf(el)) && !fits(el.getBoundingClientRect(), insets())) {
      el.scrollIntoView({ block: "center" });
    }
  }

  // ---------- next / previous (flagged) sentence ----------
  function sideNow() {
    var view = body.getAttribute("data-view");
    if (view === "en" || view === "de") return view;
    var s = sentenceOf(doc.activeElement) || (current !== null ? doc.getElementById("de" + current) : null);
    return s ? s.id.slice(0, 2) : "de";
  }
  function step(delta, flaggedOnly) {
    var side = sideNow();
    var list = Array.prototype.filter.call(doc.querySelectorAll("main ." + side + " .s"), function (el) {
      return shown(el) && (!flaggedOnly || el.classList.contains("flagged"));
    });
    if (!list.length) { toast(flaggedOnly ? "No flagged sentence." : "No sentence."); return; }
    var at = sentenceOf(doc.activeElement);
    var sid = at ? at.getAttribute("data-sid") : current;
    var index = -1;
    if (sid !== null && sid !== undefined) {
      var n = parseInt(sid, 10);
      // position relative to the current sentence, even when it is not in the list (flagged only)
      index = delta > 0 ? -1 : list.length;
      for (var j = 0; j < list.length; j++) {
        var m = parseInt(list[j].getAttribute("data-sid"), 10);
        if (delta > 0 && m <= n) index = j;
        if (delta < 0 && m >= n) { index = j; break; }
      }
    }
    var next = index + delta;
    if (sid === null || sid === undefined) next = delta > 0 ? 0 : list.length - 1;
    if (next < 0 || next >= list.length) { toast(delta > 0 ? "Last one." : "First one."); return; }
    go(list[next]);
  }

  // ---------- little helpers ----------
  var toastTimer = null;
  function toast(text) {
    if (!toastEl) return;
    toastEl.textContent = text;
    toastEl.hidden = false;
    if (toastTimer) clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toastEl.hidden = true; }, 2200);
  }
  function typing(node) {
    if (!node) return false;
    if (node.isContentEditable) return true;
    var tag = node.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && !/^(radio|checkbox|button)$/.test(node.type));
  }

  // ---------- review: data, storage, corrections ----------
  var dataEl = doc.getElementById("review-data");
  var data = { key: "dewire-review:none", name: "report", records: [], breaks: [], tmx_head: "", tmx_tail: "", source: {} };
  try { data = JSON.parse(dataEl.getAttribute("data-json")); } catch (err) { /* the report is still readable */ }
  var records = data.records || [];
  var store = null;
  try {
    store = window.localStorage;
    store.setItem(data.key + ":probe", "1");
    store.removeItem(data.key + ":probe");
  } catch (err) { store = null; }
  var state = { v: 1, review: false, edits: {} };
  if (store) {
    try {
      var saved = JSON.parse(store.getItem(data.key) || "null");
      if (saved && saved.v === 1 && saved.edits && typeof saved.edits === "object") {
        state.review = !!saved.review;
        for (var key in saved.edits) {
          var e0 = saved.edits[key];
          var rec0 = records[parseInt(key, 10)];
          // a correction applies only to the machine output it corrected
          if (rec0 && e0 && typeof e0.text === "string" && e0.machine === rec0.target) state.edits[key] = e0;
        }
      }
    } catch (err) { /* unreadable entry: start afresh */ }
  }
  function persist() {
    if (!store) return;
    try { store.setItem(data.key, JSON.stringify(state)); } catch (err) { toast("Could not keep the corrections in this browser."); }
  }
  var original = Object.create(null);
  function machineShown(sid) {
    return original[sid] ? original[sid].text : "";
  }
  for (var r = 0; r < records.length; r++) {
    var enR = doc.getElementById("en" + r);
    if (!enR) continue;
    var shownText = "";
    for (var c = 0; c < enR.childNodes.length; c++) {
      var node = enR.childNodes[c];
      if (node.nodeType === 3 || (node.nodeType === 1 && node.classList.contains("dateline"))) shownText += node.textContent;
    }
    original[r] = {
      nodes: Array.prototype.map.call(enR.childNodes, function (n) { return n.cloneNode(true); }),
      title: enR.getAttribute("title"),
      text: shownText,
    };
  }
  function textOf(sid) {
    var e = state.edits[sid];
    return e ? e.text : machineShown(sid);
  }
  function renderEn(sid) {
    var en = doc.getElementById("en" + sid);
    var o = original[sid];
    if (!en || !o) return;
    en.textContent = "";
    en.removeAttribute("contenteditable");
    en.removeAttribute("role");
    en.removeAttribute("aria-multiline");
    en.removeAttribute("aria-label");
    var edit = state.edits[sid];
    for (var j = 0; j < o.nodes.length; j++) {
      var n = o.nodes[j];
      if (edit && (n.nodeType === 3 || (n.nodeType === 1 && n.classList.contains("dateline")))) continue;
      en.appendChild(n.cloneNode(true));
    }
    if (edit) {
      en.insertBefore(doc.createTextNode(edit.text), en.firstChild);
      var mark = doc.createElement("sup");
      mark.className = "mark edit-mark";
      mark.setAttribute("data-flag", "edited");
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = "✎";
      var why = en.querySelector(".why");
      en.insertBefore(mark, why);
      en.classList.add("edited");
      en.setAttribute("title", "corrected in review · machine translation: " + o.text + (o.title ? " · " + o.title : ""));
    } else {
      en.classList.remove("edited");
      if (o.title) en.setAttribute("title", o.title); else en.removeAttribute("title");
    }
  }
  function countEdits() {
    var n = 0;
    for (var k in state.edits) if (state.edits[k]) n++;
    return n;
  }
  function refreshCounts() {
    var n = countEdits();
    var count = doc.getElementById("edit-count");
    if (count) count.textContent = n + (n === 1 ? " correction" : " corrections");
    var note = doc.getElementById("corrected-note");
    if (note) {
      note.textContent = n ? n + (n === 1 ? " sentence" : " sentences") + " corrected in this browser (underlined in green, marked ✎). Review mode downloads them." : "";
      note.hidden = !n;
    }
  }
  for (var sidE in state.edits) renderEn(sidE);
  refreshCounts();

  // review mode on/off
  var reviewButton = doc.getElementById("review-toggle");
  var panel = doc.getElementById("review-panel");
  function setReview(on) {
    state.review = !!on;
    body.setAttribute("data-review", on ? "on" : "off");
    if (reviewButton) reviewButton.setAttribute("aria-pressed", on ? "true" : "false");
    if (panel) panel.hidden = !on;
    persist();
  }
  setReview(state.review);
  if (!store && panel) {
    var warn = doc.createElement("span");
    warn.className = "current";
    warn.textContent = "This browser does not keep corrections across reloads here: download them before closing.";
    panel.appendChild(warn);
  }
  if (reviewButton) reviewButton.addEventListener("click", function () { setReview(!state.review); });

  function setCurrent(sid) {
    current = sid;
    var label = doc.getElementById("current");
    if (label && sid !== null) {
      var rec = records[parseInt(sid, 10)];
      label.textContent = "Sentence " + (parseInt(sid, 10) + 1) + " of " + records.length +
        (rec ? ", paragraph " + (rec.paragraph + 1) : "") + (state.edits[sid] ? " · corrected" : "");
    }
    var ed = doc.getElementById("edit-current");
    var cp = doc.getElementById("copy-current");
    if (ed) ed.disabled = sid === null;
    if (cp) cp.disabled = sid === null;
  }

  var editing = null;
  function edit(sid) {
    if (sid === null || sid === undefined) { toast("Focus a sentence first (j, k or Tab)."); return; }
    if (!state.review) setReview(true);
    var en = doc.getElementById("en" + sid);
    if (!en) return;
    if (editing !== null && editing !== String(sid)) cancel();
    if (!shown(en)) { body.setAttribute("data-view", "both"); checkRadio("view", "both"); }
    editing = String(sid);
    en.textContent = textOf(sid);
    try { en.contentEditable = "plaintext-only"; } catch (err) { en.contentEditable = "true"; }
    if (en.contentEditable !== "plaintext-only") en.contentEditable = "true";
    en.setAttribute("role", "textbox");
    en.setAttribute("aria-multiline", "false");
    en.setAttribute("aria-label", "Correct the translation of sentence " + (parseInt(sid, 10) + 1) + ": Enter saves, Escape cancels");
    en.classList.remove("edited");
    en.focus({ preventScroll: true });
    reveal(en, doc.getElementById("de" + sid));
    var range = doc.createRange();
    range.selectNodeContents(en);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
  var STRIP = /^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
  function pyStrip(s) { return s.replace(STRIP, ""); }  // Python's str.strip()
  function save() {
    if (editing === null) return;
    var sid = editing;
    var en = doc.getElementById("en" + sid);
    var text = pyStrip((en.innerText || en.textContent || "").replace(/[\r\n\u2028\u2029\u0085]+/g, " "));
    if (!text) { toast("An empty translation is not saved: type the English, or press Esc."); return; }
    if (text === pyStrip(machineShown(sid))) {
      delete state.edits[sid];
    } else {
      state.edits[sid] = { text: text, machine: records[parseInt(sid, 10)].target, at: new Date().toISOString() };
    }
    editing = null;
    persist();
    renderEn(sid);
    refreshCounts();
    setCurrent(sid);
    en.focus({ preventScroll: true });
    toast(state.edits[sid] ? "Correction kept." : "Back to the machine translation.");
  }
  function cancel() {
    if (editing === null) return;
    var sid = editing;
    editing = null;
    renderEn(sid);
    var en = doc.getElementById("en" + sid);
    if (en) en.focus({ preventScroll: true });
  }
  function revert(sid) {
    if (sid === null || !state.edits[sid]) return;
    delete state.edits[sid];
    persist();
    renderEn(sid);
    refreshCounts();
  }
  doc.addEventListener("paste", function (e) {
    var t = e.target && e.target.closest ? e.target.closest("main .s[contenteditable]") : null;
    if (!t || t.contentEditable === "plaintext-only") return;
    e.preventDefault();
    var plain = (e.clipboardData && e.clipboardData.getData("text/plain")) || "";
    doc.execCommand("insertText", false, plain);
  });
  doc.addEventListener("blur", function () { /* a correction stays open until saved or cancelled */ }, true);

  // ---------- copy with German original ----------
  function pairText(sid) {
    var rec = records[parseInt(sid, 10)];
    if (!rec) return "";
    var edited = !!state.edits[sid];
    var src = data.source || {};
    var where = [src.title, src.url].filter(function (x) { return x; }).join(", ");
    return pyStrip(textOf(sid)) + "\n" +
      "German original: " + pyStrip(rec.source) + "\n" +
      "(" + (edited ? "machine translation by dewire, corrected by hand" : "machine translation by dewire") +
      (where ? "; source: " + where : "") + ")";
  }
  function copy(sid) {
    if (sid === null || sid === undefined) { toast("Focus a sentence first."); return; }
    var text = pairText(sid);
    var done = function () { toast("Copied the pair, with the German original."); };
    var fallback = function () {
      var area = doc.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "copy-area";
      body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = doc.execCommand("copy"); } catch (err) { ok = false; }
      area.remove();
      if (ok) done(); else toast("Copying is blocked here.");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  // ---------- downloads, built here ----------
  var CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g; // translate.writers.controls.drop_controls
  var XML_ILLEGAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  function stripXml(s) { return s.replace(XML_ILLEGAL, ""); }  // translate.writers.tmx.strip_xml_illegal
  function xmlText(s) {
    return stripXml(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
  }
  function targetOf(i) {
    var e = state.edits[i];
    return e ? e.text : (records[i].target || "");
  }
  function enTxt() {
    // translate.writers.txt: paragraphs by a blank line; sentences by a space, or a line break where the source had one
    var blocks = [];
    var parts = [];
    var para = null;
    for (var i = 0; i < records.length; i++) {
      if (records[i].paragraph !== para) {
        if (para !== null) blocks.push(parts.join(""));
        parts = [];
        para = records[i].paragraph;
      }
      var t = pyStrip(targetOf(i).replace(CONTROLS, ""));
      if (t) {
        if (parts.length) parts.push(data.breaks[i] ? "\n" : " ");
        parts.push(t);
      }
    }
    if (para !== null) blocks.push(parts.join(""));
    blocks = blocks.filter(function (b) { return b; });
    return blocks.length ? blocks.join("\n\n") + "\n" : "";
  }
  function pyFloat(x) {
    if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
    var a = Math.abs(x);
    if (a >= 1e-4 && a < 1e16) return String(x);
    return x.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  function pyJson(v, floaty) {
    // Python's json.dumps(ensure_ascii=False) with dewire's line-break escapes (translate.writers.jsonl.dumps_line)
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return !isFinite(v) ? "null" : floaty ? pyFloat(v) : String(v);
    if (typeof v === "string") {
      return JSON.stringify(v).replace(/[\u0085\u2028\u2029]/g, function (ch) { return "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0"); });
    }
    if (Array.isArray(v)) return "[" + v.map(function (x) { return pyJson(x, floaty); }).join(", ") + "]";
    return "{" + Object.keys(v).map(function (k) { return JSON.stringify(k) + ": " + pyJson(v[k], k === "score"); }).join(", ") + "}";
  }
  function alignedJsonl() {
    var out = "";
    for (var i = 0; i < records.length; i++) {
      var item = {};
      var rec = records[i];
      for (var k in rec) item[k] = rec[k];
      item.target = targetOf(i);
      item.edited = !!state.edits[i];
      out += pyJson(item) + "\n";
    }
    return out;
  }
  function tmxDate(iso) {
    var d = iso ? new Date(iso) : new Date();
    if (isNaN(d.getTime())) d = new Date();
    return d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  }
  function seg(lang, text, attrs) {
    var s = stripXml(text);
    return "      <tuv xml:lang=\"" + lang + "\"" + (attrs || "") + ">\n" +
      (s ? "        <seg>" + xmlText(s) + "</seg>\n" : "        <seg />\n") + "      </tuv>\n";
  }
  function tmx() {
    // translate.writers.tmx (TMX 1.4b): same header and <tu> layout; a corrected <tu> keeps the
    // machine translation in a <note> and dates its English <tuv> (changedate, TMX 1.4b §3.2).
    var out = data.tmx_head || "";
    for (var i = 0; i < records.length; i++) {
      var rec = records[i];
      var e = state.edits[i];
      out += "    <tu tuid=\"" + rec.sentence + "\">\n";
      out += "      <prop type=\"x-paragraph\">" + rec.paragraph + "</prop>\n";
      out += "      <prop type=\"x-kind\">" + xmlText(String(rec.kind)) + "</prop>\n";
      if (rec.flags && rec.flags.length) out += "      <prop type=\"x-flags\">" + xmlText(rec.flags.join(" ")) + "</prop>\n";
      if (e) out += "      <note>" + xmlText("machine translation: " + (rec.target || "")) + "</note>\n";
      out += seg("de", rec.source || "");
      out += seg("en", targetOf(i), e ? " changedate=\"" + tmxDate(e.at) + "\"" : "");
      out += "    </tu>\n";
    }
    return out + (data.tmx_tail || "");
  }
  function stem() {
    var last = decodeURIComponent((location.pathname || "").split("/").pop() || "");
    var suffix = ".report.html";
    return last.slice(-suffix.length) === suffix ? last.slice(0, -suffix.length) : (data.name || "report");
  }
  function download(kind) {
    var made = kind === "txt" ? [enTxt(), ".corrected.en.txt", "text/plain"]
      : kind === "jsonl" ? [alignedJsonl(), ".corrected.aligned.jsonl", "application/jsonl"]
      : [tmx(), ".corrected.tmx", "application/x-tmx+xml"];
    var blob = new Blob([made[0]], { type: made[2] + ";charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = doc.createElement("a");
    a.href = url;
    a.download = stem() + made[1];
    a.hidden = true;
    body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }
  // for tests and for anyone who wants the text without a file
  window.dewireReview = { enTxt: enTxt, alignedJsonl: alignedJsonl, tmx: tmx, pairText: pairText };

  if (panel) {
    panel.addEventListener("click", function (e) {
      var b = e.target && e.target.closest ? e.target.closest("button") : null;
      if (!b) return;
      if (b.hasAttribute("data-download")) { download(b.getAttribute("data-download")); return; }
      if (b.id === "edit-current") { edit(current); return; }
      if (b.id === "copy-current") { copy(current); return; }
      if (b.id === "clear-edits") {
        if (!countEdits()) { toast("No corrections."); return; }
        if (b.getAttribute("data-armed") !== "1") {
          b.setAttribute("data-armed", "1");
          b.textContent = "Clear all? Click again";
          setTimeout(function () { b.removeAttribute("data-armed"); b.textContent = "Clear corrections"; }, 4000);
          return;
        }
        b.removeAttribute("data-armed");
        b.textContent = "Clear corrections";
        var ids = Object.keys(state.edits);
        state.edits = {};
        persist();
        ids.forEach(renderEn);
        refreshCounts();
        toast("Corrections cleared.");
      }
    });
  }

  // ---------- show only flagged, layout, view ----------
  var onlyFlagged = doc.getElementById("only-flagged");
  function setFiltered(on) {
    body.classList.toggle("only-flagged", !!on);
    if (onlyFlagged) onlyFlagged.checked = !!on;
    var none = doc.getElementById("no-flags");
    if (none) none.hidden = !(on && !doc.querySelector("main .row.has-flag"));
  }
  if (onlyFlagged) onlyFlagged.addEventListener("change", function () { setFiltered(onlyFlagged.checked); });
  function checkRadio(name, value) {
    var el = doc.querySelector('input[name="' + name + '"][value="' + value + '"]');
    if (el) el.checked = true;
  }
  var radios = doc.querySelectorAll('.controls input[type="radio"]');
  for (var q = 0; q < radios.length; q++) {
    radios[q].addEventListener("change", function (e) {
      if (!e.target.checked) return;
      body.setAttribute(e.target.name === "layout" ? "data-layout" : "data-view", e.target.value);
    });
  }

  // ---------- keys ----------
  doc.addEventListener("keydown", function (e) {
    var t = e.target;
    if (editing !== null && t && t.isContentEditable) {
      if (e.isComposing) return;  // Enter that ends an input-method composition is not a save
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); save(); }
      else if (e.key === "Escape") { e.preventDefault(); cancel(); }
      return;
    }
    if (e.key === "Escape") {
      hovered = null;
      if (doc.activeElement && doc.activeElement.blur) doc.activeElement.blur();
      focused = null;
      update();
      return;
    }
    var b = bulletOf(t);
    if (b && e.key === "Enter" && t === b) {
      // Jump to the first supporting English sentence.
      var ids = supportOf(b);
      var first = ids.length ? doc.getElementById("en" + ids[0]) : null;
      if (first) {
        e.preventDefault();
        first.focus({ preventScroll: true });
        first.scrollIntoView({ block: "center" });
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(t)) return;
    var s = sentenceOf(t);
    var handled = true;
    switch (e.key) {
      case "j": step(1, false); break;
      case "k": step(-1, false); break;
      case "n": step(1, true); break;
      case "p": step(-1, true); break;
      case "f": if (onlyFlagged && !onlyFlagged.disabled) setFiltered(!onlyFlagged.checked); break;
      case "r": setReview(!state.review); break;
      case "e": edit(s ? s.getAttribute("data-sid") : current); break;
      case "c": copy(s ? s.getAttribute("data-sid") : current); break;
      case "u": if (s && state.review) { revert(s.getAttribute("data-sid")); } else { handled = false; } break;
      case "?": {
        var keys = doc.getElementById("keys");
        if (keys) { keys.open = !keys.open; if (keys.open) keys.scrollIntoView({ block: "nearest" }); }
        break;
      }
      case "Enter":
        if (s && state.review) edit(s.getAttribute("data-sid")); else handled = false;
        break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });
  // Following a brief reference link moves focus to the sentence, so it and its partner light up.
  doc.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest(".refs a") : null;
    if (!a) return;
    var s = doc.getElementById(a.getAttribute("href").slice(1));
    if (s) {
      e.preventDefault();
      s.focus({ preventScroll: true });
      s.scrollIntoView({ block: "center" });
    }
  });
})();
