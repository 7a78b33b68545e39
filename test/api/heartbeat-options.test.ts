// heartbeatInterval / heartbeatTimeToLive / heartbeatTimeout (api-contract §1.3) take values as libzmq 4.3.4's
// ZMQ_HEARTBEAT_IVL / _TTL / _TIMEOUT setsockopt does (the edge values were probed on libzmq 4.3.4 through bun:ffi).

import { describe, expect, test } from "bun:test";
import { Dealer } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";

const cleanup = useCleanup();

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("heartbeat options", () => {
  test("default to 0, 0 and -1 (timeout = interval)", () => {
    const dealer = cleanup.track(new Dealer());
    expect([dealer.heartbeatInterval, dealer.heartbeatTimeToLive, dealer.heartbeatTimeout]).toEqual([0, 0, -1]);
  });

  test("heartbeatTimeToLive is kept in whole deciseconds: 1050 reads back 1000, 6553599 reads back 6553500, -50 reads back 0", () => {
    const dealer = cleanup.track(new Dealer({ heartbeatTimeToLive: 1050 }));
    expect(dealer.heartbeatTimeToLive).toBe(1000);
    dealer.heartbeatTimeToLive = 6_553_599;
    expect(dealer.heartbeatTimeToLive).toBe(6_553_500);
    dealer.heartbeatTimeToLive = -50;
    expect(Object.is(dealer.heartbeatTimeToLive, 0)).toBe(true);
  });

  test("refuse what libzmq refuses: a TTL over 65535 ds or under -99, a negative interval, a timeout of -1", () => {
    const dealer = cleanup.track(new Dealer({ heartbeatInterval: 100, heartbeatTimeout: 0 }));
    expect(codeOf(() => (dealer.heartbeatTimeToLive = 6_553_600))).toBe("EINVAL");
    expect(codeOf(() => (dealer.heartbeatTimeToLive = -150))).toBe("EINVAL");
    expect(codeOf(() => (dealer.heartbeatInterval = -1))).toBe("EINVAL");
    expect(codeOf(() => (dealer.heartbeatTimeout = -1))).toBe("EINVAL");
    expect([dealer.heartbeatInterval, dealer.heartbeatTimeToLive, dealer.heartbeatTimeout]).toEqual([100, 0, 0]);
  });
});
