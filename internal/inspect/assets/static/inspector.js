// s3cors inspector: the live list of requests.
//
// Every value comes from requests anyone may send, so it is treated as
// hostile: it is only ever written as text (textContent, value, dataset),
// never as markup, and the page's Content-Security-Policy allows no inline
// script. Events arrive by Server-Sent Events; they are drawn in batches,
// at most a few times a second, and the list keeps no more rows than the
// server's ring holds, so a flood of requests leaves the page responsive.
"use strict";

(function () {
  const table = document.getElementById("events");
  if (!table) {
    return;
  }
  const rows = document.getElementById("event-rows");
  const empty = document.getElementById("empty");
  const connection = document.getElementById("connection");
  const count = document.getElementById("count");
  const announce = document.getElementById("announce");
  const bucketFilter = document.getElementById("f-bucket");
  const originFilter = document.getElementById("f-origin");
  const verdictFilter = document.getElementById("f-verdict");
  const capacity = Math.max(1, parseInt(table.dataset.capacity, 10) || 1000);
  // The buckets the server has, which the page came with.
  const serverBuckets = new Set([...bucketFilter.options].map(function (o) { return o.value; }));

  let lastID = 0;
  // run names the server's run the rows come from: a stream's event ids
  // are "RUN-N", and a server that restarts numbers its events from 1
  // again, under another run.
  let run = "";
  let queue = [];
  let drawTimer = 0;
  let skipped = 0;
  let source = null;
  let retryTimer = 0;
  // busyRetry is how long the page waits before it asks again for a
  // stream the server refused: its Retry-After, in milliseconds.
  const busyRetry = 5000;
  // What the live region has yet to say.
  let fresh = { total: 0, allowed: 0, refused: 0, latest: null };
  let announceTimer = 0;

  // notPrintable matches a character that Go's unicode.IsPrint refuses:
  // anything but a letter, mark, number, punctuation, symbol or the ASCII
  // space. That is the controls, the format characters (among them the
  // bidi overrides, which make "https://\u202eelpmaxe.ppa" read as
  // "https://app.example", and the zero-width ones), the other spaces,
  // line and paragraph separators, and unassigned and private-use code
  // points.
  const notPrintable = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

  // goEscapes are the escapes Go's strconv.Quote writes by name.
  const goEscapes = new Map([
    ["\u0007", "\\a"], ["\b", "\\b"], ["\f", "\\f"], ["\n", "\\n"], ["\r", "\\r"], ["\t", "\\t"], ["\v", "\\v"],
    ["\"", "\\\""], ["\\", "\\\\"],
  ]);

  function hex(n, digits) {
    return n.toString(16).padStart(digits, "0");
  }

  // quote returns s quoted as Go's strconv.Quote quotes it, and so as the
  // request's page and explain show it.
  function quote(s) {
    let out = "\"";
    for (const ch of s) {
      const c = ch.codePointAt(0);
      if (goEscapes.has(ch)) {
        out += goEscapes.get(ch);
      } else if (!notPrintable.test(ch)) {
        out += ch;
      } else if (c < 0x20 || c === 0x7f) {
        out += "\\x" + hex(c, 2);
      } else if (c < 0x10000) {
        out += "\\u" + hex(c, 4);
      } else {
        out += "\\U" + hex(c, 8);
      }
    }
    return out + "\"";
  }

  // shown returns a value as the pages show it: as it is, or quoted as Go
  // quotes it when it holds a character that is not printable, which
  // would otherwise be invisible or change how the rest reads. It is the
  // twin of lint.ShownBare, the pages' shown. Bytes that are not UTF-8
  // reach the page as U+FFFD, which JSON puts in their place.
  function shown(value) {
    const s = String(value);
    return notPrintable.test(s) ? quote(s) : s;
  }

  function cell(text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    td.title = text;
    if (className) {
      td.className = className;
    }
    return td;
  }

  function timeOf(ev) {
    const d = new Date(ev.time);
    return isNaN(d.getTime()) ? String(ev.time) : d.toISOString().slice(11, 23);
  }

  function detailURL(id) {
    return "/_s3cors/requests/" + encodeURIComponent(String(id));
  }

  function row(ev) {
    const tr = document.createElement("tr");
    tr.dataset.id = String(ev.id);
    tr.dataset.bucket = String(ev.bucket);
    tr.dataset.origin = String(ev.origin);
    tr.dataset.verdict = ev.verdict === "allowed" ? "allowed" : "refused";
    tr.className = "fresh";

    const th = document.createElement("th");
    th.scope = "row";
    const a = document.createElement("a");
    a.href = detailURL(ev.id);
    a.textContent = "#" + String(ev.id);
    a.setAttribute("aria-label", "Request " + String(ev.id) + ": details");
    th.appendChild(a);
    tr.appendChild(th);

    tr.appendChild(cell(timeOf(ev)));
    tr.appendChild(cell(shown(ev.method), "method"));
    tr.appendChild(cell(shown(ev.query ? ev.path + "?" + ev.query : ev.path), "path"));
    tr.appendChild(cell(ev.origin === "" ? "(none)" : shown(ev.origin), "origin"));
    tr.appendChild(cell(ev.request_method === "" ? "—" : shown(ev.request_method), "request-method"));
    tr.appendChild(cell(ev.request_headers === "" ? "—" : shown(ev.request_headers), "request-headers"));
    tr.appendChild(cell(String(ev.status), "status"));

    const verdict = document.createElement("td");
    verdict.className = "verdict-cell";
    const badge = document.createElement("span");
    badge.className = "verdict " + tr.dataset.verdict;
    badge.textContent = tr.dataset.verdict;
    const outcome = document.createElement("span");
    outcome.className = "outcome";
    outcome.textContent = String(ev.outcome);
    verdict.appendChild(badge);
    verdict.appendChild(outcome);
    tr.appendChild(verdict);

    tr.hidden = !matches(tr);
    return tr;
  }

  function matches(tr) {
    const bucket = bucketFilter.value;
    const origin = originFilter.value.trim().toLowerCase();
    const verdict = verdictFilter.value;
    return (bucket === "" || tr.dataset.bucket === bucket) &&
      (origin === "" || tr.dataset.origin.toLowerCase().includes(origin)) &&
      (verdict === "" || tr.dataset.verdict === verdict);
  }

  // syncBuckets makes the bucket filter offer the server's buckets, which
  // the page came with, those of the rows it holds and the one chosen, and
  // no other: a request names any bucket it likes in its path, so a name
  // leaves the list with its last row, and a flood of requests to as many
  // names keeps the list as short as the ring. It reads each row and each
  // option once.
  function syncBuckets() {
    const held = new Set();
    for (const tr of rows.rows) {
      held.add(tr.dataset.bucket);
    }
    const offered = new Set();
    for (const option of [...bucketFilter.options]) {
      if (option.value === "" || serverBuckets.has(option.value) || held.has(option.value) || option.selected) {
        offered.add(option.value);
      } else {
        option.remove();
      }
    }
    for (const name of held) {
      if (name !== "" && !offered.has(name)) {
        const option = document.createElement("option");
        option.value = name;
        option.textContent = shown(name);
        bucketFilter.appendChild(option);
      }
    }
  }

  function updateCount() {
    let visible = 0;
    for (const tr of rows.rows) {
      if (!tr.hidden) {
        visible++;
      }
    }
    const total = rows.rows.length;
    empty.hidden = total > 0;
    count.textContent = visible === total
      ? total + (total === 1 ? " request" : " requests")
      : "showing " + visible + " of " + total + " requests";
    if (skipped > 0) {
      count.textContent += "; " + skipped + " went by faster than this page could show them";
    }
  }

  function draw() {
    drawTimer = 0;
    let batch = queue;
    queue = [];
    if (batch.length > capacity) {
      batch = batch.slice(batch.length - capacity);
    }
    for (const tr of rows.querySelectorAll("tr.fresh")) {
      tr.classList.remove("fresh");
    }
    const fragment = document.createDocumentFragment();
    for (let i = batch.length - 1; i >= 0; i--) {
      fragment.appendChild(row(batch[i]));
    }
    if (batch.length === capacity) {
      rows.replaceChildren(fragment); // a flood: the batch is the whole list
    } else {
      rows.insertBefore(fragment, rows.firstChild);
      while (rows.rows.length > capacity) {
        rows.deleteRow(rows.rows.length - 1);
      }
    }
    syncBuckets();
    updateCount();
  }

  function say() {
    announceTimer = 0;
    if (fresh.total === 0) {
      return;
    }
    let text = fresh.total === 1 ? "1 new request" : fresh.total + " new requests";
    text += ": " + fresh.allowed + " allowed, " + fresh.refused + " refused.";
    const ev = fresh.latest;
    text += " Latest: " + shown(ev.method) + " " + shown(ev.path) + " from " + (ev.origin === "" ? "no origin" : shown(ev.origin)) + ", " + (ev.verdict === "allowed" ? "allowed" : "refused") + ".";
    announce.textContent = text;
    fresh = { total: 0, allowed: 0, refused: 0, latest: null };
  }

  // restarted forgets the rows of a run that ended: their ids name other
  // requests in the new one, which sends its events from its first.
  function restarted() {
    queue = [];
    skipped = 0;
    lastID = 0;
    fresh = { total: 0, allowed: 0, refused: 0, latest: null };
    rows.replaceChildren();
    updateCount();
  }

  function receive(message) {
    let ev;
    try {
      ev = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    const dash = message.lastEventId.indexOf("-");
    const evRun = dash < 0 ? "" : message.lastEventId.slice(0, dash);
    if (evRun !== run) {
      if (run !== "") {
        restarted();
      }
      run = evRun;
    }
    lastID = Math.max(lastID, Number(ev.id) || 0);
    queue.push(ev);
    fresh.total++;
    if (ev.verdict === "allowed") {
      fresh.allowed++;
    } else {
      fresh.refused++;
    }
    fresh.latest = ev;
    if (!drawTimer) {
      drawTimer = setTimeout(draw, 100);
    }
    if (!announceTimer) {
      announceTimer = setTimeout(say, 2000);
    }
  }

  function connect() {
    const own = new EventSource("/_s3cors/api/events" + (lastID > 0 ? "?after=" + encodeURIComponent(run + "-" + lastID) : ""));
    source = own;
    source.onmessage = receive;
    source.addEventListener("skipped", function (message) {
      skipped += parseInt(message.data, 10) || 0;
      updateCount();
    });
    source.onopen = function () {
      connection.textContent = "Live";
      connection.className = "connection live";
    };
    source.onerror = function () {
      connection.textContent = "Reconnecting…";
      connection.className = "connection down";
      // An EventSource reconnects by itself after a network error, but an
      // HTTP error ends it for good: the 503 of a server that serves as
      // many streams as it may. Open another then, when its Retry-After
      // says.
      if (own.readyState === EventSource.CLOSED && source === own && !retryTimer) {
        retryTimer = setTimeout(function () {
          retryTimer = 0;
          if (source === own) {
            connect();
          }
        }, busyRetry);
      }
    };
  }

  for (const control of [bucketFilter, originFilter, verdictFilter]) {
    control.addEventListener("input", function () {
      for (const tr of rows.rows) {
        tr.hidden = !matches(tr);
      }
      updateCount();
    });
  }
  // The filters apply as they change: Enter in the origin's search box
  // would send the form, which reloads the page without the filter.
  document.getElementById("filters").addEventListener("submit", function (e) {
    e.preventDefault();
  });
  // A click anywhere on a row opens its details, as its link does.
  rows.addEventListener("click", function (e) {
    const tr = e.target.closest("tr");
    if (!tr || e.target.closest("a")) {
      return;
    }
    window.location.assign(detailURL(tr.dataset.id));
  });
  // Leaving the page closes the stream; coming back from the history
  // opens it again where it left off.
  window.addEventListener("pagehide", function () {
    if (source) {
      source.close();
      source = null;
    }
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) {
      connect();
    }
  });
  // The page says how the stream fares, and that no request came, only
  // once this script runs: without it, its <noscript> note stands alone.
  connection.textContent = "Connecting…";
  updateCount();
  connect();
})();
