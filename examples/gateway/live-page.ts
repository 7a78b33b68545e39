// The demo's live page, served beside GET /metrics by the gateway: a person watches the cluster
// (actions/s, latency p50/p99, actions on disk, each server's share and state, servers joining and
// dying) and joins as a player, from the page itself, with bunzmq/browser. It reads the same metrics model as
// /metrics (./metrics-model.ts), as JSON at /snapshot; the page polls it twice a second.
//
// Joining: the page imports bunzmq/browser (served at /bunzmq.js, the package's browser build, as
// any site would serve it), connects a DEALER to the gateway's ZeroMQ players' endpoint
// (./zmq-players.ts) with bare ZWS2.0, and plays: an action every 100 ms, each answer's round trip
// shown. `bun run build:browser` makes the build in a git checkout (`bun run demo` does, as its predemo step).

import type { GatewaySnapshot } from "./metrics-model.ts";

export interface LivePageSource {
  snapshot(): GatewaySnapshot;
  /** Where the page's player connects, or null when the gateway takes no ZeroMQ players. */
  readonly zmqPlayersUrl: string | null;
}

/** The package's browser build, read once on first request; null where it was never built. */
let bundle: Promise<string | null> | null = null;

function browserBuild(): Promise<string | null> {
  bundle ??= (async () => {
    try {
      const file = Bun.file(Bun.resolveSync("bunzmq/browser", import.meta.dir));
      return (await file.exists()) ? await file.text() : null;
    } catch {
      return null;
    }
  })();
  return bundle;
}

/** Answers the page's paths (`/`, `/snapshot`, `/bunzmq.js`), or null for any other. */
export async function livePage(path: string, source: LivePageSource): Promise<Response | null> {
  if (path === "/") return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
  if (path === "/snapshot") return Response.json({ ...source.snapshot(), zmqPlayersUrl: source.zmqPlayersUrl });
  if (path !== "/bunzmq.js") return null;
  const text = await browserBuild();
  if (text === null) return new Response("bunzmq/browser is not built: run `bun run build:browser`\n", { status: 503 });
  return new Response(text, { headers: { "content-type": "text/javascript" } });
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bunzmq game gateway, live</title>
<style>
  body { font: 15px system-ui, sans-serif; margin: 2em; color: #222; }
  .figures { display: flex; gap: 2em; margin: 1em 0; }
  .figure b { display: block; font-size: 2em; }
  table { border-collapse: collapse; } td, th { padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: right; }
  .bar { background: #4a8; height: .8em; }
  .dead { color: #b33; } .leaving { color: #a70; }
</style></head>
<body>
<h1>bunzmq game gateway</h1>
<div class="figures">
  <div class="figure">actions/s<b id="rate">0</b></div>
  <div class="figure">latency p50<b id="p50">0</b></div>
  <div class="figure">p99<b id="p99">0</b></div>
  <div class="figure">players<b id="players">0</b></div>
  <div class="figure">on disk<b id="disk">0</b></div>
</div>
<table><thead><tr><th>server</th><th>state</th><th>answers/s</th><th>share</th><th></th></tr></thead><tbody id="servers"></tbody></table>
<p><button id="join">Join as a player</button> <span id="me"></span></p>
<ul id="log"></ul>
<script type="module">
const $ = (id) => document.getElementById(id);
const seen = new Map();
function note(text) {
  const item = document.createElement("li");
  item.textContent = new Date().toLocaleTimeString() + " " + text;
  $("log").prepend(item);
}
async function refresh() {
  const s = await (await fetch("/snapshot")).json();
  $("rate").textContent = s.actionsPerSecond.toFixed(1);
  $("p50").textContent = s.p50.toFixed(2) + " ms";
  $("p99").textContent = s.p99.toFixed(2) + " ms";
  $("players").textContent = s.players;
  $("disk").textContent = (s.spillBytes / 1048576).toFixed(1) + " MiB";
  $("join").dataset.url = s.zmqPlayersUrl ?? "";
  const rows = s.servers.map((server) => {
    const state = server.connected ? (server.leaving ? "leaving" : "up") : "down";
    if (seen.get(server.id) !== state) note("server " + server.id + " " + (seen.has(server.id) ? "is " + state : "joined"));
    seen.set(server.id, state);
    const share = Math.round(server.share * 100);
    return "<tr class='" + (state === "down" ? "dead" : state) + "'><td>" + server.id + "</td><td>" + state + "</td><td>" +
      Math.round(server.perSecond) + "</td><td>" + share + " %</td><td><div class='bar' style='width:" + share * 2 + "px'></div></td></tr>";
  });
  $("servers").innerHTML = rows.join("");
}
setInterval(() => refresh().catch(() => {}), 500);
refresh().catch(() => {});

$("join").onclick = async () => {
  $("join").disabled = true;
  const { Dealer } = await import("/bunzmq.js");
  const name = "page-" + Math.random().toString(36).slice(2, 10);
  const player = new Dealer({ routingId: name, linger: 0 });
  player.connect($("join").dataset.url);
  $("me").textContent = "playing as " + name;
  const sent = new Map();
  let seq = 0;
  setInterval(() => {
    const frame = new Uint8Array(8);
    new DataView(frame.buffer).setUint32(0, ++seq);
    sent.set(seq, performance.now());
    player.trySend(frame);
  }, 100);
  for await (const [frame] of player) {
    const back = new DataView(frame.buffer, frame.byteOffset, frame.length).getUint32(0);
    const rtt = performance.now() - (sent.get(back) ?? performance.now());
    sent.delete(back);
    $("me").textContent = "playing as " + name + ": action " + back + " answered in " + rtt.toFixed(1) + " ms";
  }
};
</script>
</body></html>
`;
