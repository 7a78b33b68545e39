// bunzmq/draft: the entry point of libzmq's DRAFT socket types, as zeromq.js's `zeromq/draft`
// (Server, Client, Radio, Dish, Gather, Scatter, Datagram), plus libzmq 4.3.5's Peer and Channel.
// Re-exports only; imports api.

export { Datagram } from "./api/datagram.ts";
export { Client, Peer, Server, type ServerRoutingOptions } from "./api/client-server.ts";
export { Dish, type DishGroupOptions, Radio, type RadioGroupOptions } from "./api/radio-dish.ts";
export { Channel, Gather, Scatter } from "./api/scatter-gather.ts";
