// `bunzmq keygen`: a new permanent CURVE key pair (RFC 26) in Z85 (RFC 32), for a server's
// --curve-secret-key and its clients' --curve-server-key, or for any libzmq program
// (zmq_curve_keypair gives the same format). The secret key goes to stdout like the public one:
// the person asked for it; where it is stored is theirs to decide. Imports index (the public
// entry points only).

import { curveKeyPair } from "../index.ts";
import { type Command, EXIT_OK, type OptionValues, UsageError, choiceOption } from "./command.ts";

const USAGE = `usage: bunzmq keygen [options]

Prints a new CURVE key pair, each key as 40 characters of Z85:
  public: <the key peers use: a client's --curve-server-key, a server's list of allowed clients>
  secret: <the key its owner keeps: a server's --curve-secret-key>

Options:
      --format <f>           text (the two lines above) or json ({"publicKey", "secretKey"}) (default text)
  -h, --help                 print this and exit

Examples:
  bunzmq keygen
  bunzmq keygen --format json > server-keys.json
`;

export const keygenCommand: Command = {
  name: "keygen",
  synopsis: "keygen",
  summary: "make a CURVE key pair (Z85)",
  usage: USAGE,
  options: { format: { type: "string" } },
  run: keygen,
};

async function keygen(values: OptionValues, positionals: string[]): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`keygen takes no arguments (got ${positionals.join(" ")})`);
  const format = choiceOption(values, "format", ["text", "json"] as const, "text");
  const { publicKey, secretKey } = curveKeyPair();
  process.stdout.write(
    format === "json" ? `${JSON.stringify({ publicKey, secretKey })}\n` : `public: ${publicKey}\nsecret: ${secretKey}\n`,
  );
  return EXIT_OK;
}
