// badgepath page: plain JavaScript, no dependencies. Catalogue and user text only ever reach the
// document through textContent and setAttribute (see el/svg below); never through HTML parsing.
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var STATE_KEY = "plan";
  var OPEN_GROUP = 24;
  var CONSTRAINTS = ["hours_per_week", "max_hours", "max_cost", "max_steps", "level", "languages"];
  var RELATIONS = [
    ["essential", "Essential"],
    ["optional", "Optional"],
    ["extracted", "Named in the description"]
  ];

  var state = { role: null, badges: [], skills: [] };
  var lastRequest = null;

  // ---- DOM helpers: the only way this file creates content -------------------------------------

  function build(node, attrs, children) {
    Object.keys(attrs || {}).forEach(function (name) {
      if (/^on/i.test(name)) { throw new Error("event handler attributes are not allowed"); }
      var value = attrs[name];
      if (value !== null && value !== undefined && value !== false) { node.setAttribute(name, String(value)); }
    });
    (children || []).forEach(function add(child) {
      if (child === null || child === undefined || child === false) { return; }
      if (Array.isArray(child)) { child.forEach(add); return; }
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function el(tag, attrs) {
    return build(document.createElement(tag), attrs, Array.prototype.slice.call(arguments, 2));
  }

  function svg(tag, attrs) {
    return build(document.createElementNS(SVG_NS, tag), attrs, Array.prototype.slice.call(arguments, 2));
  }

  function $(id) { return document.getElementById(id); }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
    return node;
  }

  function pct(value) { return Math.round((value || 0) * 1000) / 10 + "%"; }

  function hours(value) { return (Math.round(value * 10) / 10) + " h"; }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // Only http(s) catalogue links become hrefs: a javascript: URL in the data stays text.
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  // ---- talking to the API ----------------------------------------------------------------------

  function ApiError(status, problem) {
    this.status = status;
    this.problem = problem || {};
  }

  function readProblem(response) {
    return response.text().then(function (text) {
      var problem;
      try { problem = JSON.parse(text); } catch (e) { problem = null; }
      if (!problem || typeof problem !== "object") {
        problem = { title: response.statusText || "Error", detail: "the server answered " + response.status };
      }
      throw new ApiError(response.status, problem);
    });
  }

  function call(url, options) {
    var opts = options || {};
    opts.headers = opts.headers || {};
    opts.headers.Accept = "application/json, application/problem+json";
    return fetch(url, opts).then(function (response) {
      return response.ok ? response : readProblem(response);
    }, function () {
      throw new ApiError(0, { title: "Network error", detail: "the service could not be reached" });
    });
  }

  function postJson(url, body) {
    return call(url, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (response) { return response.json(); });
  }

  function problemText(error) {
    if (!(error instanceof ApiError)) { return String(error && error.message || error); }
    var p = error.problem;
    return (p.title || "Error") + (p.detail ? ": " + p.detail : "");
  }

  // ---- messages --------------------------------------------------------------------------------

  function say(text) { $("status").textContent = text || ""; }

  function showError(error, heading) {
    var box = clear($("error"));
    box.appendChild(el("p", { "class": "error-title" }, heading ? heading + " " : "", problemText(error)));
    var items = error instanceof ApiError && Array.isArray(error.problem.errors) ? error.problem.errors : [];
    if (items.length) {
      box.appendChild(el("ul", null, items.map(function (item) {
        return el("li", null, fieldName(item.pointer) + ": " + (item.message || item.type || "invalid"));
      })));
    }
    items.forEach(function (item) { markInvalid(item.pointer, item.message); });
    if (error instanceof ApiError && error.problem.request_id) {
      box.appendChild(el("p", { "class": "help" }, "Request id " + error.problem.request_id));
    }
    box.hidden = false;
    box.focus();
  }

  function hideError() {
    clear($("error")).hidden = true;
    Array.prototype.forEach.call(document.querySelectorAll("[aria-invalid]"), function (node) {
      node.removeAttribute("aria-invalid");
    });
  }

  function fieldFor(pointer) {
    var parts = String(pointer || "").split("/");
    var last = parts[parts.length - 1];
    if (parts[1] === "constraints" && CONSTRAINTS.indexOf(parts[2]) >= 0) { return $(parts[2]); }
    if (CONSTRAINTS.indexOf(last) >= 0) { return $(last); }
    if (parts[1] === "target") { return last === "description" ? $("description") : $("role"); }
    if (parts[2] === "badges") { return $("badge"); }
    if (parts[2] === "skills") { return $("skill"); }
    return null;
  }

  function fieldName(pointer) {
    var field = fieldFor(pointer);
    var label = field && document.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent : String(pointer || "request");
  }

  function markInvalid(pointer) {
    var field = fieldFor(pointer);
    if (field) { field.setAttribute("aria-invalid", "true"); }
  }

  // ---- combobox: autocomplete over a search endpoint -------------------------------------------

  function combobox(input, config) {
    var list = $(input.getAttribute("aria-controls"));
    var items = [], active = -1, timer = null, inflight = null, seq = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll('[role="option"]');
      active = index;
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      close();
      if (item) { config.pick(item); }
    }

    function option(item, index) {
      var view = config.view(item);
      var node = el("li", { id: list.id + "-" + index, role: "option", "aria-selected": "false" },
        el("span", { "class": "option-label" }, view.label),
        view.detail ? el("span", { "class": "option-detail" }, view.detail) : null);
      node.addEventListener("mousedown", function (event) { event.preventDefault(); });
      node.addEventListener("click", function () { choose(index); });
      return node;
    }

    function show(found) {
      items = found;
      clear(list);
      found.forEach(function (item, index) { list.appendChild(option(item, index)); });
      if (!found.length) {
        list.appendChild(el("li", { "class": "option-empty", role: "option", "aria-disabled": "true" },
          "No match in the catalogue" + (config.free ? "; press Enter to use your words" : "")));
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var mine = ++seq;
      if (inflight) { inflight.abort(); }
      inflight = new AbortController();
      call(config.url + "?limit=8&q=" + encodeURIComponent(q), { signal: inflight.signal })
        .then(function (response) { return response.json(); })
        .then(function (body) { if (mine === seq) { show(body[config.key] || []); } })
        .catch(function (error) {
          if (error && error.name === "AbortError") { return; }
          if (mine === seq) { close(); say("Search failed. " + problemText(error)); }
        });
    }

    input.addEventListener("input", function () {
      if (config.typed) { config.typed(input.value); }
      clearTimeout(timer);
      timer = setTimeout(search, 180);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { search(); } else if (open) { highlight((active + 1) % items.length); }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          choose(active);
        } else if (config.free && input.value.trim()) {
          event.preventDefault();
          close();
          config.free(input.value.trim());
        } else {
          close();
        }
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 120); });
  }

  // ---- chips: the learner's badges and skills --------------------------------------------------

  function renderChips(kind) {
    var list = clear($(kind + "-chips"));
    var entries = kind === "badge" ? state.badges : state.skills;
    entries.forEach(function (entry, index) {
      var remove = el("button", { type: "button", "class": "chip-remove",
        "aria-label": "Remove " + kind + " " + entry.label }, "\u00d7");
      remove.addEventListener("click", function () {
        entries.splice(index, 1);
        renderChips(kind);
        $(kind).focus();
      });
      list.appendChild(el("li", { "class": "chip" + (entry.value === entry.label ? " free" : ""),
        title: entry.value === entry.label ? "your words; the service matches them" : entry.value },
      el("span", null, entry.label), remove));
    });
  }

  function addEntry(kind, value, label) {
    var entries = kind === "badge" ? state.badges : state.skills;
    var exists = entries.some(function (entry) { return entry.value === value; });
    if (!exists) { entries.push({ value: value, label: label || value }); }
    renderChips(kind);
    $(kind).value = "";
    say(exists ? "Already added: " + (label || value) : "Added " + kind + ": " + (label || value));
  }

  // ---- Open Badges file import -----------------------------------------------------------------

  // A parsed badge (Open Badges 2.0/3.0 report) becomes what the server resolved it to: its catalogue credential
  // (a badge entry), the ESCO skills its alignments declare (skill entries, so the alignments are not lost; with a
  // credential too), or, unmatched, its name, which the recommender reads like any typed badge title. A badge not
  // counted (expired, or its signature failed) adds nothing. Skill entries are held as the learner's own claims,
  // at full confidence, not at the badge's verification factor.
  function importedEntries(item) {
    if (typeof item === "string") { return [{ kind: "badge", value: item, label: item, note: "" }]; }
    if (!item || typeof item !== "object") { return []; }
    var badge = item.badge || {};
    var name = item.name || item.title || badge.name || "";
    var issuer = badge.issuer && badge.issuer.name ? badge.issuer.name : "";
    if (item.resolved === "not_counted") {
      return [{ kind: null, value: "", label: name || "a badge", note: badge.expired ? "expired, not counted" :
        "not counted: its check failed" }];
    }
    var skills = (Array.isArray(item.skills) ? item.skills : []).filter(function (skill) {
      return skill && skill.id;
    }).map(function (skill) {
      return { kind: "skill", value: String(skill.id), label: String(skill.label || skill.id),
               note: "from " + (name || "a badge") };
    });
    if (item.resolved === "skills") { return skills; }
    var cred = item.credential;
    var value = item.credential_id || (cred && (cred.id || cred)) || name;
    var held = value ? [{ kind: "badge", value: String(value), label: String((cred && cred.name) || name || value),
                          note: issuer }] : [];
    return held.concat(skills);  // a credential's badge may declare skills of its own
  }

  function importBadges() {
    var file = $("badge-file").files[0];
    var status = $("import-status");
    if (!file) { return; }
    var form = new FormData();
    form.append("file", file);
    status.textContent = "Reading " + file.name + "\u2026";
    call("/v1/badges/import", { method: "POST", body: form })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        var entries = [];
        (Array.isArray(body.badges) ? body.badges : []).forEach(function (item) {
          entries = entries.concat(importedEntries(item));
        });
        entries.forEach(function (entry) { if (entry.kind) { addEntry(entry.kind, entry.value, entry.label); } });
        var read = Array.isArray(body.badges) ? body.badges.length : 0;
        status.textContent = read
          ? "Read " + plural(read, "badge") + " from " + file.name + ": " +
            entries.map(function (e) {
              return (e.kind === "skill" ? "skill " : "") + e.label + (e.note ? " (" + e.note + ")" : "");
            }).join("; ")
          : "No badge found in " + file.name + ".";
      })
      .catch(function (error) {
        status.textContent = error instanceof ApiError && error.status === 404
          ? "Importing Open Badges files is not available on this server yet; add your badges by name instead."
          : "Could not import " + file.name + ". " + problemText(error);
      })
      .then(function () { $("badge-file").value = ""; });
  }

  // ---- the request, the link, and restoring both -----------------------------------------------

  function readForm() {
    var constraints = {};
    CONSTRAINTS.forEach(function (name) {
      var raw = $(name).value.trim();
      if (raw === "") { return; }
      if (name === "languages" && raw === "*") { constraints.prefer_languages = []; return; }  // no preference
      constraints[name] = name === "level" ? raw : name === "languages" ? [raw] : Number(raw);
    });
    return {
      role: state.role && state.role.title === $("role").value.trim() ? state.role : null,
      title: $("role").value.trim(),
      description: $("description").value.trim(),
      badges: state.badges.slice(),
      skills: state.skills.slice(),
      constraints: constraints
    };
  }

  function targetOf(form) {
    // A role picked from the list is sent by its id; with a pasted posting, by its title beside the posting (the API
    // takes a role id alone), so the posting is not dropped.
    if (form.role && !form.description) { return { role_id: form.role.id }; }
    var target = {};
    if (form.title) { target.title = form.title; }
    if (form.description) { target.description = form.description; }
    return Object.keys(target).length ? target : null;
  }

  function requestOf(form) {
    return {
      target: targetOf(form),
      learner: {
        badges: form.badges.map(function (b) { return b.value; }),
        skills: form.skills.map(function (s) { return s.value; })
      },
      constraints: form.constraints
    };
  }

  function saveToLink(form) {
    var params = new URLSearchParams();
    params.set(STATE_KEY, JSON.stringify(form));
    history.replaceState(null, "", "#" + params.toString());
    $("share-url").value = location.href;
  }

  function restoreFromLink() {
    var raw = new URLSearchParams(location.hash.slice(1)).get(STATE_KEY);
    if (!raw) { return false; }
    var form;
    try { form = JSON.parse(raw); } catch (e) { say("The link's plan could not be read."); return false; }
    if (!form || typeof form !== "object") { return false; }
    state.role = form.role && form.role.id ? { id: String(form.role.id), title: String(form.role.title) } : null;
    $("role").value = state.role ? state.role.title : String(form.title || "");
    $("description").value = String(form.description || "");
    state.badges = entriesOf(form.badges);
    state.skills = entriesOf(form.skills);
    var constraints = form.constraints || {};
    CONSTRAINTS.forEach(function (name) {
      var value = constraints[name];
      if (Array.isArray(value)) { value = value[0]; }  // the page sends one language
      if (value !== undefined) { $(name).value = String(value); }
    });
    if (Array.isArray(constraints.prefer_languages) && !constraints.prefer_languages.length &&
        !constraints.languages) { $("languages").value = "*"; }
    renderChips("badge");
    renderChips("skill");
    return true;
  }

  function entriesOf(list) {
    return (Array.isArray(list) ? list : []).filter(function (e) { return e && e.value; }).map(function (e) {
      return { value: String(e.value), label: String(e.label || e.value) };
    });
  }

  // ---- running ---------------------------------------------------------------------------------

  function run(event) {
    if (event) { event.preventDefault(); }
    hideError();
    var form = readForm();
    var request = requestOf(form);
    if (!request.target) {
      showError(new ApiError(0, { title: "Nothing to aim for",
        detail: "pick a role, type a job title or paste a job description" }));
      $("role").setAttribute("aria-invalid", "true");
      $("role").focus();
      return;
    }
    saveToLink(form);
    lastRequest = request;
    $("go").disabled = true;
    say("Working out your path\u2026");
    var gapBody = { target: request.target, learner: request.learner };
    Promise.all([postJson("/v1/gap", gapBody), postJson("/v1/recommendations", request)])
      .then(function (answers) {
        render(answers[0], answers[1]);
        say("Path ready: " + plural(answers[1].path.steps.length, "step") + ".");
        $("results-h").focus();
      })
      .catch(function (error) {
        say("");
        $("results").hidden = true;
        showError(error, "The service could not plan this.");
      })
      .then(function () { $("go").disabled = false; });
  }

  // ---- rendering the answer --------------------------------------------------------------------

  function render(gap, rec) {
    $("results").hidden = false;
    renderSummary(gap, rec);
    renderWarnings(rec.warnings || []);
    var names = credentialNames(gap.held);
    renderSkills($("held"), gap.required.filter(function (s) { return s.held_as; }), names, "held");
    renderSkills($("missing"), gap.required.filter(function (s) { return !s.held_as; }), names, "missing");
    drawTimeline(rec.path, noStepText(rec));
    renderSteps(rec.path.steps);
    renderUncovered(rec.uncovered || []);
    clear($("export-status"));
  }

  function targetName(target) {
    var role = target.role ? "\u201c" + target.role.title + "\u201d" : "";
    if (target.kind === "role") { return "the ESCO role " + role; }
    var own = target.kind === "title" ? "the job title you typed" : "the job description you pasted";
    var line = target.title_line ? ", read with its title line \u201c" + target.title_line + "\u201d" : "";
    return own + line + (role ? " (closest ESCO role " + role + ")" : "");
  }

  function renderSummary(gap, rec) {
    var path = rec.path;
    var unpriced = path.cost_unknown_steps || 0;
    var cost = path.total_cost ? ", known cost " + path.total_cost : "";
    if (unpriced) {
      cost += (path.total_cost ? " (" : ", ") + plural(unpriced, "step") + " without a published price" +
        (path.total_cost ? ")" : "");
    }
    if (path.total_certificate_cost) { cost += ", certificates " + path.total_certificate_cost; }
    $("summary").textContent = "Target: " + targetName(rec.target) + ". " + gap.required.length +
      " required skills, " + rec.gap.length + " missing. The path has " + plural(path.steps.length, "step") +
      ": " + hours(path.total_hours) + " over " + plural(path.total_weeks, "week") + " at " +
      hours(path.hours_per_week || 5) + " a week" + cost + ".";
    var box = clear($("coverage"));
    [["coverage-before", "Coverage now", path.coverage_before],
      ["coverage-after", "Coverage after the path", path.coverage_after]].forEach(function (row) {
      box.appendChild(el("div", { "class": "meter-row" },
        el("label", { "for": row[0] }, row[1]),
        el("meter", { id: row[0], min: 0, max: 1, value: row[2] || 0 }, pct(row[2])),
        el("span", { "class": "meter-value" }, pct(row[2]))));
    });
  }

  function renderWarnings(warnings) {
    var list = clear($("warnings"));
    warnings.forEach(function (w) { list.appendChild(el("li", null, w.detail || w.code)); });
    list.hidden = !warnings.length;
  }

  function credentialNames(held) {
    var names = {};
    (held && held.credentials || []).forEach(function (c) { names[c.id] = c.name; });
    return names;
  }

  function evidenceText(skill, names) {
    var lines = (skill.evidence || []).map(function (e) {
      if (e.source === "role") { return e.relation + " skill of the ESCO role \u201c" + e.role_title + "\u201d"; }
      if (e.tool) {
        return "the description names " + e.tool.name + " (" + e.tool.category.toLowerCase() + ", " +
          e.tool.source + "): \u201c" + e.phrase + "\u201d";
      }
      if (e.idiom) {
        return "the description says \u201c" + e.idiom + "\u201d, as postings ask for this skill: \u201c" + e.phrase +
          "\u201d";
      }
      return "named in the description: \u201c" + e.phrase + "\u201d" +
        (e.written_out ? ", read as \u201c" + e.written_out + "\u201d" : "") +
        (e.score !== undefined ? " (similarity " + e.score + ")" : "");
    });
    var named = (skill.evidence || []).some(function (e) { return e.source === "text"; });
    if (skill.text_support && !named) {
      lines.push("closest phrase of the description: \u201c" + skill.text_support.phrase + "\u201d (similarity " +
        skill.text_support.score + ")");
    }
    if (skill.held_as) { lines.push("you hold it: " + heldText(skill.held_as, names)); }
    return lines.join("\n");
  }

  function heldText(held, names) {
    var source = held.source || {};
    var how = "";
    if (source.credential) {
      how = " through \u201c" + (names[source.credential] || source.credential) + "\u201d" +
        (source.matched_text ? " (teaches \u201c" + source.matched_text + "\u201d)" : "");
    } else if (source.badge_text) {
      how = " from your badge \u201c" + source.badge_text + "\u201d";
    } else if (source.skill_text || source.skill) {
      how = " from the skill you listed, \u201c" + (source.skill_text || held.label) + "\u201d";
    }
    if (source.written_out) { how += ", read as \u201c" + source.written_out + "\u201d"; }
    if (source.idiom) { how += ", which says \u201c" + source.idiom + "\u201d"; }
    return "\u201c" + held.label + "\u201d" + how + " (similarity " + held.similarity + ")";
  }

  function renderSkills(box, skills, names, side) {
    clear(box);
    if (!skills.length) {
      box.appendChild(el("p", { "class": "help" }, side === "held" ? "None yet." : "Nothing: you hold them all."));
    }
    RELATIONS.forEach(function (relation) {
      var group = skills.filter(function (s) { return s.relation === relation[0]; });
      if (!group.length) { return; }
      var id = side + "-" + relation[0];
      box.appendChild(el("details", { "class": "group", open: group.length <= OPEN_GROUP || relation[0] === "essential" },
        el("summary", { id: id + "-h" }, relation[1] + " (" + group.length + ")"),
        el("ul", { "class": "tags " + side + " " + relation[0], "aria-labelledby": id + "-h" },
          group.map(function (skill, i) { return skillTag(skill, names, id + "-" + i); }))));
    });
  }

  function skillTag(skill, names, id) {
    var text = evidenceText(skill, names);
    return el("li", { "class": "tag", tabindex: 0, title: text, "aria-describedby": id },
      skill.label, el("span", { id: id, "class": "tip", role: "tooltip" }, text));
  }

  function renderUncovered(skills) {
    var list = clear($("uncovered"));
    if (!skills.length) { list.appendChild(el("li", { "class": "help" }, "None: every missing skill is taught.")); }
    skills.forEach(function (skill, i) { list.appendChild(skillTag(skill, {}, "uncovered-" + i)); });
  }

  // ---- the timeline: an SVG drawn with DOM calls -----------------------------------------------

  function noStepText(rec) {
    if (rec.gap.length) { return "No step: nothing in the catalogue closes the gap within these constraints."; }
    if (rec.target.resolved === false) {
      return "No step: no role matched the target and it names no skill, so there is no gap to close.";
    }
    return "No step needed: the learner already holds every skill the role needs.";
  }

  function drawTimeline(path, none) {
    var box = clear($("timeline"));
    var steps = path.steps;
    var weeks = Math.max(path.total_weeks || 1, 1);
    $("timeline-caption").textContent = steps.length
      ? plural(steps.length, "step") + " over " + plural(weeks, "week") + " at " +
        hours(path.hours_per_week || 5) + " a week; select a bar to read its step."
      : none;
    if (!steps.length) { return; }
    var g = { left: 250, right: 16, top: 34, row: 34, width: 900 };
    var plot = g.width - g.left - g.right;
    var height = g.top + steps.length * g.row + 8;
    var x = function (week) { return g.left + (week / weeks) * plot; };
    var root = svg("svg", { viewBox: "0 0 " + g.width + " " + height, width: "100%", role: "group",
      "aria-labelledby": "timeline-title", "class": "timeline-svg" },
    svg("title", { id: "timeline-title" }, "Timeline by week: " + plural(steps.length, "step")));
    root.appendChild(axis(weeks, g, x, height));
    steps.forEach(function (step, i) { root.appendChild(bar(step, i, g, x)); });
    box.appendChild(root);
  }

  function axis(weeks, g, x, height) {
    var group = svg("g", { "class": "axis", "aria-hidden": "true" });
    var every = Math.max(1, Math.ceil(weeks / 16));
    for (var week = 1; week <= weeks; week += every) {
      var mid = (x(week - 1) + x(week)) / 2;
      group.appendChild(svg("line", { x1: x(week - 1), x2: x(week - 1), y1: g.top - 6, y2: height - 4 }));
      group.appendChild(svg("text", { x: mid, y: g.top - 14, "text-anchor": "middle" }, "wk " + week));
    }
    group.appendChild(svg("line", { x1: x(weeks), x2: x(weeks), y1: g.top - 6, y2: height - 4 }));
    return group;
  }

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "\u2026" : text;
  }

  // Hours sit inside a wide bar; beside a narrow one, after it or, at the right edge, before it.
  function barHours(step, x0, x1, y, width) {
    if (x1 - x0 >= 64) { return svg("text", { x: x0 + 10, y: y, "class": "bar-hours" }, hours(step.hours)); }
    var after = Math.max(x1, x0 + 8) + 4 + 48 <= width;
    return svg("text", { x: after ? Math.max(x1, x0 + 8) + 4 : x0 - 4, y: y, "text-anchor": after ? "start" : "end",
      "class": "bar-hours outside" }, hours(step.hours));
  }

  function bar(step, i, g, x) {
    var y = g.top + i * g.row;
    var name = step.credential.name;
    var x0 = x(step.start_week - 1), x1 = x(step.end_week);
    var label = "Step " + (i + 1) + ": " + name + ", weeks " + step.start_week + "\u2013" + step.end_week +
      ", " + hours(step.hours);
    var link = svg("a", { href: "#step-" + (i + 1), "class": "bar level-" + (step.credential.level || "mixed"),
      "aria-label": label },
    svg("title", null, label),
    svg("text", { x: 8, y: y + g.row / 2 + 5, "class": "bar-label" }, shorten((i + 1) + ". " + name, 34)),
    svg("rect", { x: x0 + 2, y: y + 4, width: Math.max(x1 - x0 - 4, 6), height: g.row - 8, rx: 5 }),
    barHours(step, x0, x1, y + g.row / 2 + 5, g.width));
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var card = $("step-" + (i + 1));
      card.scrollIntoView({ block: "start" });
      card.focus();
    });
    return link;
  }

  // ---- the steps as text: what, why, hours, alternatives ---------------------------------------

  function renderSteps(steps) {
    var list = clear($("steps"));
    steps.forEach(function (step, i) { list.appendChild(stepCard(step, i)); });
  }

  function credentialTitle(cred) {
    var url = safeUrl(cred.url);
    return url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, cred.name) : cred.name;
  }

  function languageName(code) {
    var options = $("languages").options;
    for (var i = 0; i < options.length; i++) {
      if (options[i].value === code) { return options[i].textContent; }
    }
    return code;
  }

  function facts(cred, step) {
    var parts = [cred.provider, cred.type, cred.level && cred.level + " level", hours(step ? step.hours : cred.hours)];
    if (cred.cost !== null && cred.cost !== undefined) { parts.push(cred.cost === 0 ? "free" : "cost " + cred.cost); }
    if (cred.language && cred.language !== "en") { parts.push("taught in " + languageName(cred.language)); }
    return parts.filter(Boolean).join(" \u00b7 ");
  }

  function stepCard(step, i) {
    var cred = step.credential;
    return el("li", { id: "step-" + (i + 1), "class": "step", tabindex: -1 },
      el("p", { "class": "step-when" }, "Step " + (i + 1) + " \u00b7 weeks " + step.start_week + "\u2013" + step.end_week +
        " \u00b7 coverage " + pct(step.cumulative_coverage) + " after this step"),
      el("h4", { "class": "step-name" }, credentialTitle(cred)),
      el("p", { "class": "step-facts" }, facts(cred, step)),
      el("h5", null, "Covers"),
      el("ul", { "class": "tags" }, step.covers.map(function (c, j) { return coverTag(c, "step-" + i + "-c" + j); })),
      el("h5", null, "Why it is here"),
      el("ul", { "class": "reasons" }, (step.reasons || []).map(function (r) { return el("li", null, r.text); })),
      alternativesOf(step.alternatives || []));
  }

  function coverTag(cover, id) {
    var via = cover.via || {};
    var text = cover.relation + " gap skill; taught as \u201c" + (via.matched_text || via.label) +
      "\u201d (similarity " + cover.similarity + ")";
    return el("li", { "class": "tag " + cover.relation, tabindex: 0, title: text, "aria-describedby": id },
      cover.label, el("span", { id: id, "class": "tip", role: "tooltip" }, text));
  }

  function alternativesOf(alternatives) {
    if (!alternatives.length) { return null; }
    return el("details", { "class": "alternatives" },
      el("summary", null, "Alternatives (" + alternatives.length + ")"),
      el("ul", null, alternatives.map(function (alt) {
        return el("li", null, credentialTitle(alt), " \u2014 " + facts(alt) + "; covers " +
          plural(alt.covers_count, "skill") + " of this step");
      })));
  }

  // ---- export, share, print --------------------------------------------------------------------

  function filename(response, format) {
    var match = /filename="?([^";]+)"?/i.exec(response.headers.get("Content-Disposition") || "");
    return match ? match[1] : "badgepath-path." + (format === "ics" ? "ics" : "jsonld");
  }

  function exportAs(format) {
    var status = $("export-status");
    if (!lastRequest) { return; }
    status.textContent = "Preparing the " + format.toUpperCase() + " file\u2026";
    call("/v1/recommendations/export?format=" + format, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(lastRequest)
    }).then(function (response) {
      return response.blob().then(function (blob) { download(blob, filename(response, format)); });
    }).then(function () {
      status.textContent = "Downloaded the " + format.toUpperCase() + " file.";
    }, function (error) {
      status.textContent = error instanceof ApiError && error.status === 404
        ? format.toUpperCase() + " export is not available on this server yet."
        : "Export failed. " + problemText(error);
    });
  }

  function download(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: name, hidden: true });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function copyLink() {
    var field = $("share-url");
    var done = function () { say("Link copied."); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
    }
  }

  function reset() {
    state = { role: null, badges: [], skills: [] };
    lastRequest = null;
    $("plan").reset();
    renderChips("badge");
    renderChips("skill");
    hideError();
    $("results").hidden = true;
    history.replaceState(null, "", location.pathname + location.search);
    say("Cleared.");
    $("role").focus();
  }

  // ---- wiring ----------------------------------------------------------------------------------

  function start() {
    combobox($("role"), {
      url: "/v1/roles", key: "roles",
      view: function (r) { return { label: r.title, detail: r.matched && r.matched !== r.title ? "as " + r.matched : "" }; },
      pick: function (r) { state.role = { id: r.id, title: r.title }; $("role").value = r.title; say("Role: " + r.title); },
      typed: function (text) { if (state.role && state.role.title !== text.trim()) { state.role = null; } }
    });
    combobox($("badge"), {
      url: "/v1/credentials", key: "credentials",
      view: function (c) { return { label: c.name, detail: facts(c) }; },
      pick: function (c) { addEntry("badge", c.id, c.name); },
      free: function (text) { addEntry("badge", text, text); }
    });
    combobox($("skill"), {
      url: "/v1/skills", key: "skills",
      view: function (s) { return { label: s.label, detail: s.kind || "" }; },
      pick: function (s) { addEntry("skill", s.id, s.label); },
      free: function (text) { addEntry("skill", text, text); }
    });
    $("plan").addEventListener("submit", run);
    $("reset").addEventListener("click", reset);
    $("badge-file").addEventListener("change", importBadges);
    $("copy").addEventListener("click", copyLink);
    $("print").addEventListener("click", function () { window.print(); });
    $("export-ics").addEventListener("click", function () { exportAs("ics"); });
    $("export-ctdl").addEventListener("click", function () { exportAs("ctdl"); });
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
    });
    if (restoreFromLink()) { run(); }
  }

  document.addEventListener("DOMContentLoaded", start);
}());
