// Ally's own small script. Every page works without it; it only adds live
// help: the report form shows the questions for the chosen kind, and the
// responder's reply box gets a live tone check with one-click rewording and
// a confirm step before sending words that may sound like blame.
"use strict";

(() => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };

  // The report form: questions follow the choice; the date field shows only
  // for "Earlier"; the server learns it need not ask the questions again.
  const reportForm = (form) => {
    const flag = form.querySelector("[data-js-flag]");
    if (flag) flag.value = "1";
    const tz = form.querySelector("[data-tz]");
    if (tz) tz.value = String(new Date().getTimezoneOffset());
    const groups = form.querySelectorAll(".questions[data-kind]");
    const at = form.querySelector("[data-when-at]");
    const earlier = form.querySelector('input[name="when"][value="earlier"]');
    const sync = () => {
      const chosen = form.querySelector('input[name="kind"]:checked');
      groups.forEach((g) => { g.hidden = !chosen || g.dataset.kind !== chosen.value; });
      if (at && earlier) {
        at.hidden = !earlier.checked;
        at.querySelector("input").disabled = !earlier.checked;
      }
    };
    form.addEventListener("change", sync);
    sync();
  };

  // rewrite returns what can replace a finding: the suggestion itself for
  // the span, or, when the suggestion is advice with an example sentence
  // ('Ask instead: "Can you walk me through it?"'), that sentence for the
  // whole sentence holding the span. Advice without an example, and a
  // finding about the whole text (an empty span), have no one-click rewrite.
  const rewrite = (f) => {
    if (!f.suggestion || f.end <= f.start) return null;
    const quoted = f.suggestion.match(/[“"]([^”"]+)[”"]/g);
    if (quoted) return { text: quoted[quoted.length - 1].slice(1, -1), sentence: true };
    return f.suggestion.includes(":") ? null : { text: f.suggestion, sentence: false };
  };

  // sentenceAround widens [start, end) over code points cps to the whole
  // sentence: back to just after the previous . ! ? or line break, forward
  // through the next one.
  const sentenceAround = (cps, start, end) => {
    const stop = (c) => c === "." || c === "!" || c === "?" || c === "\n";
    while (start > 0 && !stop(cps[start - 1])) start--;
    while (start < end && cps[start] === " ") start++;
    while (end < cps.length && !stop(cps[end])) end++;
    while (end < cps.length && stop(cps[end]) && cps[end] !== "\n") end++;
    return [start, end];
  };

  const hasError = (res) => !!res && (res.findings || []).some((f) => f.severity === "error");

  // The reply composer: a debounced tone check while typing.
  const toneForm = (form) => {
    const box = form.querySelector("[data-tone]");
    const out = form.querySelector("[data-tone-out]");
    const ask = form.querySelector("[data-confirm]");
    const confirmed = form.querySelector("[data-confirmed]");
    let last = null; // {text, res} of the newest answer
    let timer = 0;
    let seq = 0;

    const check = async () => {
      const text = box.value;
      const mine = ++seq;
      if (!text.trim()) {
        last = null;
        out.textContent = "";
        return null;
      }
      try {
        const r = await fetch("/api/v1/tone/check", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ text, audience: "reporter" }),
        });
        const res = r.ok ? await r.json() : null;
        if (mine !== seq) return null;
        last = res ? { text, res } : null;
        show(res);
        return res;
      } catch {
        return null;
      }
    };

    // useWording replaces the finding's span, counted in code points, with
    // the new wording, if the text has not changed since the check.
    const useWording = (f, wording) => {
      if (!last || last.text !== box.value) {
        check();
        return;
      }
      const cps = Array.from(box.value);
      const [start, end] = wording.sentence ? sentenceAround(cps, f.start, f.end) : [f.start, f.end];
      const head = cps.slice(0, start).join("") + wording.text;
      box.value = head + cps.slice(end).join("");
      box.focus();
      box.setSelectionRange(head.length, head.length);
      check();
    };

    const show = (res) => {
      out.textContent = "";
      const findings = (res && res.findings) || [];
      if (!findings.length) {
        out.append(el("p", "ok", "Tone check: this reads kindly."));
        return;
      }
      findings.forEach((f) => {
        const d = el("div", "finding " + f.severity);
        const what = el("p");
        if (f.match) what.append(el("strong", null, "“" + f.match + "”"), document.createTextNode(": "));
        what.append(document.createTextNode(f.message));
        d.append(what);
        if (f.suggestion) d.append(el("p", "suggest", "Try: " + f.suggestion));
        const wording = rewrite(f);
        if (wording) {
          const b = el("button", "btn small", "Use this wording");
          b.type = "button";
          b.addEventListener("click", () => useWording(f, wording));
          d.append(b);
        }
        out.append(d);
      });
    };

    box.addEventListener("input", () => {
      ask.hidden = true;
      confirmed.value = "";
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });

    form.addEventListener("submit", async (e) => {
      if (e.defaultPrevented) return; // refused by the length check
      if (confirmed.value === "1" || (e.submitter && e.submitter.name === "confirmed")) return;
      e.preventDefault();
      keepSubmitter(form, e.submitter);
      clearTimeout(timer);
      const res = last && last.text === box.value ? last.res : await check();
      if (hasError(res)) {
        // Focus the safe choice: a second Enter must not send the words the check held back.
        ask.hidden = false;
        ask.querySelector("[data-edit]").focus();
        return;
      }
      form.submit();
    });
    ask.querySelector("[data-send-anyway]").addEventListener("click", () => {
      confirmed.value = "1";
      form.submit();
    });
    ask.querySelector("[data-edit]").addEventListener("click", () => {
      ask.hidden = true;
      box.focus();
    });

    // Template links fill the box in place instead of reloading the page.
    (form.closest("section") || document).querySelectorAll("[data-template]").forEach((a) => {
      a.addEventListener("click", (e) => {
        e.preventDefault();
        const t = a.dataset.template;
        box.value = box.value.trim() ? box.value.replace(/\s*$/, "\n\n") + t : t;
        box.focus();
        check();
      });
    });
  };

  // form.submit() sends no button: keep the one pressed as a hidden field.
  const keepSubmitter = (form, b) => {
    if (!b || !b.name) return;
    const h = el("input");
    h.type = "hidden";
    h.name = b.name;
    h.value = b.value;
    form.append(h);
  };

  // Boxes with a limit (data-limit, in characters as the server counts
  // them: code points) show how much is left and refuse to send over it,
  // with the problem next to the box and the text kept.
  const count = (s) => Array.from(s).length;
  const limitBox = (box) => {
    const max = Number(box.dataset.limit);
    const line = el("p", "count");
    line.id = box.id + "-count";
    line.setAttribute("aria-live", "polite");
    box.after(line);
    box.setAttribute("aria-describedby", ((box.getAttribute("aria-describedby") || "") + " " + line.id).trim());
    const fmt = (n) => n.toLocaleString("en-GB");
    const show = () => {
      const n = count(box.value);
      line.classList.toggle("over", n > max);
      line.textContent = n > max
        ? fmt(n - max) + " characters over the limit of " + fmt(max) + ". Please shorten it; your text is kept."
        : n > max * 0.8 ? fmt(max - n) + " characters left." : "";
      return n <= max;
    };
    box.addEventListener("input", show);
    show();
    box.form.addEventListener("submit", (e) => {
      if (!show()) {
        e.preventDefault();
        e.stopImmediatePropagation();
        box.focus();
      }
    });
  };

  document.querySelectorAll("textarea[data-limit]").forEach(limitBox);
  // The queue: keyboard shortcuts (j/k move, x tick, a acknowledge, m
  // assign to me, / search, ? help) and live updates: when a case arrives or
  // changes the table is read again in place (Server-Sent Events), keeping
  // what was ticked and the current row.
  const queue = (form) => {
    let current = -1;
    const rows = () => Array.from(form.querySelectorAll("tr.qrow"));
    const mark = (i, focus) => {
      const all = rows();
      if (!all.length) return;
      current = Math.max(0, Math.min(i, all.length - 1));
      all.forEach((r, j) => r.classList.toggle("current", j === current));
      if (focus) all[current].querySelector(".qlink").focus();
    };
    const row = () => rows()[current];
    const click = (sel) => {
      const b = row() && row().querySelector(sel);
      if (b) b.click();
    };
    const help = document.querySelector("[data-keys]");
    document.addEventListener("keydown", (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      if (t.closest("input, select, textarea, [contenteditable]")) {
        if (e.key === "Escape") t.blur();
        return;
      }
      const keys = {
        j: () => mark(current + 1, true),
        k: () => mark(current - 1, true),
        x: () => click("input[type=checkbox]"),
        a: () => click("[data-act=ack]"),
        m: () => click("[data-act=mine]"),
        o: () => click(".qlink"),
        "/": () => document.querySelector("[data-search]").focus(),
        "?": () => {
          if (!help) return;
          help.open = !help.open;
          if (help.open) help.querySelector("summary").focus();
        },
      };
      const f = keys[e.key];
      if (f) {
        e.preventDefault();
        f();
      }
    });
    form.addEventListener("focusin", (e) => {
      const r = e.target.closest("tr.qrow");
      if (r) mark(rows().indexOf(r), false);
    });
    // Marking duplicates: the ticked cases are offered as the case to
    // keep, and the plan is said before sending ("AL-1003, the oldest
    // ticked case, is kept; 2 others become its duplicates.").
    const dup = form.querySelector("[data-duplicates]");
    const plan = () => {
      if (!dup) return;
      const input = dup.querySelector("input[name=duplicate_of]");
      const ticked = rows().filter((r) => r.querySelector("input[name=ref]").checked);
      dup.querySelector("datalist").replaceChildren(...ticked.map((r) => {
        const o = document.createElement("option");
        o.value = r.dataset.ref;
        o.label = r.querySelector(".qlink").textContent.trim();
        return o;
      }));
      const num = (r) => parseInt(r.dataset.ref.replace(/\D/g, ""), 10);
      const at = (r) => Date.parse(r.querySelector("td[data-label=Age] time").getAttribute("datetime"));
      const oldest = ticked.slice().sort((a, b) => at(a) - at(b) || num(a) - num(b))[0];
      const typed = input.value.trim().toUpperCase();
      const keep = typed || (oldest && oldest.dataset.ref);
      const others = ticked.filter((r) => r.dataset.ref !== keep).length;
      dup.querySelector("[data-duplicate-plan]").textContent = !keep || !others ? ""
        : keep + (typed ? "" : ", the oldest ticked case,") + " is kept; " + others +
          (others === 1 ? " other becomes its duplicate." : " others become its duplicates.");
    };
    form.addEventListener("change", (e) => { if (e.target.name === "ref") plan(); });
    if (dup) dup.querySelector("input[name=duplicate_of]").addEventListener("input", plan);
    plan();

    if (!window.EventSource) return;
    const status = document.querySelector("[data-live-status]");
    let timer = 0;
    const refresh = async () => {
      const u = new URL(location.href);
      u.searchParams.set("part", "rows");
      try {
        const r = await fetch(u, { credentials: "same-origin" });
        if (!r.ok) return;
        const html = await r.text();
        const ticked = new Set(Array.from(form.querySelectorAll("input[name=ref]:checked")).map((c) => c.value));
        const cur = row() && row().dataset.ref;
        const old = form.querySelector("[data-queue-rows]");
        const tpl = document.createElement("template");
        tpl.innerHTML = html;
        const fresh = tpl.content.querySelector("[data-queue-rows]");
        if (!old || !fresh) return;
        const hadFocus = old.contains(document.activeElement);
        old.replaceWith(fresh);
        fresh.querySelectorAll("input[name=ref]").forEach((c) => { c.checked = ticked.has(c.value); });
        plan();
        const i = rows().findIndex((r) => r.dataset.ref === cur);
        if (i >= 0) mark(i, hadFocus);
        if (status) status.textContent = "The queue was updated.";
      } catch {
        /* the next event tries again */
      }
    };
    const live = new EventSource("/events");
    live.addEventListener("open", () => { form.dataset.live = "on"; });
    live.addEventListener("case", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
  };

  // The Account menu (a <details>, which opens and closes without us): Escape
  // or a click elsewhere closes it, and Escape gives the focus back to it.
  const submenus = document.querySelectorAll("details[data-submenu]");
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    submenus.forEach((d) => {
      if (!d.open) return;
      d.open = false;
      d.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", (e) => {
    submenus.forEach((d) => { if (d.open && !d.contains(e.target)) d.open = false; });
  });

  document.querySelectorAll("form[data-report]").forEach(reportForm);
  document.querySelectorAll("form[data-queue]").forEach(queue);
  document.querySelectorAll("form[data-tone-form]").forEach(toneForm);
})();
