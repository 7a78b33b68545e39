#!/usr/bin/env bun
// bunzmq's command-line tool, `bunx bunzmq <command>` (package.json "bin"): send, receive and
// subscribe on any endpoint, watch a socket's monitor events, make CURVE key pairs, and run a
// quick throughput test, each through the public API only, so it speaks to libzmq and any other
// ZeroMQ program as a bunzmq application would. This file picks the command; command.ts runs it.
// Imports only its sibling commands (which use the public entry points alone).

import { benchCommand } from "./bench.ts";
import { type Command, EXIT_OK, EXIT_USAGE, runCommand } from "./command.ts";
import { keygenCommand } from "./keygen.ts";
import { monitorCommand } from "./monitor.ts";
import { receiveCommand, subscribeCommand } from "./receive.ts";
import { sendCommand } from "./send.ts";

const COMMANDS: Command[] = [sendCommand, receiveCommand, subscribeCommand, monitorCommand, keygenCommand, benchCommand];

const SYNOPSIS_WIDTH = Math.max(...COMMANDS.map((command) => command.synopsis.length));

const USAGE = `usage: bunzmq <command> [arguments] [options]

ZeroMQ from the command line, over tcp://, ipc:// (and inproc:// within one command), speaking
ZMTP 3.1 with libzmq and any other ZeroMQ program.

Commands:
${COMMANDS.map((command) => `  ${command.synopsis.padEnd(SYNOPSIS_WIDTH)}  ${command.summary}`).join("\n")}

Run 'bunzmq <command> --help' for a command's options. Ctrl-C stops a command, which then reports
what it did before; a second Ctrl-C exits at once.

Exit status: 0 done, 1 failed (the error's message and what to do are printed), 2 a mistake in the
command line, 130 stopped by Ctrl-C.
`;

/** Runs the tool on `argv` (the arguments after the program's name); resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    process.stderr.write(`bunzmq: unknown command ${JSON.stringify(name)}; one of ${COMMANDS.map((c) => c.name).join(", ")}\n`);
    process.stderr.write("Run 'bunzmq --help' for the usage.\n");
    return EXIT_USAGE;
  }
  return runCommand(command, args);
}

if (import.meta.main) {
  // The exit status is set, not forced: a closed socket still delivers within its linger first.
  process.exitCode = await main(process.argv.slice(2));
}
