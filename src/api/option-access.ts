// How options are reached from JavaScript: zeromq.js's properties (`sock.linger = 0`) on the classes
// that have them, and its numbered accessors (`sock.setInt32Option(17, 0)`, libzmq's option numbers),
// both over the same option specs. Setting an option that applies only to later connections after a
// bind or connect emits zeromq.js's process warning. Imports core and the option tables beside it.

import { ZmqError } from "../core/errors.ts";
import type { SocketType } from "../core/socket-type.ts";
import { CONNECTION_OPTIONS } from "./connection-options.ts";
import type { OptionSpec, OptionTarget } from "./option-spec.ts";
import { type OptionKind, assertArgumentCount, fromOptionValue, sameWidth, toOptionValue } from "./option-values.ts";
import { SECURITY_OPTIONS } from "./security-options.ts";
import { WSS_OPTIONS } from "./wss-options.ts";
import { SOCKET_OPTIONS } from "./socket-option-table.ts";
import { SWAP_OPTIONS } from "./swap-options.ts";
import { TYPE_OPTIONS } from "./type-option-table.ts";

/** zeromq.js's warning for an option set after bind or connect that applies only to later ones. */
const NOT_UNTIL_NEXT_CONNECT = "Socket option will not take effect until next connect/bind.";

const ALL_OPTIONS: readonly OptionSpec[] = [
  ...SOCKET_OPTIONS,
  ...SECURITY_OPTIONS,
  ...CONNECTION_OPTIONS,
  ...WSS_OPTIONS,
  ...TYPE_OPTIONS,
  ...SWAP_OPTIONS,
];
const BY_ID = new Map<number, OptionSpec[]>();
for (const spec of ALL_OPTIONS) {
  if (spec.id === null) continue;
  BY_ID.set(spec.id, [...(BY_ID.get(spec.id) ?? []), spec]);
}

// Each socket's option store and core, registered by its constructor; the accessors below find them here.
const targets = new WeakMap<object, OptionTarget>();

export function registerOptionTarget(socket: object, target: OptionTarget): void {
  targets.set(socket, target);
}

function targetOf(socket: object): OptionTarget {
  const target = targets.get(socket);
  if (target === undefined) throw new TypeError("Illegal invocation: not a socket");
  return target;
}

/**
 * Stores a value already checked and converted for the spec's kind; the spec may refuse it (EINVAL).
 * Warns first, as zeromq.js does, when the option applies only to connections made after this.
 */
function store(target: OptionTarget, spec: OptionSpec, value: unknown): void {
  if (target.closed()) throw new ZmqError("EBADF", "Socket is closed");
  if (!spec.immediate && target.hasEndpoints()) process.emitWarning(NOT_UNTIL_NEXT_CONNECT);
  spec.write!(target, value as never);
}

function installProperty(prototype: object, spec: OptionSpec): void {
  const descriptor: PropertyDescriptor = { configurable: true, enumerable: false };
  if (spec.access !== "w") {
    const names = spec.names;
    descriptor.get =
      names === undefined
        ? function (this: object) {
            return spec.read!(targetOf(this));
          }
        : function (this: object) {
            return names[spec.read!(targetOf(this)) as number];
          };
  }
  // Read-only ones get their TypeError from sealed.ts, as the socket's other getters do.
  if (spec.access !== "r") {
    descriptor.set = function (this: object, value: unknown) {
      store(targetOf(this), spec, spec.kind === "custom" ? value : toOptionValue(spec.kind, value));
    };
  }
  Object.defineProperty(prototype, spec.name, descriptor);
}

/** Defines the properties every socket has (zeromq.js's Socket). */
export function installCommonOptions(prototype: object): void {
  for (const spec of ALL_OPTIONS) if (spec.on === "all") installProperty(prototype, spec);
}

/** Defines the properties zeromq.js gives the class of socket type `type`. */
export function installTypeOptions(prototype: object, type: SocketType): void {
  for (const spec of ALL_OPTIONS) if (spec.on !== "all" && spec.on.includes(type)) installProperty(prototype, spec);
}

/** The spec a numbered accessor of `kind` reaches on this socket, or libzmq's EINVAL. */
function numbered(target: OptionTarget, id: unknown, kind: OptionKind): OptionSpec {
  if (typeof id !== "number") throw new TypeError("Identifier must be a number");
  const spec = BY_ID.get(id)?.find((candidate) => candidate.types === undefined || candidate.types.includes(target.core.type));
  if (spec === undefined || spec.kind === "custom" || !sameWidth(spec.kind, kind)) {
    throw new ZmqError("EINVAL", `Option ${id} cannot be used as ${kind} on this socket type (see libzmq's zmq_setsockopt)`);
  }
  return spec;
}

function numberedGet(this: object, kind: OptionKind, args: IArguments): unknown {
  assertArgumentCount(1, args.length);
  const target = targetOf(this);
  const spec = numbered(target, args[0], kind);
  if (spec.read === undefined) throw new ZmqError("EINVAL", `Option ${spec.name} (${spec.id}) cannot be read back, as in libzmq`);
  return fromOptionValue(kind, spec.read(target));
}

function numberedSet(this: object, kind: OptionKind, args: IArguments): void {
  assertArgumentCount(2, args.length);
  const target = targetOf(this);
  const spec = numbered(target, args[0], kind);
  let value = toOptionValue(kind, args[1]);
  if (spec.write === undefined) throw new ZmqError("EINVAL", `Option ${spec.name} (${spec.id}) is read-only`);
  if (spec.kind === "bool" && typeof value === "number") {
    if (value !== 0 && value !== 1) throw new ZmqError("EINVAL", `Option ${spec.name} (${spec.id}) accepts 0 or 1; got ${value}`);
    value = value === 1;
  } else if (spec.kind !== "bool" && typeof value === "boolean") {
    value = Number(value);
  }
  store(target, spec, value);
}

const KINDS: ReadonlyArray<[string, OptionKind]> = [
  ["Bool", "bool"],
  ["Int32", "int32"],
  ["Uint32", "uint32"],
  ["Int64", "int64"],
  ["Uint64", "uint64"],
  ["String", "string"],
];

/** Defines zeromq.js's getBoolOption/setBoolOption … getStringOption/setStringOption on Socket. */
export function installNumberedAccess(prototype: object): void {
  for (const [label, kind] of KINDS) {
    Object.defineProperty(prototype, `get${label}Option`, {
      configurable: true,
      writable: true,
      value: function (this: object) {
        return numberedGet.call(this, kind, arguments);
      },
    });
    Object.defineProperty(prototype, `set${label}Option`, {
      configurable: true,
      writable: true,
      value: function (this: object) {
        numberedSet.call(this, kind, arguments);
      },
    });
  }
}
