// ws:// and wss:// from the API: several sockets on one port under their own paths, lastEndpoint
// with the real port, a taken path, wss with a certificate authority the test makes (trusted through
// wssTrustPem, checked against wssHostname, refused when untrusted), and the heartbeat dropping a
// WebSocket peer that falls silent, and a reader that stops pausing its WebSocket (server and client
// side) so the sender stops at the high-water marks. openssl makes the certificates; without it the wss tests are
// skipped with the reason printed, except under CI=true.

import { describe, expect, test } from "bun:test";
import type { Socket } from "bun";
import { Pull, Push } from "../../src/index.ts";
import { makeCertificates, OPENSSL as openssl } from "../helpers/certificates.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { EventLog } from "../helpers/events.ts";
import { endpointOf } from "../helpers/payload.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();

async function delivers(push: Push, pull: Pull): Promise<void> {
  await push.send(["over", "ws"]);
  expect((await withTimeout(pull.receive(), 5000, "the message")).map(String)).toEqual(["over", "ws"]);
}

describe("ws:// endpoints", () => {
  test("sockets share a port under their own paths; lastEndpoint has the real port; a taken path is EADDRINUSE", async () => {
    const first = cleanup.track(new Pull({ linger: 0 }));
    await first.bind("ws://127.0.0.1:*/first");
    const endpoint = endpointOf(first);
    expect(endpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/first$/);
    const second = cleanup.track(new Pull({ linger: 0 }));
    await second.bind(endpoint.replace("/first", "/second"));
    const taken = cleanup.track(new Pull({ linger: 0 }));
    expect(taken.bind(endpoint)).rejects.toMatchObject({ code: "EADDRINUSE" });
    for (const pull of [first, second]) {
      const push = cleanup.track(new Push({ linger: 0 }));
      push.connect(endpointOf(pull));
      await delivers(push, pull);
    }
    // Unbinding one path leaves the other served.
    await first.unbind(endpoint);
    const late = cleanup.track(new Push({ linger: 0 }));
    late.connect(endpointOf(second));
    await delivers(late, second);
  });

  test("the heartbeat drops a WebSocket peer that stops answering, and says so", async () => {
    const push = cleanup.track(new Push({ linger: 0, heartbeatInterval: 50, heartbeatTimeout: 200 }));
    const log = new EventLog(push);
    await push.bind("ws://127.0.0.1:*/silent");
    const url = new URL(endpointOf(push));
    // A bare ZWS2.0 upgrade by hand and its routing id, then silence: no reads, so no pongs.
    const request =
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ZWS2.0\r\n\r\n";
    const silent: Socket<undefined> = await Bun.connect({
      hostname: url.hostname,
      port: Number(url.port),
      socket: {
        open(socket) {
          socket.write(new TextEncoder().encode(request));
          socket.write(new Uint8Array([0x82, 0x81, 1, 2, 3, 4, 0x00 ^ 1]));
          socket.pause();
        },
        data() {},
      },
    });
    cleanup.add(() => silent.terminate());
    await log.waitFor("handshake");
    const gone = await log.waitFor("disconnect", { timeoutMs: 3000 });
    expect(gone.error?.code).toBe("ETIMEDOUT");
  });
});

describe.skipIf(openssl === null)("wss:// with a certificate authority the test makes", () => {
  const certificates = openssl === null ? null : makeCertificates();
  const serverOptions = () => ({ linger: 0, wssCertPem: certificates!.cert, wssKeyPem: certificates!.key });

  test("a client trusting the CA through wssTrustPem exchanges messages over TLS", async () => {
    const pull = cleanup.track(new Pull(serverOptions()));
    await pull.bind("wss://127.0.0.1:*/secure");
    expect(endpointOf(pull)).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/secure$/);
    const push = cleanup.track(new Push({ linger: 0, wssTrustPem: certificates!.ca, wssTrustSystem: false }));
    push.connect(endpointOf(pull));
    await delivers(push, pull);
  });

  test("wssHostname names the certificate's host when the endpoint is an address", async () => {
    const pull = cleanup.track(new Pull(serverOptions()));
    await pull.bind("wss://127.0.0.1:*/named");
    const push = cleanup.track(new Push({ linger: 0, wssTrustPem: certificates!.ca, wssHostname: "localhost" }));
    push.connect(endpointOf(pull));
    await delivers(push, pull);
  });

  test("an untrusted certificate, or the wrong wssHostname, is never connected to: the dial is retried", async () => {
    const pull = cleanup.track(new Pull(serverOptions()));
    const pullLog = new EventLog(pull);
    await pull.bind("wss://127.0.0.1:*/refused");
    for (const options of [{}, { wssTrustPem: certificates!.ca, wssHostname: "elsewhere.example" }]) {
      const push = cleanup.track(new Push({ linger: 0, reconnectInterval: 20, ...options }));
      const log = new EventLog(push);
      push.connect(endpointOf(pull));
      await log.waitFor("connect:retry", { count: 2 });
      expect(log.count("handshake")).toBe(0);
    }
    expect(pullLog.count("handshake")).toBe(0);
  });

  test("a wss:// bind without wssCertPem and wssKeyPem is EINVAL, naming them", async () => {
    const pull = cleanup.track(new Pull({ linger: 0 }));
    expect(pull.bind("wss://127.0.0.1:*/nocert")).rejects.toMatchObject({ code: "EINVAL" });
  });
});

if (openssl === null && process.env.CI === "true") {
  test("openssl is present (CI provides it)", () => {
    throw new Error("openssl is not on PATH: the wss:// tests need it to make their certificates");
  });
} else if (openssl === null) {
  console.log("test/api/ws-transport.test.ts: wss tests skipped: openssl is not on PATH");
}

describe("ws:// back-pressure", () => {
  for (const readerBinds of [true, false]) {
    test(`a PULL that stops reading pauses its WebSocket (${readerBinds ? "server" : "client"} side): the PUSH stops at the marks`, async () => {
      const pull = cleanup.track(new Pull({ linger: 0, receiveHighWaterMark: 10 }));
      const push = cleanup.track(new Push({ linger: 0, sendHighWaterMark: 10, sendTimeout: 200 }));
      const log = new EventLog(push);
      if (readerBinds) {
        await pull.bind("ws://127.0.0.1:*/reader");
        push.connect(endpointOf(pull));
      } else {
        await push.bind("ws://127.0.0.1:*/reader");
        pull.connect(endpointOf(push));
      }
      await log.waitFor("handshake");
      const body = new Uint8Array(64 * 1024);
      let accepted = 0;
      // Each send is taken, or fails EAGAIN once nothing moved for 200 ms.
      for (;;) {
        try {
          await push.send(body);
          accepted++;
        } catch (error) {
          expect((error as { code?: string }).code).toBe("EAGAIN");
          break;
        }
        if (accepted > 2000) break;
      }
      // Both marks, the reader's one held chunk, the 1 MiB WebSocket limit and the kernel's buffers.
      expect(accepted).toBeGreaterThan(20);
      expect(accepted * body.length).toBeLessThan(24 * 1024 * 1024);
      // Reading again resumes the flow: everything taken arrives.
      for (let i = 0; i < accepted; i++) await withTimeout(pull.receive(), 5000, `message ${i + 1} of ${accepted}`);
    });
  }
});
