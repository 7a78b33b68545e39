// What Node (or any runtime other than Bun) loads for `bunzmq`: one clear error instead of
// ERR_UNKNOWN_FILE_EXTENSION or a SyntaxError from our TypeScript sources. package.json's export
// conditions send the "node" condition here; Bun takes the "bun" condition first and never reads
// this file. CommonJS, so that both `require` and `import` reach the same throw. Imports nothing:
// the version below is package.json's `engines.bun`, kept equal by test/packaging/node-import.test.ts.

"use strict";

const NEEDED_BUN = ">=1.4.0";

const error = new Error(
  `bunzmq needs Bun ${NEEDED_BUN} (https://bun.sh); it cannot run under Node ${process.versions.node}. ` +
    "Run your program with `bun`, or use zeromq.js (the `zeromq` package) under Node.",
);
error.code = "ERR_BUNZMQ_NEEDS_BUN";
throw error;
