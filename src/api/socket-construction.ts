// What zeromq.js's Socket constructor checks before a socket exists, with its errors: the type
// number and options argument (TypeErrors), the context (EINVAL unless a Context), and the type
// itself (EINVAL for a number that is no socket type here). Imports core, the socket layer's core
// factory and the Context beside it.

import { ZmqError } from "../core/errors.ts";
import { createSocketCore } from "../socket/create.ts";
import type { SocketBase } from "../socket/socket-base.ts";
import { Context, context as defaultContext } from "./context.ts";
import { assertArgumentCount, assertOptionsObject } from "./option-values.ts";

export interface Construction {
  readonly core: SocketBase;
  readonly context: Context;
  /** The options to assign once the socket is sealed: all but `context`. */
  readonly assign: Record<PropertyKey, unknown> | null;
}

/** Checks `new Socket(type, options)`'s arguments and makes the routing core of `type`. */
export function construct(type: unknown, options: unknown, argumentCount: number): Construction {
  if (typeof type !== "number") throw new TypeError("Socket type must be a number");
  assertOptionsObject(options);
  assertArgumentCount(2, argumentCount);
  let context = defaultContext;
  let assign: Record<PropertyKey, unknown> | null = null;
  if (options !== undefined) {
    const { context: given, ...rest } = options as { context?: unknown };
    // An undefined context is the default one, as an absent option is.
    if (given !== undefined) {
      if (!(given instanceof Context)) {
        throw new ZmqError("EINVAL", `Option context must be a Context (new Context() or the default \`context\`); got ${String(given)}`);
      }
      context = given;
    }
    assign = rest;
  }
  const core = createSocketCore(type | 0);
  if (core === null) {
    throw new ZmqError(
      "EINVAL",
      `Socket type ${type} is not one this library offers (0-11: Pair to Stream; 12-20: the DRAFT types of bunzmq/draft)`,
    );
  }
  return { core, context, assign };
}
