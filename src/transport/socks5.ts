// The client side of a SOCKS5 handshake (RFC 1928, with RFC 1929 username/password authentication)
// as a pure state machine: bytes in, bytes to send out, no I/O. Imports nothing. socks-dial.ts
// runs it over a TCP connection to the proxy. What it sends follows libzmq's socks_connecter:
//   - one authentication method offered: username/password (0x02) when a username is set, else
//     none (0x00);
//   - CONNECT to an IPv4 or IPv6 literal as such (ATYP 1 or 4), and any other host as a domain
//     name (ATYP 3) that the proxy resolves, never resolved here.
// It is stricter than libzmq in one place: a proxy choosing a method we did not offer is refused
// (RFC 1928 lets it pick only among the offered ones; libzmq would go along with either).

const VERSION = 0x05;
const AUTH_VERSION = 0x01;
const NO_AUTH = 0x00;
const USERNAME_PASSWORD = 0x02;
const NO_ACCEPTABLE_METHOD = 0xff;
const CONNECT = 0x01;
const ATYP_IPV4 = 0x01;
const ATYP_DOMAIN = 0x03;
const ATYP_IPV6 = 0x04;

/** RFC 1928 §6 reply codes 1-8. */
const REPLY_TEXT = [
  "succeeded",
  "general SOCKS server failure",
  "connection not allowed by ruleset",
  "network unreachable",
  "host unreachable",
  "connection refused",
  "TTL expired",
  "command not supported",
  "address type not supported",
];

const enum Phase {
  Method,
  Auth,
  Reply,
  Connected,
  Failed,
}

export interface Socks5Target {
  /** Host name or numeric address (no brackets) the proxy connects to. */
  host: string;
  port: number;
  /** RFC 1929 credentials, at most 255 bytes each; an empty username offers no authentication. */
  username: string;
  password: string;
}

const utf8 = new TextEncoder();

export class Socks5Client {
  readonly #target: Socks5Target;
  #phase = Phase.Method;
  #buffer: Uint8Array = new Uint8Array(0);
  /** Why the handshake failed; null while it has not. */
  error: string | null = null;
  /** Bytes the proxy sent after its final reply: the start of the tunnelled stream. */
  leftover: Uint8Array = new Uint8Array(0);

  constructor(target: Socks5Target) {
    this.#target = target;
  }

  get connected(): boolean {
    return this.#phase === Phase.Connected;
  }

  get failed(): boolean {
    return this.#phase === Phase.Failed;
  }

  /** RFC 1928 §3: VER, NMETHODS, METHODS; the first bytes to send. */
  greeting(): Uint8Array {
    return Uint8Array.of(VERSION, 1, this.#offeredMethod);
  }

  /**
   * Takes bytes from the proxy; returns what to send back, or null for nothing (yet). Once
   * `connected` or `failed`, further input is ignored. Chunks may split replies anywhere.
   */
  feed(chunk: Uint8Array): Uint8Array | null {
    if (this.#phase === Phase.Connected || this.#phase === Phase.Failed) return null;
    this.#buffer = this.#buffer.length === 0 ? chunk : concat(this.#buffer, chunk);
    let output: Uint8Array | null = null;
    for (;;) {
      const needed = this.#replyLength();
      if (this.#buffer.length < needed) return output;
      const reply = this.#buffer.subarray(0, needed);
      this.#buffer = this.#buffer.subarray(needed);
      const next = this.#onReply(reply);
      if (next !== null) output = output === null ? next : concat(output, next);
      // #onReply moved the phase on; re-read it (TypeScript keeps the narrowing from above).
      const phase = this.#phase as Phase;
      if (phase === Phase.Failed) return null;
      if (phase === Phase.Connected) {
        this.leftover = this.#buffer;
        return output;
      }
    }
  }

  get #offeredMethod(): number {
    return this.#target.username === "" ? NO_AUTH : USERNAME_PASSWORD;
  }

  /** Bytes the current reply takes (for a CONNECT reply, once its first 5 bytes tell). */
  #replyLength(): number {
    const buffer = this.#buffer;
    if (this.#phase !== Phase.Reply) return 2;
    // RFC 1928 §6: VER REP RSV ATYP BND.ADDR BND.PORT; the address type decides the length.
    if (buffer.length < 5) return 5;
    if (buffer[3] === ATYP_IPV4) return 4 + 4 + 2;
    if (buffer[3] === ATYP_IPV6) return 4 + 16 + 2;
    if (buffer[3] === ATYP_DOMAIN) return 4 + 1 + buffer[4]! + 2;
    return 5; // an unknown type is refused in #onReply, which sees its first 5 bytes
  }

  #onReply(reply: Uint8Array): Uint8Array | null {
    switch (this.#phase) {
      case Phase.Method:
        return this.#onMethod(reply);
      case Phase.Auth:
        // RFC 1929: VER 1, STATUS 0 = success; anything else SHALL close the connection.
        if (reply[0] !== AUTH_VERSION) return this.#fail(`proxy answered authentication with version ${reply[0]}, not 1`);
        if (reply[1] !== 0) return this.#fail(`proxy refused the username and password (status ${reply[1]})`);
        return this.#request();
      default:
        return this.#onConnectReply(reply);
    }
  }

  #onMethod(reply: Uint8Array): Uint8Array | null {
    if (reply[0] !== VERSION) return this.#fail(`proxy answered with SOCKS version ${reply[0]}, not 5`);
    const method = reply[1]!;
    if (method === NO_ACCEPTABLE_METHOD) {
      const hint = this.#offeredMethod === NO_AUTH ? ": it may require a username and password (socksUsername)" : "";
      return this.#fail(`proxy accepts none of the offered authentication methods${hint}`);
    }
    if (method !== this.#offeredMethod) return this.#fail(`proxy chose authentication method ${method}, which was not offered`);
    if (method === NO_AUTH) return this.#request();
    this.#phase = Phase.Auth;
    // RFC 1929 §2: VER 1, ULEN, UNAME, PLEN, PASSWD.
    const username = utf8.encode(this.#target.username);
    const password = utf8.encode(this.#target.password);
    return Uint8Array.of(AUTH_VERSION, username.length, ...username, password.length, ...password);
  }

  // RFC 1928 §4: VER, CMD CONNECT, RSV, ATYP, DST.ADDR, DST.PORT (network order).
  #request(): Uint8Array | null {
    const { host, port } = this.#target;
    const ipv4 = ipv4Bytes(host);
    const ipv6 = ipv4 === null ? ipv6Bytes(host) : null;
    let address: number[];
    if (ipv4 !== null) address = [ATYP_IPV4, ...ipv4];
    else if (ipv6 !== null) address = [ATYP_IPV6, ...ipv6];
    else {
      const name = utf8.encode(host);
      if (name.length === 0 || name.length > 255) return this.#fail(`host name "${host}" does not fit a SOCKS5 request (1-255 bytes)`);
      address = [ATYP_DOMAIN, name.length, ...name];
    }
    this.#phase = Phase.Reply;
    return Uint8Array.of(VERSION, CONNECT, 0x00, ...address, port >> 8, port & 0xff);
  }

  #onConnectReply(reply: Uint8Array): Uint8Array | null {
    if (reply[0] !== VERSION) return this.#fail(`proxy replied with SOCKS version ${reply[0]}, not 5`);
    if (reply[2] !== 0) return this.#fail("proxy's reply has a non-zero reserved byte");
    if (reply[3] !== ATYP_IPV4 && reply[3] !== ATYP_IPV6 && reply[3] !== ATYP_DOMAIN) {
      return this.#fail(`proxy's reply has unknown address type ${reply[3]}`);
    }
    const code = reply[1]!;
    if (code !== 0) {
      const text = REPLY_TEXT[code] ?? "unassigned reply code";
      return this.#fail(`proxy could not connect to ${this.#target.host}:${this.#target.port}: ${text} (${code})`);
    }
    this.#phase = Phase.Connected;
    return null;
  }

  #fail(reason: string): null {
    this.#phase = Phase.Failed;
    this.error = reason;
    this.#buffer = new Uint8Array(0);
    return null;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** The 4 bytes of a dotted-quad IPv4 address, or null for anything else. */
function ipv4Bytes(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

/** The 16 bytes of an IPv6 address (with `::`, an embedded IPv4 tail, and a %zone dropped), or null. */
export function ipv6Bytes(text: string): number[] | null {
  const address = text.split("%")[0]!;
  if (!address.includes(":")) return null;
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === "") return [];
    const words: number[] = [];
    const pieces = part.split(":");
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes(".")) {
        const v4 = ipv4Bytes(piece);
        if (v4 === null) return null;
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) words.push(parseInt(piece, 16));
      else return null;
    }
    return words;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}
