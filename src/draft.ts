// bunzmq/draft: the entry point of zeromq.js's DRAFT socket types (Server, Client, Radio, Dish,
// Gather, Scatter, Datagram). bunzmq has none yet, so `capability.draft` is false and this entry
// exports nothing; issue #16 implements them here. Imports nothing.

export {};
