// The multicast rows of the conformance suite: epgm:// and pgm:// on this host's loopback (the
// interface 127.0.0.1, so every packet stays on `lo`; each socket hears the group through multicast
// loop, bunzmq's default). They meet only the PUB/SUB cases: libzmq refuses every other socket type
// on a multicast transport. pgm:// needs a raw IP socket, hence root or CAP_NET_RAW: without it its
// cases are gaps with that reason, except under CI=true, which provides root and fails instead.
// Traffic between bunzmq and libzmq over both is tested in namespaces (test/interop/epgm.test.ts,
// pgm.test.ts).

import { Publisher } from "../../src/index.ts";
import type { ConformanceCase, TransportRow } from "./transports.ts";

const STREAM_CASES: readonly ConformanceCase[] = [
  "refused dial",
  "duplicate bind",
  "exchange",
  "huge message",
  "reconnect",
  "close with linger",
  "close with linger 0",
  "monitor events",
];
const PUB_SUB_CASES: readonly ConformanceCase[] = ["fan-out", "huge publication", "subscriber leaves"];
const PUB_SUB_ONLY = "multicast carries PUB/SUB only; libzmq refuses other socket types there (ENOCOMPATPROTO)";

/** A group and port of their own per endpoint, so no two tests (or test runs) hear each other. */
let next = Math.floor(Math.random() * 40_000);
function fresh(scheme: string): string {
  const n = next++;
  return `${scheme}://127.0.0.1;239.192.${100 + (n % 100)}.${1 + (n % 250)}:${20_000 + (n % 40_000)}`;
}

/** Why this process cannot open pgm://, or null when it can. */
function rawUnavailable(): string | null {
  if (process.env.CI === "true") return null;
  const probe = new Publisher({ linger: 0 });
  try {
    probe.connect(fresh("pgm"));
    return null;
  } catch (error) {
    return `pgm:// needs root or CAP_NET_RAW here (${(error as { code?: string }).code})`;
  } finally {
    probe.close();
  }
}

function row(scheme: "epgm" | "pgm", unavailable: string | null): TransportRow {
  const gaps: Partial<Record<ConformanceCase, string>> = {};
  for (const name of STREAM_CASES) gaps[name] = PUB_SUB_ONLY;
  if (unavailable !== null) for (const name of PUB_SUB_CASES) gaps[name] = unavailable;
  return {
    name: scheme,
    // bind() is connect() on a multicast transport, as in libzmq; nothing is ever "vacant".
    bindable: () => fresh(scheme),
    vacant: () => fresh(scheme),
    // No connections, hence no monitor events; connect() makes the pipe at once.
    events: null,
    lingerZeroDrops: true,
    // 100 Mbit/s: the default 100 kbit/s would take minutes over a huge publication.
    socketOptions: { rate: 100_000 },
    gaps,
    knownDivergences: {},
  };
}

export const EPGM = row("epgm", null);
export const PGM = row("pgm", rawUnavailable());
export const MULTICAST_TRANSPORTS: readonly TransportRow[] = [EPGM, PGM];
