// zeromq.js option properties: names, validation, and the accessors installed on Socket.prototype.
// Imports only core.

import { ZmqError } from "../core/errors.ts";
import type { SocketOptions } from "../core/options.ts";

type IntegerOption = "sendHighWaterMark" | "receiveHighWaterMark" | "sendTimeout" | "receiveTimeout" | "linger"
  | "maxMessageSize" | "handshakeInterval" | "reconnectInterval" | "reconnectMaxInterval" | "connectTimeout"
  | "backlog" | "outBatchSize";
type BooleanOption = "immediate" | "ipv6";

// Smallest accepted value of each integer option; -1 means "infinite/unset" where libzmq allows it.
const INTEGER_MIN: Record<IntegerOption, number> = {
  sendHighWaterMark: 0,
  receiveHighWaterMark: 0,
  sendTimeout: -1,
  receiveTimeout: -1,
  linger: -1,
  maxMessageSize: -1,
  handshakeInterval: 0,
  reconnectInterval: -1,
  reconnectMaxInterval: 0,
  connectTimeout: 0,
  backlog: 0,
  outBatchSize: 256,
};
const BOOLEAN: readonly BooleanOption[] = ["immediate", "ipv6"];

export type OptionName = IntegerOption | BooleanOption;
export const OPTION_NAMES: readonly OptionName[] = [...(Object.keys(INTEGER_MIN) as IntegerOption[]), ...BOOLEAN];

/** The option properties every socket has, for declaration merging with Socket. */
export type OptionProperties = { [K in OptionName]: SocketOptions[K] };

export function validateOption(name: string, value: unknown): unknown {
  if (name in INTEGER_MIN) {
    const min = INTEGER_MIN[name as IntegerOption];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      throw new ZmqError("EINVAL", `Option ${name} must be an integer >= ${min}, got ${String(value)}`);
    }
    return value;
  }
  if ((BOOLEAN as readonly string[]).includes(name)) {
    if (typeof value !== "boolean") throw new ZmqError("EINVAL", `Option ${name} must be a boolean, got ${String(value)}`);
    return value;
  }
  throw new ZmqError("EINVAL", `Unknown socket option "${name}"; see the option table in the README`);
}

interface OptionAccess {
  setOption(name: OptionName, value: unknown): void;
  getOption(name: OptionName): unknown;
}

/** Defines `sock.linger`, `sock.sendHighWaterMark`, … as accessors over the socket's option store. */
export function installOptionProperties(prototype: object): void {
  for (const name of OPTION_NAMES) {
    Object.defineProperty(prototype, name, {
      configurable: true,
      enumerable: false,
      get(this: OptionAccess) {
        return this.getOption(name);
      },
      set(this: OptionAccess, value: unknown) {
        this.setOption(name, value);
      },
    });
  }
}
