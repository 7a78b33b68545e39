// udp:// datagrams as libzmq 4.3.5 lays them out: hex vectors of what its udp_engine writes, and
// the datagrams and address frames it drops.

import { describe, expect, test } from "bun:test";
import { MAX_UDP_DATAGRAM, decodeGroupDatagram, decodePeerFrame, encodeGroupDatagram, encodePeerFrame } from "./udp-datagram.ts";

const hex = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString("hex"));
const text = (value: string) => new TextEncoder().encode(value);

describe("udp:// RADIO datagrams (libzmq 4.3.5 udp_engine: length byte, group, body)", () => {
  test("encode writes the group's length, the group and the body", () => {
    expect(hex(encodeGroupDatagram(text("news"), text("hi")))).toBe("046e6577736869");
    expect(hex(encodeGroupDatagram(new Uint8Array(0), new Uint8Array(0)))).toBe("00");
    const group = new Uint8Array(255).fill(0x67);
    expect(encodeGroupDatagram(group, text("x"))![0]).toBe(255);
  });

  test("encode refuses a group over 255 bytes and a datagram over libzmq's 8192", () => {
    expect(encodeGroupDatagram(new Uint8Array(256), new Uint8Array(0))).toBeNull();
    expect(encodeGroupDatagram(text("g"), new Uint8Array(MAX_UDP_DATAGRAM - 2))).not.toBeNull();
    expect(encodeGroupDatagram(text("g"), new Uint8Array(MAX_UDP_DATAGRAM - 1))).toBeNull();
  });

  test("decode reads group and body back as views", () => {
    const decoded = decodeGroupDatagram(Buffer.from("046e6577736869", "hex"))!;
    expect([hex(decoded.group), hex(decoded.body)]).toEqual(["6e657773", "6869"]);
    expect(decodeGroupDatagram(Uint8Array.of(0))).toMatchObject({ group: new Uint8Array(0), body: new Uint8Array(0) });
    // A group that ends exactly at the datagram's end leaves an empty body.
    expect(hex(decodeGroupDatagram(Uint8Array.of(2, 0x61, 0x62))!.body)).toBe("");
  });

  test("decode drops an empty datagram and a group length past the end", () => {
    expect(decodeGroupDatagram(new Uint8Array(0))).toBeNull();
    expect(decodeGroupDatagram(Uint8Array.of(3, 0x61, 0x62))).toBeNull();
    expect(decodeGroupDatagram(Uint8Array.of(255))).toBeNull();
  });
});

describe("DGRAM address frames (libzmq's sockaddr_to_msg and resolve_raw_address)", () => {
  test("a sender is ip:port and a NUL, as libzmq's C string", () => {
    expect(hex(encodePeerFrame("127.0.0.1", 5))).toBe(hex(text("127.0.0.1:5\0")));
  });

  test("a destination is a dotted IPv4 address and a port 1-65535, with or without the NUL", () => {
    expect(decodePeerFrame(text("10.1.2.3:65535"))).toEqual({ address: "10.1.2.3", port: 65535 }); // lint-tests-allow literal-port: parser vector; nothing binds
    expect(decodePeerFrame(text("10.1.2.3:80\0"))).toEqual({ address: "10.1.2.3", port: 80 }); // lint-tests-allow literal-port: parser vector; nothing binds
    for (const bad of ["", "\0", "10.1.2.3", "10.1.2.3:0", "10.1.2.3:65536", "localhost:80", "10.1.2.256:80", "10.1.2.3:8a", ":80"]) {
      expect(decodePeerFrame(text(bad))).toBeNull();
    }
  });
});
