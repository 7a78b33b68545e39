// The Worker of bench/proxy-fixture.ts's libzmq row: a PULL front end bound to workerData.front and
// a PUSH back end connected to workerData.back, in one libzmq context, then zmq_proxy between them.
// Posts the front end's endpoint first; zmq_proxy never returns (its process exits around it).

import { workerData } from "node:worker_threads";
import { LibzmqContext, ZMQ } from "../peers/libzmq/index.ts";

const { front, back } = workerData as { front: string; back: string };
const context = new LibzmqContext();
const pull = context.socket(ZMQ.PULL);
const push = context.socket(ZMQ.PUSH);
pull.bind(front);
push.connect(back);
postMessage(pull.lastEndpoint);
pull.proxyTo(push);
