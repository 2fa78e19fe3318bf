// The facilitator's tablet. Follows the running session by long polling
// (/api/state?since=V answers as soon as anything changes) and sends each press to
// /api/action with an id of its own, re-sent with the same id until it is answered,
// so a press is never lost and never done twice. Text from the story is set with
// textContent only.
"use strict";

const $ = (id) => document.getElementById(id);
let code = null;
let version = null;
let catalogKey = null;
let lastStatus = null;
let failures = 0;

// ---- the access code: from the address's fragment (never sent to a server), kept
// for this tab only, and taken out of the address bar.
function readCode() {
  const m = /(?:^#|&)code=([^&]+)/.exec(location.hash);
  if (m) {
    code = decodeURIComponent(m[1]);
    sessionStorage.setItem("reunion-code", code);
    history.replaceState(null, "", location.pathname);
  } else {
    code = sessionStorage.getItem("reunion-code");
  }
}

function askForCode(why) {
  code = null;
  sessionStorage.removeItem("reunion-code");
  $("console").hidden = true;
  $("codeform").hidden = false;
  $("codeerror").hidden = !why;
  $("codeerror").textContent = why || "";
  $("link").textContent = "no access";
}

$("codeform").addEventListener("submit", (e) => {
  e.preventDefault();
  code = $("code").value.trim();
  if (!code) return;
  sessionStorage.setItem("reunion-code", code);
  $("codeform").hidden = true;
  version = null;
  poll();
});

// ---- following the session
function banner(on) {
  $("banner").hidden = !on;
  $("link").textContent = on ? "reconnecting…" : "live";
  $("link").classList.toggle("live", !on);
}

async function poll() {
  while (code) {
    const since = version === null ? "" : `?since=${version}`;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 15000);
    try {
      const r = await fetch(`/api/state${since}`, {
        headers: { "X-Reunion-Code": code },
        cache: "no-store",
        signal: ctl.signal,
      });
      clearTimeout(timer);
      if (r.status === 401) {
        askForCode("That code is not right. Look at the window or the terminal where reunion started.");
        return;
      }
      if (!r.ok) throw new Error(`status ${r.status}`);
      const state = await r.json();
      failures = 0;
      banner(false);
      if (state.version !== version) render(state);
      version = state.version;
    } catch (e) {
      clearTimeout(timer);
      failures += 1;
      banner(true);
      await sleep(Math.min(2000, 250 * failures));
    }
  }
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// ---- sending presses
function newId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function send(action, button) {
  const body = JSON.stringify({ id: newId(), ...action });
  if (button) button.classList.add("sending");
  const until = Date.now() + 60000;
  try {
    while (code && Date.now() < until) {
      try {
        const r = await fetch("/api/action", {
          method: "POST",
          headers: { "X-Reunion-Code": code, "Content-Type": "application/json" },
          body,
        });
        if (r.ok) return true;
        if (r.status === 401) { askForCode("The code is no longer accepted."); return false; }
        if (r.status >= 400 && r.status < 500) {
          const why = await r.json().catch(() => ({}));
          note(`not done: ${why.error || r.status}`);
          return false;
        }
      } catch (e) {
        banner(true);
      }
      await sleep(300);
    }
    note("not sent: the connection did not come back");
    return false;
  } finally {
    if (button) button.classList.remove("sending");
  }
}

function note(text) {
  const li = document.createElement("li");
  li.className = "problem";
  li.textContent = text;
  $("happenings").prepend(li);
}

document.querySelectorAll(".controls button").forEach((b) => {
  b.addEventListener("click", () => {
    let what = b.dataset.do;
    // Held (in the calm place too): the same button resumes, as in the window.
    if (b.id === "hold" && lastStatus && lastStatus.held) what = "resume";
    send({ do: what }, b);
  });
});

for (const what of ["confirm", "dismiss", "resume_last", "dismiss_resume"]) {
  $(what).addEventListener("click", () => send({ do: what }, $(what)));
}

// ---- drawing
function button(label, action, extraClass) {
  const b = document.createElement("button");
  b.textContent = label;
  if (extraClass) b.className = extraClass;
  b.addEventListener("click", () => send(action, b));
  return b;
}

function buildCatalog(c) {
  $("title").textContent = c.title;
  document.title = `${c.title} — facilitator`;
  const acts = $("acts");
  acts.replaceChildren();
  for (const actor of c.cast) {
    acts.append(button(`Look at ${actor}`, { do: "act", what: "look_at", actor }));
    acts.append(button(`Take ${actor}'s hand`, { do: "act", what: "take_hand", actor }));
  }
  for (const [label, what] of [["Look away", "look_away"], ["Let go", "let_go"],
    ["Place a candle", "place_candle"], ["Blow out", "blow_out"], ["Participant spoke", "speak"]]) {
    acts.append(button(label, { do: "act", what }));
  }
  for (const [actor, zone] of c.touches) {
    acts.append(button(`Touch ${actor}'s ${zone}`, { do: "act", what: "touch", actor, zone }));
  }
  $("answercard").hidden = c.answers.length === 0 && c.intents.length === 0;
  $("intents").replaceChildren(...c.intents.map((name) => button(name, { do: "heard", name })));
  $("answers").replaceChildren(...c.answers.map((name) => button(name, { do: "answer", name })));
  $("cuecard").hidden = c.cues.length === 0;
  $("cues").replaceChildren(...c.cues.map((name) => button(name, { do: "cue", name })));
  const story = $("story");
  story.replaceChildren();
  c.nodes.forEach((n, i) => {
    const li = document.createElement("li");
    li.dataset.index = i;
    const jump = button("jump", { do: "jump", node: i });
    jump.setAttribute("aria-label", `jump to ${n.id}`);
    const name = document.createElement("span");
    name.textContent = n.id;
    const kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = n.kind;
    li.append(jump, name, kind);
    story.append(li);
  });
  $("languages").replaceChildren(...c.languages.map((lang) => {
    const b = button(lang, { do: "language", lang });
    b.dataset.lang = lang;
    return b;
  }));
}

function buildVolumes(volumes) {
  const box = $("volumes");
  if (box.childElementCount === volumes.length) return;
  box.replaceChildren(...volumes.map(([channel, level]) => {
    const label = document.createElement("label");
    label.textContent = channel;
    const input = document.createElement("input");
    input.type = "range"; input.min = 0; input.max = 1; input.step = 0.05;
    input.value = level; input.dataset.channel = channel;
    input.addEventListener("change", () => send({ do: "volume", channel, level: Number(input.value) }));
    label.append(input);
    return label;
  }));
}

function render(state) {
  $("codeform").hidden = true;
  $("console").hidden = false;
  if (state.catalog) {
    const key = JSON.stringify(state.catalog);
    if (key !== catalogKey) { catalogKey = key; buildCatalog(state.catalog); }
  }
  buildVolumes(state.volumes);
  for (const [channel, level] of state.volumes) {
    const input = document.querySelector(`input[data-channel="${channel}"]`);
    if (input && document.activeElement !== input) input.value = level;
  }
  const s = state.status;
  lastStatus = s;
  if (s) {
    $("place").textContent = s.place || "—";
    $("node").textContent = `${s.node} (${s.kind})`;
    $("phase").textContent = s.phase;
    $("phase").classList.toggle("held", s.held);
    const line = $("line");
    line.lang = s.lang;
    line.replaceChildren();
    if (s.line) {
      const who = document.createElement("span");
      who.className = "speaker";
      who.textContent = s.line.speaker;
      const text = document.createElement("span");
      text.className = "text";
      text.textContent = s.line.text;
      line.append(who, text);
      line.classList.toggle("said", !s.line.speaking);
    }
    $("waits").textContent = s.waits_for ? `waits for ${s.waits_for}` : "";
    $("time").textContent = `${s.time} (story ${s.story_time})`;
    $("hand").textContent = s.hand ? `held by ${s.hand}` : "free";
    $("look").textContent = s.looking_at || "no one";
    $("spoke").textContent = s.spoke_lately ? "just spoke" : "—";
    const hold = $("hold");
    hold.textContent = s.held ? "Resume" : "Hold";
    hold.classList.toggle("held", s.held);
    document.body.dataset.calm = s.calm;
    document.body.dataset.held = s.held;
    for (const li of $("story").children) {
      const current = Number(li.dataset.index) === s.node_index;
      if (current && !li.classList.contains("current")) {
        // Scroll only the list (scrollIntoView would move the whole page too).
        const list = $("story");
        list.scrollTop = Math.max(0, li.offsetTop - list.clientHeight / 2);
      }
      li.classList.toggle("current", current);
    }
    for (const b of $("languages").children) b.classList.toggle("current", b.dataset.lang === s.lang);
  }
  const list = $("happenings");
  list.replaceChildren(...state.happenings.slice().reverse().map((h) => {
    const li = document.createElement("li");
    const at = document.createElement("span");
    at.className = "at";
    at.textContent = h.at;
    li.append(at, document.createTextNode(h.text));
    return li;
  }));
  $("microphone").textContent = state.microphone ? `Microphone: ${state.microphone}` : "";
  $("speech").textContent = state.speech ? `Speech: ${state.speech}` : "";
  $("heard").replaceChildren(...state.heard.slice().reverse().map((h) => {
    const li = document.createElement("li");
    li.textContent = h;
    return li;
  }));
  $("resumecard").hidden = !state.resume_offer;
  $("resumeoffer").textContent = state.resume_offer || "";
  $("pendingbox").hidden = !state.pending;
  $("pending").textContent = state.pending ? `Unsure, waiting for you: ${state.pending}` : "";
  const problems = [state.problems, state.warnings].filter(Boolean).join("\n");
  $("problemcard").hidden = !problems;
  $("problems").textContent = problems;
}

readCode();
if (code) poll(); else askForCode(null);
