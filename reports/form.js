/* Offline answer form of assess: keeps a draft in local storage, applies the questionnaire's
   conditions live, validates the facts and downloads an answer file (JSON) that assess reads.
   Inlined into the page by assess.capture.form; must not contain a closing-tag sequence. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("assess-data").textContent);
  var UI = DATA.ui;
  var KEY = "assess-form:" + DATA.ref + ":" + DATA.form_id;
  var SPECIAL = ["unknown", "not_applicable"];
  var QUESTIONS = DATA.questions;
  var BY_ID = {};
  QUESTIONS.forEach(function (q) { BY_ID[q.id] = q; });
  var form = document.getElementById("assess-form");
  var state = emptyState();

  function $(id) { return document.getElementById(id); }
  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return values[key] !== undefined ? String(values[key]) : match;
    });
  }
  // A text with a count in the right grammatical number: UI texts with a count are {one, other}
  // (and "zero" where 0 reads better), e.g. "1 Frage ist noch offen" / "3 Fragen sind noch offen".
  function plural(key, count, values) {
    var forms = UI[key];
    var text = typeof forms === "string" ? forms
      : count === 0 && forms.zero ? forms.zero : count === 1 ? forms.one : forms.other;
    return fmt(text, values);
  }
  function has(list, value) { return list.indexOf(value) >= 0; }
  function asList(value) { return Array.isArray(value) ? value : [value]; }

  // Today on this computer (the day the form is filled in, not the day it was made).
  function today() {
    var d = new Date();
    if (isNaN(d.getTime())) { return DATA.today; }
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function emptyState() {
    return {
      municipality: { name: "", population: "", state: "", ags: "" },
      respondent: { name: "", role: "" },
      date: today(), priorities: {}, targets: {}, answers: {}, states: {}, typed: {}, comments: {}, evidence: {}, saved: ""
    };
  }

  function fromSaved(saved) {
    var s = emptyState();
    ["municipality", "respondent", "priorities", "targets", "answers", "states", "typed", "comments", "evidence"].forEach(function (key) {
      if (saved[key] && typeof saved[key] === "object") {
        Object.keys(saved[key]).forEach(function (k) { s[key][k] = saved[key][k]; });
      }
    });
    if (typeof saved.date === "string" && saved.date) { s.date = saved.date; }
    s.saved = saved.saved || "";
    return s;
  }

  // --- numbers as people type them: 12000, 12.000, 1,5 ----------------------------------------

  function parseNumber(raw, integer) {
    var text = String(raw === undefined || raw === null ? "" : raw).replace(/\u00a0/g, " ").trim();
    if (!text) { return null; }
    var negative = text.charAt(0) === "-";
    text = text.replace(/^-/, "").trim();
    if (/^\d{1,3}([.,' ]\d{3})+$/.test(text)) {
      text = text.replace(/[.,' ]/g, "");
    } else {
      text = text.replace(/ /g, "").replace(",", ".");
    }
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) { return null; }
    var value = Number(text) * (negative ? -1 : 1);
    if (!isFinite(value)) { return null; }
    if (integer && Math.floor(value) !== value) { return null; }
    return value;
  }

  function showNumber(value) {
    var text = String(value);
    // 1e-7 as 0.0000001: what people type, and what parseNumber reads back.
    if (/e/i.test(text) && Math.abs(value) < 1) { text = value.toFixed(20).replace(/0+$/, "").replace(/\.$/, ""); }
    return DATA.lang === "de" ? text.replace(".", ",") : text;
  }

  // --- conditions, as assess.conditions.evaluate (three-valued; shared test vectors keep them equal) --

  // true, false, or null when open answers ("weiß nicht", not yet answered) decide it.
  function evaluate(c, answers, skipped) {
    if (!c) { return true; }
    if (c.all || c.any) {
      var decisive = !!c.any;  // one true decides any, one false decides all
      var results = (c.all || c.any).map(function (p) { return evaluate(p, answers, skipped); });
      if (has(results, decisive)) { return decisive; }
      return has(results, null) ? null : !decisive;
    }
    if (c.not) {
      var inner = evaluate(c.not, answers, skipped);
      return inner === null ? null : !inner;
    }
    var value = answers[c.question];
    var absent = !!skipped[c.question];
    var missing = value === undefined || value === null;
    if (c.op === "answered") {
      var real = !absent && !missing && !has(SPECIAL, value);
      return real === (c.operand !== false);
    }
    if (absent || value === "not_applicable") { return false; }
    if (missing || value === "unknown") { return null; }
    var op = c.op, operand = c.operand, list = Array.isArray(value);
    if (op === "in" || op === "not_in") {
      var inside = list ? value.some(function (v) { return has(asList(operand), v); }) : has(asList(operand), value);
      return op === "in" ? inside : !inside;
    }
    if (op === "equals") {
      if (!list) { return value === operand; }
      var want = asList(operand);
      return value.length === want.length && value.every(function (v, i) { return v === want[i]; });
    }
    if (op === "includes") {
      return list && asList(operand).every(function (w) { return has(value, w); });
    }
    if (op === "at_least" || op === "at_most") {
      if (typeof value !== "number") { return false; }
      return op === "at_least" ? value >= operand : value <= operand;
    }
    return false;
  }

  // A question is asked only when its condition certainly holds, as in assess.scoring.
  function holds(c, answers, skipped) { return evaluate(c, answers, skipped) === true; }

  function skippedSet(answers) {
    var skipped = {};
    QUESTIONS.forEach(function (q) {
      if (q.when && !holds(q.when, answers, skipped)) { skipped[q.id] = true; }
    });
    return skipped;
  }

  // --- page -> state -----------------------------------------------------------------------------

  function fieldsetOf(id) { return $("q-" + id); }
  function controls(id) { return all(fieldsetOf(id), "[name=\"" + id + "\"]"); }

  function readQuestion(q) {
    var els = controls(q.id);
    var ticked = els.filter(function (e) { return (e.type === "radio" || e.type === "checkbox") && e.checked; })
      .map(function (e) { return e.value; });
    var special = ticked.filter(function (v) { return has(SPECIAL, v); });
    delete state.typed[q.id];
    if (special.length) { return special[0]; }
    if (q.type === "single") { return ticked.length ? ticked[0] : null; }
    if (q.type === "yesno") { return ticked.length ? ticked[0] === "true" : null; }
    if (q.type === "multi") { return ticked.length ? ticked : null; }
    var field = els.filter(function (e) { return e.type === "text" || e.tagName === "TEXTAREA"; })[0];
    if (q.type === "number") {
      if (!field.value.trim()) { return null; }
      var number = parseNumber(field.value, false);
      if (number === null) { state.typed[q.id] = field.value; }
      return number;
    }
    return field.value.trim() ? field.value : null;
  }

  function readAll() {
    all(form, "[data-fact]").forEach(function (el) {
      var key = el.getAttribute("data-fact");
      if (key === "date") { state.date = el.value; }
      else if (key === "respondent") { state.respondent.name = el.value; }
      else if (key === "role") { state.respondent.role = el.value; }
      else { state.municipality[key] = el.value; }
    });
    all(form, "[data-priority]").forEach(function (el) {
      var dim = el.getAttribute("data-priority");
      if (el.value) { state.priorities[dim] = el.value; } else { delete state.priorities[dim]; }
    });
    QUESTIONS.forEach(function (q) {
      var value = readQuestion(q);
      if (value === null) { delete state.answers[q.id]; } else { state.answers[q.id] = value; }
    });
    all(form, "[data-comment]").forEach(function (el) {
      var id = el.getAttribute("data-comment");
      if (el.value.trim()) { state.comments[id] = el.value; } else { delete state.comments[id]; }
    });
    all(form, "[data-state]").forEach(function (el) { readState(el.getAttribute("data-state")); });
  }

  // --- answer states: planned, in progress (with an optional month), outdated (with the year) ----------
  // Which states a question offers and from which answers is assess.answers' rule, sent as q.states and
  // q.improvable; the answer file carries progress/until/outdated and assess checks them on reading.

  function readState(id) {
    var kind = $("s-" + id).value, before = state.states[id] || {};
    if (!kind) { delete state.states[id]; return; }
    var s = kind === "outdated" ? { outdated: $("s-" + id + "-year").value.trim() }
      : { progress: kind, until: $("s-" + id + "-until").value.trim() };
    // A target named in a loaded answer file (toward) stays while the state is the same kind.
    if (s.progress && before.progress && before.toward !== undefined && before.toward !== null) { s.toward = before.toward; }
    state.states[id] = s;
  }

  function writeState(id) {
    var s = state.states[id] || {};
    $("s-" + id).value = s.progress || (s.outdated !== undefined && s.outdated !== null && s.outdated !== "" ? "outdated" : "");
    $("s-" + id + "-until").value = s.until || "";
    $("s-" + id + "-year").value = s.outdated !== undefined && s.outdated !== null ? String(s.outdated) : "";
  }

  // Show the state controls that fit today's answer; drop a state the answer can no longer have.
  function showState(q, skipped) {
    var box = $("s-" + q.id + "-box");
    if (!box) { return; }
    var value = state.answers[q.id];
    var real = value !== undefined && value !== null && !has(SPECIAL, value) && !skipped[q.id];
    var progress = real && has(q.improvable, value);
    var select = $("s-" + q.id);
    all(select, "option").forEach(function (o) {
      if (o.value === "planned" || o.value === "in_progress") { o.disabled = !progress; o.hidden = !progress; }
    });
    var s = state.states[q.id];
    if (s && (!real || (s.progress && !progress))) { delete state.states[q.id]; writeState(q.id); }
    box.hidden = !real || (!progress && !has(q.states, "outdated"));
    box.querySelector(".state-until").hidden = !(state.states[q.id] && state.states[q.id].progress);
    box.querySelector(".state-year").hidden = !(state.states[q.id] && !state.states[q.id].progress);
  }

  // --- state -> page -----------------------------------------------------------------------------

  function writeAll() {
    all(form, "[data-fact]").forEach(function (el) {
      var key = el.getAttribute("data-fact");
      var value = key === "date" ? state.date : key === "respondent" ? state.respondent.name
        : key === "role" ? state.respondent.role : state.municipality[key];
      el.value = value === undefined || value === null ? "" : String(value);
    });
    all(form, "[data-priority]").forEach(function (el) {
      el.value = state.priorities[el.getAttribute("data-priority")] || "";
    });
    QUESTIONS.forEach(function (q) {
      var value = state.answers[q.id];
      controls(q.id).forEach(function (e) {
        if (e.type === "radio" || e.type === "checkbox") {
          e.checked = value !== undefined && value !== null && (Array.isArray(value) ? has(value, e.value) : String(value) === e.value);
        } else if (q.type === "number") {
          e.value = state.typed[q.id] !== undefined ? state.typed[q.id]
            : (typeof value === "number" ? showNumber(value) : "");
        } else {
          e.value = typeof value === "string" ? value : "";
        }
      });
    });
    all(form, "[data-comment]").forEach(function (el) {
      var id = el.getAttribute("data-comment");
      el.value = state.comments[id] || "";
      if (el.value) { el.parentNode.open = true; }
    });
    all(form, "[data-state]").forEach(function (el) { writeState(el.getAttribute("data-state")); });
  }

  // A special answer, an exclusive option ("none of these") and the other options exclude each other.
  function keepExclusive(target) {
    var box = target.closest ? target.closest("fieldset.question") : null;
    if (!box || target.type !== "checkbox" && target.type !== "text") { return; }
    var id = box.getAttribute("data-question");
    var els = controls(id);
    if (target.type === "text") {
      if (target.value.trim()) { els.forEach(function (e) { if (e.type === "checkbox") { e.checked = false; } }); }
      return;
    }
    if (!target.checked) { return; }
    var alone = target.hasAttribute("data-special") || target.hasAttribute("data-exclusive");
    els.forEach(function (e) {
      if (e === target) { return; }
      if (e.type === "text") { if (alone) { e.value = ""; } return; }
      if (alone || e.hasAttribute("data-special") || e.hasAttribute("data-exclusive")) { e.checked = false; }
    });
  }

  // --- progress and visibility -------------------------------------------------------------------

  function update() {
    var skipped = skippedSet(state.answers);
    var answered = 0, total = 0, perDim = {};
    QUESTIONS.forEach(function (q) {
      var hide = !!skipped[q.id];
      fieldsetOf(q.id).hidden = hide;
      showState(q, skipped);
      var d = perDim[q.dimension] || (perDim[q.dimension] = { answered: 0, total: 0 });
      if (hide) { return; }
      total += 1; d.total += 1;
      if (state.answers[q.id] !== undefined) { answered += 1; d.answered += 1; }
    });
    all(form, ".group").forEach(function (g) {
      g.hidden = all(g, "fieldset.question").every(function (f) { return f.hidden; });
    });
    var text = plural("progress", total, { answered: answered, total: total });
    $("progress-text").textContent = text;
    $("progress-text-end").textContent = text;
    $("progress-fill").style.width = (total ? Math.round(100 * answered / total) : 100) + "%";
    $("progress-bar").setAttribute("aria-valuenow", String(answered));
    $("progress-bar").setAttribute("aria-valuemax", String(total));
    all(document, "[data-count]").forEach(function (el) {
      var d = perDim[el.getAttribute("data-count")] || { answered: 0, total: 0 };
      el.textContent = d.answered + "/" + d.total;
    });
    return { answered: answered, total: total, skipped: skipped };
  }

  // --- local storage ------------------------------------------------------------------------------

  function timeText(iso, withDate) {
    var date = new Date(iso);
    var locale = DATA.lang === "en" ? "en-GB" : "de-DE";
    var options = withDate ? { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" } : { hour: "2-digit", minute: "2-digit" };
    try { return date.toLocaleString(locale, options); } catch (e) { return iso; }
  }

  function save() {
    if (SERVER) { serverSave(); return; }
    state.saved = new Date().toISOString();
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
      $("draft-status").textContent = fmt(UI.draft_saved, { time: timeText(state.saved, false) });
    } catch (e) {
      $("draft-status").textContent = UI.draft_failed;
    }
  }

  function restore() {
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }
    if (saved && typeof saved === "object" && saved.answers) {
      state = fromSaved(saved);
      if (saved.saved) { $("draft-status").textContent = fmt(UI.draft_restored, { time: timeText(saved.saved, true) }); }
    } else if (DATA.prefill) {
      state = fromSaved(DATA.prefill);
    }
  }

  // --- validation --------------------------------------------------------------------------------

  function setError(input, errorId, message) {
    var box = $(errorId);
    if (message) {
      box.textContent = message; box.hidden = false;
      if (input) { input.setAttribute("aria-invalid", "true"); }
    } else {
      box.textContent = ""; box.hidden = true;
      if (input) { input.removeAttribute("aria-invalid"); }
    }
  }

  function checkFact(key) {
    var input = $("f-" + key);
    var value = (input.value || "").trim(), message = "";
    if (key === "name" && !value) { message = UI.err_name; }
    if (key === "population") {
      var n = parseNumber(value, true);
      if (n === null || n <= 0) { message = UI.err_population; }
    }
    if (key === "ags" && value && !/^\d{8}$/.test(value.replace(/ /g, ""))) { message = UI.err_ags; }
    setError(input, "e-f-" + key, message);
    return message ? { input: input, message: message } : null;
  }

  // A due date as the answer reader takes it (2027-06 or 2027-06-30); 06/2027 and 30.06.2027 are turned
  // into that form, as the interview and the workbook do; anything else is null.
  function dueDate(text) {
    var m = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(text) || null, day;
    var pad = function (n) { return (Number(n) < 10 ? "0" : "") + Number(n); };
    if (!m && (m = /^(\d{1,2})[./](\d{4})$/.exec(text))) { m = [text, m[2], m[1]]; }
    if (!m && (m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text))) { m = [text, m[3], m[2], m[1]]; }
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) { return null; }
    day = m[3] ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
    if (day && day.getDate() !== Number(m[3])) { return null; }
    return m[1] + "-" + pad(m[2]) + (m[3] ? "-" + pad(m[3]) : "");
  }

  function checkQuestion(q, skipped) {
    var s = state.states[q.id], label = function () { return fieldsetOf(q.id).querySelector("legend .text").textContent; };
    if (s && !s.progress && !skipped[q.id]) {
      var year = $("s-" + q.id + "-year"), n = Number(s.outdated);
      var bad = !/^\d{4}$/.test(String(s.outdated)) || n < DATA.outdated_since || n > Number(state.date.slice(0, 4) || today().slice(0, 4));
      setError(year, "e-" + q.id, bad ? UI.err_year : "");
      if (bad) { return { input: year, message: UI.err_year, label: label() }; }
    } else if ($("s-" + q.id + "-year")) {
      setError($("s-" + q.id + "-year"), "e-" + q.id, "");
    }
    var until = $("s-" + q.id + "-until");
    if (until && s && s.progress && s.until && !skipped[q.id]) {
      var due = dueDate(s.until);
      if (due) { s.until = due; }
      setError(until, "e-" + q.id, due ? "" : UI.err_until);
      if (!due) { return { input: until, message: UI.err_until, label: label() }; }
    } else if (until) {
      setError(until, "e-" + q.id, "");
    }
    if (q.type !== "number") { return null; }
    var input = $("q-" + q.id + "-number");
    var bad = !skipped[q.id] && state.typed[q.id] !== undefined;
    setError(input, "e-" + q.id, bad ? UI.err_number : "");
    return bad ? { input: input, message: UI.err_number, label: fieldsetOf(q.id).querySelector("legend .text").textContent } : null;
  }

  function validateAll(skipped) {
    var problems = [];
    ["name", "population", "ags"].forEach(function (key) {
      var p = checkFact(key);
      if (p) { problems.push(p); }
    });
    QUESTIONS.forEach(function (q) {
      var p = checkQuestion(q, skipped);
      if (p) { problems.push(p); }
    });
    return problems;
  }

  // --- messages ----------------------------------------------------------------------------------

  function message(lines, bad, links, quiet) {
    var box = $("messages");
    box.textContent = "";
    // An error list is checked again on every change and goes once everything in it is fixed.
    box.setAttribute("data-kind", links && links.length ? "errors" : "");
    var div = document.createElement("div");
    if (bad) { div.className = "bad"; }
    asList(lines).forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      div.appendChild(p);
    });
    if (links && links.length) {
      var ul = document.createElement("ul");
      links.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "#" + item.input.id;
        a.textContent = item.label ? item.label + ": " + item.message : item.message;
        a.addEventListener("click", function (event) { event.preventDefault(); item.input.focus(); });
        li.appendChild(a);
        ul.appendChild(li);
      });
      div.appendChild(ul);
    }
    box.appendChild(div);
    if (!quiet) { box.scrollIntoView({ block: "nearest" }); }
  }

  // --- the answer file ---------------------------------------------------------------------------

  function slug(text) {
    var s = String(text).toLowerCase().replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss");
    if (s.normalize) { s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, ""); }
    return s.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "gemeinde";
  }

  function answerFile(skipped) {
    var m = state.municipality;
    var municipality = { name: m.name.trim() };
    var ags = (m.ags || "").replace(/ /g, "");
    if (ags) { municipality.ags = ags; }
    if (m.state) { municipality.state = m.state; }
    municipality.population = parseNumber(m.population, true);
    var data = { questionnaire: DATA.ref, municipality: municipality };
    if (state.date) { data.date = state.date; }
    var person = state.respondent;
    if ((person.name || "").trim() || (person.role || "").trim()) {
      data.respondents = [person.role.trim() ? { name: person.name.trim(), role: person.role.trim() } : { name: person.name.trim() }];
    }
    var priorities = {};
    DATA.dimensions.forEach(function (d) { if (state.priorities[d]) { priorities[d] = Number(state.priorities[d]); } });
    if (Object.keys(priorities).length) { data.priorities = priorities; }
    if (Object.keys(state.targets).length) { data.targets = state.targets; }
    var answers = {};
    QUESTIONS.forEach(function (q) {
      var value = state.answers[q.id];
      if (value === undefined || value === null || skipped[q.id]) { return; }
      var comment = (state.comments[q.id] || "").trim(), evidence = state.evidence[q.id];
      var s = has(SPECIAL, value) ? null : state.states[q.id];
      if (comment || evidence || s) {
        var entry = { value: value }, fields = s ? answerState(s) : {};
        Object.keys(fields).forEach(function (k) { entry[k] = fields[k]; });
        if (comment) { entry.comment = comment; }
        if (evidence) { entry.evidence = evidence; }
        answers[q.id] = entry;
      } else {
        answers[q.id] = value;
      }
    });
    data.answers = answers;
    return JSON.stringify(data, null, 2) + "\n";
  }

  // A state as an answer file writes it (the same fields the server takes).
  function answerState(s) {
    if (s.progress) {
      var out = { progress: s.progress };
      if (s.toward !== undefined && s.toward !== null) { out.toward = s.toward; }
      if (s.until) { out.until = s.until; }
      return out;
    }
    return { outdated: /^\d{4}$/.test(String(s.outdated)) ? Number(s.outdated) : s.outdated };
  }

  function download() {
    readAll();
    var info = update();
    var problems = validateAll(info.skipped);
    if (problems.length) {
      message(UI.err_summary, true, problems);
      problems[0].input.focus();
      return;
    }
    save();
    var name = (DATA.lang === "en" ? "answers-" : "antworten-") + slug(state.municipality.name) + ".json";
    var blob = new Blob([answerFile(info.skipped)], { type: "application/json" });
    var url = window.URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    window.setTimeout(function () { window.URL.revokeObjectURL(url); link.parentNode.removeChild(link); }, 2000);
    message(plural("downloaded", info.total - info.answered, { file: name, open: info.total - info.answered }), false);
  }

  // --- loading an earlier answer file ------------------------------------------------------------
  // A file may come from anywhere: each part is checked by the rules of assess.answers (the shared
  // vectors in tests/data/load-vectors.json keep both equal), kept in its normal form or left out
  // and named, so that the file downloaded afterwards is always one assess reads.

  var JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
  var LARGEST_NUMBER = 1e15;
  var YES_NO = { ja: true, nein: false };
  var TOP_KEYS = ["questionnaire", "municipality", "date", "respondents", "priorities", "targets", "answers", "$schema"];
  var INVALID = {};  // marks a value that is not valid where it stands

  function isMapping(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }
  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  // The answer as assess.answers.check_value normalises it, or INVALID.
  function checkValue(q, raw) {
    if (raw === "unknown" || raw === "not_applicable") { return has(q.accepts, raw) ? raw : INVALID; }
    if ((q.type === "single" || q.type === "multi") && asList(raw).some(function (v) { return typeof v === "boolean"; })) {
      return INVALID;
    }
    if (q.type === "single") {
      var id = typeof raw === "string" || (typeof raw === "number" && Math.floor(raw) === raw) ? String(raw) : null;
      return id !== null && has(q.options, id) ? id : INVALID;
    }
    if (q.type === "multi") {
      var items = asList(raw), chosen = [];
      if (!items.every(function (v) { return typeof v === "string" && has(q.options, v); })) { return INVALID; }
      items.forEach(function (v) { if (!has(chosen, v)) { chosen.push(v); } });
      if (chosen.length > 1 && chosen.some(function (v) { return has(q.exclusive, v); })) { return INVALID; }
      return chosen;
    }
    if (q.type === "yesno") {
      var word = typeof raw === "string" ? raw.trim().toLowerCase() : "";
      if (own(YES_NO, word)) { return YES_NO[word]; }
      return typeof raw === "boolean" ? raw : INVALID;
    }
    if (q.type === "number") {
      if (typeof raw === "string" && JSON_NUMBER.test(raw.trim())) { raw = Number(raw.trim()); }
      return typeof raw === "number" && isFinite(raw) && Math.abs(raw) <= LARGEST_NUMBER ? raw : INVALID;
    }
    return checkText(raw);
  }

  // A text field (assess.yamlfile.Checker.string): text, or a number written as text.
  function checkText(raw) {
    if (typeof raw === "string") { return raw; }
    return typeof raw === "number" && isFinite(raw) ? String(raw) : INVALID;
  }

  // A whole number from low to high (priorities 1–5, targets 1 to the number of levels).
  function checkLevel(raw, low, high) {
    return typeof raw === "number" && Math.floor(raw) === raw && raw >= low && raw <= high ? raw : INVALID;
  }

  // A real day written YYYY-MM-DD.
  function checkDay(raw) {
    var m = typeof raw === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw) : null;
    if (!m) { return INVALID; }
    var year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
    var leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    return year >= 1 && days && day >= 1 && day <= days ? raw : INVALID;
  }

  // A federal state as its code (BY), from the code or the name, as the page's list has them.
  function checkState(raw) {
    if (typeof raw !== "string") { return INVALID; }
    var wanted = raw.trim().toLowerCase(), found = INVALID;
    all($("f-state"), "option").forEach(function (o) {
      if (o.value && (o.value.toLowerCase() === wanted || o.textContent.trim().toLowerCase() === wanted)) { found = o.value; }
    });
    return found;
  }

  // At most 20 names, then how many more: a file with thousands of stray keys stays readable.
  function named(items) {
    var shown = items.slice(0, 20).map(function (item) { return item.length > 60 ? item.slice(0, 59) + "…" : item; });
    return shown.join(", ") + (items.length > 20 ? " " + fmt(UI.load_more, { count: items.length - 20 }) : "");
  }

  function loadData(data, fileName) {
    if (!isMapping(data) || typeof data.questionnaire !== "string") {
      message(fmt(UI.load_bad, { file: fileName }), true);
      return;
    }
    var parts = data.questionnaire.split("@");
    if (parts[0] !== DATA.id) {
      message(fmt(UI.load_other, { found: data.questionnaire, expected: DATA.ref }), true);
      return;
    }
    var notes = [], unknown = [], invalid = [], next = emptyState();
    // The checked value, or undefined with `name` noted as not valid.
    function take(raw, check, name) {
      if (raw === undefined || raw === null) { return undefined; }
      var value = check(raw);
      if (value === INVALID) { invalid.push(name); return undefined; }
      return value;
    }
    function mapping(raw, name) {
      if (raw === undefined || raw === null) { return {}; }
      if (!isMapping(raw)) { invalid.push(name); return {}; }
      return raw;
    }
    Object.keys(data).forEach(function (key) { if (!has(TOP_KEYS, key)) { unknown.push(key); } });
    var m = mapping(data.municipality, "municipality");
    Object.keys(m).forEach(function (key) {
      if (!has(["name", "population", "state", "ags"], key)) { unknown.push("municipality." + key); }
    });
    // Population and AGS are shown as typed: the form checks them, with a message, before a download.
    var name = take(m.name, checkText, "municipality.name");
    var population = take(m.population, checkText, "municipality.population");
    var ags = take(m.ags, checkText, "municipality.ags");
    var region = take(m.state, checkState, "municipality.state");
    next.municipality = { name: name || "", population: population || "", state: region || "", ags: ags || "" };
    var people = data.respondents;
    if (people !== undefined && people !== null && !Array.isArray(people)) { invalid.push("respondents"); people = []; }
    var person = mapping(people && people.length ? people[0] : null, "respondents");
    next.respondent = { name: take(person.name, checkText, "respondents.name") || "",
                        role: take(person.role, checkText, "respondents.role") || "" };
    var day = take(data.date, checkDay, "date");
    if (day) { next.date = day; }
    [["priorities", 5], ["targets", DATA.levels]].forEach(function (kind) {
      var raw = mapping(data[kind[0]], kind[0]);
      Object.keys(raw).forEach(function (d) {
        if (!has(DATA.dimensions, d)) { unknown.push(kind[0] + "." + d); return; }
        var level = take(raw[d], function (v) { return checkLevel(v, 1, kind[1]); }, kind[0] + "." + d);
        if (level !== undefined) { next[kind[0]][d] = kind[0] === "priorities" ? String(level) : level; }
      });
    });
    var answers = mapping(data.answers, "answers");
    var count = 0;
    Object.keys(answers).forEach(function (id) {
      var entry = answers[id], q = own(BY_ID, id) ? BY_ID[id] : null;
      if (!q) { unknown.push(id); return; }
      var detailed = isMapping(entry);
      var raw = detailed ? entry.value : entry;
      if (raw === null || raw === undefined) { return; }
      var value = take(raw, function (v) { return checkValue(q, v); }, id);
      if (value === undefined) { return; }
      next.answers[id] = value;
      count += 1;
      if (detailed) {
        Object.keys(entry).forEach(function (key) {
          if (!has(["value", "comment", "evidence", "progress", "toward", "until", "outdated"], key)) {
            unknown.push(id + "." + key);
          }
        });
        var comment = take(entry.comment, checkText, id + ".comment");
        var evidence = take(entry.evidence, checkText, id + ".evidence");
        if (comment) { next.comments[id] = comment; }
        if (evidence) { next.evidence[id] = evidence; }
        // The answer's state as the file has it; assess checks it against the questionnaire on reading.
        if (has(q.states, "planned") && (entry.progress === "planned" || entry.progress === "in_progress")) {
          var until = take(entry.until, checkText, id + ".until");
          next.states[id] = { progress: entry.progress, until: until || "" };
          var toward = take(entry.toward, function (v) { return checkValue(q, v); }, id + ".toward");
          if (toward !== undefined) { next.states[id].toward = toward; }
        } else if (has(q.states, "outdated") && entry.outdated !== undefined && entry.outdated !== null) {
          var year = take(entry.outdated, function (v) { return typeof v === "number" || typeof v === "string" ? v : INVALID; },
                          id + ".outdated");
          if (year !== undefined) { next.states[id] = { outdated: year }; }
        } else if (entry.progress !== undefined || entry.outdated !== undefined) {
          invalid.push(id + (entry.progress !== undefined ? ".progress" : ".outdated"));
        }
      }
    });
    if (parts[1] !== DATA.version) { notes.push(fmt(UI.load_version, { found: parts[1], expected: DATA.version })); }
    state = next;
    writeAll();
    update();
    save();
    var lines = [plural("loaded", count, { file: fileName, count: count })].concat(notes);
    if (unknown.length) { lines.push(fmt(UI.load_dropped, { items: named(unknown) })); }
    if (invalid.length) { lines.push(fmt(UI.load_invalid, { items: named(invalid) })); }
    message(lines, unknown.length > 0 || invalid.length > 0 || notes.length > 0);
  }

  function loadFile(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var data = null;
      try { data = JSON.parse(String(reader.result).replace(/^\uFEFF/, "")); } catch (e) { data = null; }
      loadData(data, file.name);
    };
    reader.onerror = function () { message(fmt(UI.load_bad, { file: file.name }), true); };
    reader.readAsText(file, "utf-8");
  }

  // --- server mode (assess serve): every answer goes to the server as it is given -------------
  // Only active when the page carries DATA.server = {save: URL, csrf: token}. Each changed answer or
  // priority is POSTed on its own; a failed request is retried with back-off while the browser keeps
  // unsent entries in local storage (sent again when the page is opened next).

  var SERVER = DATA.server || null;
  var serverSent = {}, serverBusy = false, serverFailures = 0, serverStopped = false;

  function serverItems(s) {
    var items = {};
    QUESTIONS.forEach(function (q) {
      var v = s.answers[q.id], given = v !== undefined && v !== null;
      var comment = given && (s.comments[q.id] || "").trim() ? s.comments[q.id] : "";
      var st = given && !has(SPECIAL, v) && s.states ? s.states[q.id] : null;
      items["q:" + q.id] = { question: q.id, value: given ? v : null, comment: comment,
        evidence: given ? (s.evidence[q.id] || "") : "", state: st ? answerState(st) : null };
    });
    DATA.dimensions.forEach(function (d) {
      items["p:" + d] = { priority: d, value: s.priorities[d] ? Number(s.priorities[d]) : null };
    });
    return items;
  }

  function serverPending() {
    var items = serverItems(state), keys = Object.keys(items);
    for (var i = 0; i < keys.length; i += 1) {
      var body = JSON.stringify(items[keys[i]]);
      if (serverSent[keys[i]] !== body) { return { key: keys[i], body: body }; }
    }
    return null;
  }

  function serverStatus(text, bad) {
    var el = $("draft-status");
    el.textContent = text;
    el.className = bad ? "error" : "muted";
  }

  function serverStore() {
    try {
      var copy = JSON.parse(JSON.stringify(state));
      copy.unsent = serverPending() !== null;
      window.localStorage.setItem(KEY, JSON.stringify(copy));
    } catch (e) { /* no local storage: the server copy is all there is */ }
  }

  function serverSave() {
    state.saved = new Date().toISOString();
    serverStore();
    serverSync();
  }

  function serverSync() {
    if (serverBusy || serverStopped) { return; }
    var next = serverPending();
    if (!next) {
      serverStore();
      serverStatus(fmt(UI.server_saved, { time: timeText(new Date().toISOString(), false) }), false);
      return;
    }
    serverBusy = true;
    serverStatus(UI.server_saving, false);
    function done(status, body) {
      serverBusy = false;
      if (status >= 200 && status < 300) {
        serverSent[next.key] = next.body;
        serverFailures = 0;
        serverSync();
      } else if (status === 404 || status === 409 || status === 410 || body.error === "csrf") {
        serverStopped = true;
        serverStatus(fmt(UI.server_stopped, { message: (body.message || "") + " " + (body.hint || "") }), true);
      } else if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        serverSent[next.key] = next.body;  // refused by the server's validation: say so, do not resend
        message(fmt(UI.server_refused, { message: body.message || String(status) }), true);
        serverSync();
      } else {
        serverFailures += 1;
        serverStatus(UI.server_retry, true);
        window.setTimeout(serverSync, Math.min(30000, 500 * Math.pow(2, serverFailures)));
      }
    }
    window.fetch(SERVER.save, {
      method: "POST", credentials: "same-origin", keepalive: true, body: next.body,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": SERVER.csrf }
    }).then(function (response) {
      return response.json().then(function (body) { done(response.status, body || {}); },
        function () { done(response.status, {}); });
    }, function () { done(0, {}); });
  }

  function serverStart() {
    $("facts").hidden = true;  // the municipality's facts and the person come from the coordinator
    $("reset").hidden = true;
    var fromServer = fromSaved(DATA.prefill || {});
    var items = serverItems(fromServer);
    Object.keys(items).forEach(function (k) { serverSent[k] = JSON.stringify(items[k]); });
    var draft = null;
    try { draft = JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { draft = null; }
    state = draft && draft.unsent && draft.answers ? fromSaved(draft) : fromServer;
    state.municipality = fromServer.municipality;
    state.respondent = fromServer.respondent;
    window.addEventListener("online", serverSync);
    window.setTimeout(serverSync, 0);
    window.assessServer = { busy: function () { return serverBusy || serverPending() !== null; } };
  }

  // --- wiring ------------------------------------------------------------------------------------

  function changed(event) {
    var target = event.target;
    keepExclusive(target);
    readAll();
    var info = update();
    var fact = target.getAttribute && target.getAttribute("data-fact");
    if (fact && has(["name", "population", "ags"], fact) && event.type === "change") { checkFact(fact); }
    var box = target.closest ? target.closest("fieldset.question") : null;
    if (box && event.type === "change") { checkQuestion(BY_ID[box.getAttribute("data-question")], info.skipped); }
    recheckErrors(info.skipped);
    save();
  }

  // While the error list from a download attempt is shown, it follows the fixes: fixed entries go,
  // and the whole box goes once nothing is left.
  function recheckErrors(skipped) {
    var box = $("messages");
    if (box.getAttribute("data-kind") !== "errors") { return; }
    var problems = validateAll(skipped);
    if (!problems.length) {
      box.textContent = "";
      box.setAttribute("data-kind", "");
      return;
    }
    var list = box.querySelector("ul");
    var shown = list ? list.children.length : 0;
    if (shown !== problems.length) { message(UI.err_summary, true, problems, true); }
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  $("download").addEventListener("click", download);
  $("download-end").addEventListener("click", download);
  $("load-button").addEventListener("click", function () { $("load-file").click(); });
  $("load-file").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (file) { loadFile(file); }
    event.target.value = "";
  });
  $("reset").addEventListener("click", function () {
    if (!window.confirm(UI.reset_confirm)) { return; }
    try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
    state = emptyState();
    writeAll();
    update();
    $("messages").textContent = "";
    $("draft-status").textContent = "";
  });

  if (SERVER) { serverStart(); } else { restore(); }
  writeAll();
  update();
  // For tests and the curious: the answer file as it would be downloaded now.
  window.assessForm = { answerFile: function () { readAll(); return answerFile(update().skipped); }, load: loadData,
                        evaluate: evaluate };
}());
