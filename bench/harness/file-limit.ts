// Raising this process's open-file limit (RLIMIT_NOFILE) before a bench opens thousands of
// sockets: 10,000 libzmq DEALERs hold 20,000 descriptors (a TCP socket and a mailbox eventfd
// each), past this machine's default of 20,000. Child processes inherit the raised limit.
// Through bun:ffi (setrlimit in libc); raising the hard limit needs root (CAP_SYS_RESOURCE), so
// without it the limit is raised as far as the hard limit allows and the bench says which.

import { dlopen, FFIType } from "bun:ffi";

const RLIMIT_NOFILE = 7;

/** The soft and hard limits on open files, as getrlimit gives them. */
export interface FileLimit {
  soft: number;
  hard: number;
}

function libc() {
  return dlopen("libc.so.6", {
    getrlimit: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
    setrlimit: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  });
}

/** This process's limit on open files. */
export function fileLimit(): FileLimit {
  const lib = libc();
  try {
    const limit = new BigUint64Array(2);
    if (lib.symbols.getrlimit(RLIMIT_NOFILE, limit) !== 0) throw new Error("getrlimit(RLIMIT_NOFILE) failed");
    return { soft: Number(limit[0]), hard: Number(limit[1]) };
  } finally {
    lib.close();
  }
}

/**
 * Raises both limits to at least `wanted` (as root), or the soft limit to the hard one when the
 * hard one cannot move; never lowers them. Returns the limits in force afterwards.
 */
export function raiseFileLimit(wanted: number): FileLimit {
  const before = fileLimit();
  if (before.soft >= wanted) return before;
  const lib = libc();
  try {
    const hard = Math.max(before.hard, wanted);
    if (lib.symbols.setrlimit(RLIMIT_NOFILE, new BigUint64Array([BigInt(wanted), BigInt(hard)])) !== 0) {
      lib.symbols.setrlimit(RLIMIT_NOFILE, new BigUint64Array([BigInt(before.hard), BigInt(before.hard)]));
    }
  } finally {
    lib.close();
  }
  return fileLimit();
}
