// The routing core of each socket type number: the one place where a ZMQ_* type becomes a socket.
// Imports the socket types beside it and core.

import { SocketType } from "../core/socket-type.ts";
import { ChannelSocket } from "./channel.ts";
import { ClientSocket } from "./client.ts";
import { DealerSocket } from "./dealer.ts";
import { DgramSocket } from "./dgram.ts";
import { DishSocket } from "./dish.ts";
import { GatherSocket } from "./gather.ts";
import { PairSocket } from "./pair.ts";
import { PeerSocket } from "./peer.ts";
import { PubSocket } from "./pub.ts";
import { PullSocket } from "./pull.ts";
import { PushSocket } from "./push.ts";
import { RadioSocket } from "./radio.ts";
import { RepSocket } from "./rep.ts";
import { ReqSocket } from "./req.ts";
import { RouterSocket } from "./router.ts";
import { ScatterSocket } from "./scatter.ts";
import { ServerSocket } from "./server.ts";
import type { SocketBase } from "./socket-base.ts";
import { StreamSocket } from "./stream.ts";
import { SubSocket } from "./sub.ts";
import { XPubSocket } from "./xpub.ts";
import { XSubSocket } from "./xsub.ts";

const CORES: Record<number, () => SocketBase> = {
  [SocketType.Pair]: () => new PairSocket(),
  [SocketType.Publisher]: () => new PubSocket(),
  [SocketType.Subscriber]: () => new SubSocket(),
  [SocketType.Request]: () => new ReqSocket(),
  [SocketType.Reply]: () => new RepSocket(),
  [SocketType.Dealer]: () => new DealerSocket(),
  [SocketType.Router]: () => new RouterSocket(),
  [SocketType.Pull]: () => new PullSocket(),
  [SocketType.Push]: () => new PushSocket(),
  [SocketType.XPublisher]: () => new XPubSocket(),
  [SocketType.XSubscriber]: () => new XSubSocket(),
  [SocketType.Stream]: () => new StreamSocket(),
  [SocketType.Server]: () => new ServerSocket(),
  [SocketType.Client]: () => new ClientSocket(),
  [SocketType.Radio]: () => new RadioSocket(),
  [SocketType.Dish]: () => new DishSocket(),
  [SocketType.Gather]: () => new GatherSocket(),
  [SocketType.Scatter]: () => new ScatterSocket(),
  [SocketType.Peer]: () => new PeerSocket(),
  [SocketType.Datagram]: () => new DgramSocket(),
  [SocketType.Channel]: () => new ChannelSocket(),
};

/** A new core for socket type `type`, or null for a number that is no socket type (above 20). */
export function createSocketCore(type: number): SocketBase | null {
  const create = Object.hasOwn(CORES, type) ? CORES[type] : undefined;
  return create === undefined ? null : create();
}
