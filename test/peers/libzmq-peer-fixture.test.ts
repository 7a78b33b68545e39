// The standalone libzmq peer process, driven from an in-process libzmq socket.

import { describe, expect, test } from "bun:test";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { LibzmqPeerProcess } from "../helpers/libzmq-peer.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";

const cleanup = useCleanup();

describe("libzmq peer fixture process", () => {
  test("a bound PULL fixture reports its endpoint, prints each message and exits after --count", async () => {
    const fixture = cleanup.track(await LibzmqPeerProcess.start(["--type", "pull", "--bind", TCP_ANY, "--count", "2"]));
    expect(fixture.endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const push = cleanup.libzmq().socket(ZMQ.PUSH);
    push.connect(fixture.endpoint);

    await push.send(["a", ""]);
    await push.send(["b"]);
    expect(await fixture.exited()).toBe(0);
    expect(fixture.messages()).toEqual([["a", ""], ["b"]]);
    expect(fixture.records.at(-1)).toMatchObject({ type: "done", received: 2 });
  }, 15_000);

  test("an echoing PAIR fixture sends every message back", async () => {
    const pair = cleanup.libzmq().socket(ZMQ.PAIR);
    pair.bind(TCP_ANY);
    const fixture = cleanup.track(
      await LibzmqPeerProcess.start(["--type", "pair", "--connect", pair.lastEndpoint, "--echo", "--count", "1"]),
    );

    await pair.send(["echo", "me"]);
    expect((await pair.receive()).map(String)).toEqual(["echo", "me"]);
    expect(await fixture.exited()).toBe(0);
  }, 15_000);

  test("a PUSH fixture sends --count messages", async () => {
    const pull = cleanup.libzmq().socket(ZMQ.PULL);
    pull.bind(TCP_ANY);
    const fixture = cleanup.track(await LibzmqPeerProcess.start(["--type", "push", "--connect", pull.lastEndpoint, "--count", "3"]));

    for (let i = 0; i < 3; i++) expect((await pull.receive()).map(String)).toEqual([`message-${i}`]);
    expect(await fixture.exited()).toBe(0);
    expect(fixture.records.filter((r) => r.type === "sent").length).toBe(3);
  }, 15_000);

  test("a fixture with --monitor reports its libzmq monitor events", async () => {
    const push = cleanup.libzmq().socket(ZMQ.PUSH);
    push.bind(TCP_ANY);
    const fixture = cleanup.track(
      await LibzmqPeerProcess.start(["--type", "pull", "--connect", push.lastEndpoint, "--count", "1", "--monitor"]),
    );

    await push.send(["x"]);
    expect(await fixture.exited()).toBe(0);
    const events = fixture.records.filter((r) => r.type === "monitor").map((r) => r.event);
    expect(events).toContain("CONNECTED");
    expect(events).toContain("HANDSHAKE_SUCCEEDED");
  }, 15_000);

  test("the fixture exits when its stdin closes", async () => {
    const fixture = cleanup.track(await LibzmqPeerProcess.start(["--type", "pull", "--bind", TCP_ANY]));
    expect(await fixture.stop()).toBe(0);
    expect(fixture.records.at(-1)).toMatchObject({ type: "done", received: 0 });
  }, 15_000);
});
