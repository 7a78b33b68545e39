// The gateway's ZeroMQ players (examples/gateway/zmq-players.ts): a DEALER speaking bare ZWS2.0, as
// bunzmq/browser does in a page, joins with its first action, gets every result back by its routing
// id, counts among the gateway's players while connected and leaves the count when it closes.

import { expect, test } from "bun:test";
import { Gateway } from "../../examples/gateway/gateway.ts";
import { GameServer } from "../../examples/gateway/game-server.ts";
import { decodePlayerFrame, encodePlayerFrame } from "../../examples/gateway/protocol.ts";
import { Dealer } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();

test("a bare-ZWS2.0 DEALER plays through the gateway's ws:// ROUTER and leaves the player count when it closes", async () => {
  const gateway = new Gateway();
  await gateway.start();
  cleanup.add(() => gateway.close());
  const server = new GameServer({ id: 1, gateway: gateway.resultsEndpoint, workMicros: 0 });
  await server.start();
  cleanup.add(() => server.kill());
  await waitFor(() => gateway.servers.connectedCount >= 1, { what: "the gateway to connect to its server" });
  expect(gateway.zmqPlayersUrl).toStartWith("ws://127.0.0.1:");

  const player = new Dealer({ linger: 0, wsBareProtocol: true, routingId: "page-player-1" });
  cleanup.track(player);
  player.connect(gateway.zmqPlayersUrl!);
  for (let seq = 1; seq <= 20; seq++) await player.send(encodePlayerFrame(seq, new TextEncoder().encode(`move ${seq}`)));
  const answered = new Set<number>();
  while (answered.size < 20) {
    const [frame] = await withTimeout(player.receive(), 5000, `result ${answered.size + 1} of 20`);
    answered.add(decodePlayerFrame(frame!)!.clientSeq);
  }
  expect([...answered].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect(gateway.snapshot().players).toBe(1);
  expect(gateway.zmqPlayers.count).toBe(1);

  player.close();
  await waitFor(() => gateway.snapshot().players === 0, { what: "the closed player to leave the gateway's count" });
}, 20_000);
