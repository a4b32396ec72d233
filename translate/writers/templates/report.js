(function () {
  "use strict";
  // Sentence alignment you can see: the element under the pointer (else the
  // focused one) decides what is lit. A sentence lights itself and its partner
  // ("hl"); a brief bullet lights its supporting sentences on both sides ("sup").
  var bySid = Object.create(null);
  var spans = document.querySelectorAll(".s[data-sid]");
  for (var i = 0; i < spans.length; i++) {
    var sid = spans[i].getAttribute("data-sid");
    (bySid[sid] || (bySid[sid] = [])).push(spans[i]);
  }
  var reason = document.getElementById("reason");
  var lit = [];
  var litBullet = null;
  var hovered = null;
  var focused = null;

  function sentenceOf(node) {
    return node && node.closest ? node.closest(".s[data-sid]") : null;
  }
  function bulletOf(node) {
    return node && node.closest ? node.closest(".bullet") : null;
  }
  function supportOf(bullet) {
    var ids = (bullet.getAttribute("data-support") || "").split(" ");
    return ids.filter(function (x) { return x !== ""; });
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
  // The reasons of a flagged sentence (or bullet) are shown in a status strip.
  function explain(marks, text) {
    if (!reason) return;
    reason.textContent = "";
    if (!text) { reason.hidden = true; return; }
    for (var j = 0; j < marks.length; j++) {
      var m = document.createElement("span");
      m.className = "mark";
      m.textContent = marks[j].textContent;
      reason.appendChild(m);
    }
    reason.appendChild(document.createTextNode(text));
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
        var why = document.getElementById("why" + sid);
        var en = document.getElementById("en" + sid);
        explain(en ? en.querySelectorAll(".mark") : [], why ? why.textContent : "");
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
  document.addEventListener("pointerover", function (e) { hovered = e.target; update(); });
  document.addEventListener("pointerout", function (e) {
    if (!e.relatedTarget) { hovered = null; update(); }
  });
  document.addEventListener("focusin", function (e) { focused = e.target; update(); });
  document.addEventListener("focusout", function (e) { focused = e.relatedTarget || null; update(); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      hovered = null;
      if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
      focused = null;
      update();
      return;
    }
    var b = bulletOf(e.target);
    if (b && e.key === "Enter" && e.target === b) {
      // Jump to the first supporting English sentence.
      var ids = supportOf(b);
      var first = ids.length ? document.getElementById("en" + ids[0]) : null;
      if (first) {
        e.preventDefault();
        first.focus({ preventScroll: true });
        first.scrollIntoView({ block: "center" });
      }
    }
  });
  // Following a brief reference link moves focus to the sentence, so it and its partner light up.
  document.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest(".refs a") : null;
    if (!a) return;
    var s = document.getElementById(a.getAttribute("href").slice(1));
    if (s) {
      e.preventDefault();
      s.focus({ preventScroll: true });
      s.scrollIntoView({ block: "center" });
    }
  });

  // English only / German only / both.
  var radios = document.querySelectorAll('.view input[name="view"]');
  for (var r = 0; r < radios.length; r++) {
    radios[r].addEventListener("change", function (e) {
      if (e.target.checked) document.body.setAttribute("data-view", e.target.value);
    });
  }
})();
