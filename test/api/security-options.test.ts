// The security options (api-contract §1.3) as libzmq 4.3.4's setsockopt takes them: which mechanism
// and role each selects, what they accept and read back, and the EINVAL a socket gives at bind or
// connect when a client key does not match (missing keys only warn, as libzmq goes ahead with zeros).

import { describe, expect, test } from "bun:test";
import { Dealer, Pull, Push, capability, curveKeyPair } from "../../src/index.ts";
import { z85Decode } from "../../src/extras.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { waitFor } from "../helpers/wait.ts";

const cleanup = useCleanup();

function errorOf(action: () => unknown): { code?: string; message?: string; detail?: string } | undefined {
  try {
    action();
  } catch (error) {
    return error as { code?: string; message?: string; detail?: string };
  }
  return undefined;
}

describe("CURVE options", () => {
  test("capability.curve is true and curveKeyPair() gives 40-character Z85 keys that decode to 32 bytes", () => {
    expect(capability.curve).toBe(true);
    const { publicKey, secretKey } = curveKeyPair();
    expect([publicKey.length, secretKey.length]).toEqual([40, 40]);
    expect(z85Decode(publicKey)!.length).toBe(32);
    expect(curveKeyPair().secretKey).not.toBe(secretKey);
  });

  test("curveServer selects the CURVE server; false returns to NULL (as ZMQ_CURVE_SERVER)", () => {
    const pull = cleanup.track(new Pull({ curveServer: true }));
    expect([pull.securityMechanism, pull.curveServer, pull.plainServer]).toEqual(["curve", true, false]);
    pull.curveServer = false;
    expect([pull.securityMechanism, pull.curveServer]).toEqual([null, false]);
  });

  test("curveServerKey selects the CURVE client even after curveServer; own keys keep the role", () => {
    const { publicKey } = curveKeyPair();
    const push = cleanup.track(new Push({ curveServer: true }));
    push.curveServerKey = publicKey;
    expect([push.securityMechanism, push.curveServer]).toEqual(["curve", false]);
    const server = cleanup.track(new Pull({ curveServer: true, curveSecretKey: curveKeyPair().secretKey }));
    expect(server.curveServer).toBe(true);
  });

  test("keys are taken as 40 Z85 characters or 32 bytes and read back as Z85; null clears", () => {
    const { publicKey, secretKey } = curveKeyPair();
    const dealer = cleanup.track(new Dealer({ curvePublicKey: publicKey }));
    expect(dealer.curvePublicKey).toBe(publicKey);
    dealer.curveSecretKey = z85Decode(secretKey)!;
    expect(dealer.curveSecretKey).toBe(secretKey);
    dealer.curveSecretKey = null;
    expect([dealer.curveSecretKey, dealer.curveServerKey]).toEqual([null, null]);
  });

  test("a key of another length or outside the Z85 alphabet is EINVAL naming the option; a number is a TypeError", () => {
    const dealer = cleanup.track(new Dealer());
    for (const bad of ["short", "x".repeat(39) + " ", new Uint8Array(31)]) {
      const error = errorOf(() => {
        dealer.curveServerKey = bad as string;
      });
      expect(error?.code).toBe("EINVAL");
      expect(error?.detail).toContain("curveServerKey");
    }
    expect(() => {
      dealer.curveServerKey = 42 as unknown as string;
    }).toThrow(new TypeError("Option value must be a string or buffer"));
    expect(dealer.securityMechanism).toBeNull();
  });

  test("bind or connect with a CURVE role lacking its keys goes ahead with all-zero keys, as libzmq, and warns once per socket naming the keys", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const server = cleanup.track(new Pull({ curveServer: true }));
      expect(errorOf(() => server.bindSync(TCP_ANY))).toBeUndefined();
      expect(errorOf(() => server.bindSync(TCP_ANY))).toBeUndefined();
      const client = cleanup.track(new Push({ curveServerKey: curveKeyPair().publicKey }));
      expect(errorOf(() => client.connect("ipc://@bunzmq-never-reached"))).toBeUndefined();
      await waitFor(() => warnings.length >= 2, { what: "two warnings" });
      expect(warnings.map((w) => w.message)).toEqual([
        expect.stringContaining("curveSecretKey"),
        expect.stringContaining("curvePublicKey and curveSecretKey"),
      ]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  test("a client whose curvePublicKey is not that of its curveSecretKey is EINVAL at connect", () => {
    const client = cleanup.track(
      new Push({
        curveServerKey: curveKeyPair().publicKey,
        curvePublicKey: curveKeyPair().publicKey,
        curveSecretKey: curveKeyPair().secretKey,
      }),
    );
    expect(errorOf(() => client.connect("ipc://@bunzmq-never-reached"))?.detail).toContain("not the public key of curveSecretKey");
  });
});

describe("PLAIN and ZAP options", () => {
  test("a username selects the PLAIN client, null returns to NULL; plainServer then curveServer switch mechanisms", () => {
    const push = cleanup.track(new Push({ plainUsername: "admin" }));
    expect(push.securityMechanism).toBe("plain");
    push.plainUsername = null;
    expect(push.securityMechanism).toBeNull();
    push.plainServer = true;
    push.curveServer = true;
    expect([push.plainServer, push.curveServer, push.securityMechanism]).toEqual([false, true, "curve"]);
  });

  test("zapDomain and authenticate are validated; zapDomain reads null when empty", () => {
    const pull = cleanup.track(new Pull({ zapDomain: "global" }));
    expect(pull.zapDomain).toBe("global");
    pull.zapDomain = null;
    expect(pull.zapDomain).toBeNull();
    expect(
      errorOf(() => {
        pull.zapDomain = "x".repeat(256);
      })?.code,
    ).toBe("EINVAL");
    expect(() => {
      pull.authenticate = "yes" as never;
    }).toThrow(new TypeError("Option value must be a function or null"));
  });
});
