#!/usr/bin/env bash
# Fresh-machine set-up for bunzmq: Bun (from npm), libzmq5 (from Debian, for the interop tests and
# benchmarks), microsocks (from Debian, the SOCKS5 proxy of the socksProxy tests) and the project's
# dev dependencies. Idempotent: on a prepared machine it only runs `bun install`. Quiet on success;
# prints one line per action and the tool's log if a step fails.
#
# Needs: bash, Node + npm. apt-get is used only when libzmq.so.5 or microsocks is missing (sudo only
# if not root).
# BUN_VERSION (default below, the version the project is tested with) picks the npm `bun` version.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bash scripts/setup.sh      (or: bun run setup)

Prepares this machine for bunzmq: Bun (from npm, BUN_VERSION, default 1.4.5) if missing, libzmq5,
microsocks and openssl (apt-get) if missing, then the project's dependencies (bun install). Idempotent.
Takes no options.
USAGE
}
# Like every command of the repository (common/command-line.ts): usage on --help, exit 2 on anything else.
case "${1-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) printf 'setup: unknown argument "%s"\n\n' "$1" >&2; usage >&2; exit 2 ;;
esac

BUN_VERSION="${BUN_VERSION:-1.4.5}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG="$(mktemp -t bunzmq-setup.XXXXXX)"
trap 'rm -f "$LOG"' EXIT

say() { printf 'setup: %s\n' "$*"; }
die() {
  printf 'setup: error: %s\n' "$*" >&2
  if [[ -s "$LOG" ]]; then
    printf -- '--- last output ---\n' >&2
    tail -n 40 "$LOG" >&2
  fi
  exit 1
}
# Runs a command with its output in $LOG (shown only on failure).
quietly() { : >"$LOG"; "$@" >>"$LOG" 2>&1; }

# Prefix for commands that need root: nothing when root, sudo when available, else fail clearly.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (not root and no sudo)"
  fi
}

bun_works() { command -v bun >/dev/null 2>&1 && bun --version >/dev/null 2>&1; }

# --- 1. Bun --------------------------------------------------------------------------------------
install_bun() {
  command -v npm >/dev/null 2>&1 || die "bun is missing and so is npm; install Node.js 20+ with npm first"
  local prefix root
  prefix="$(npm prefix -g 2>/dev/null)"
  root="$(npm root -g 2>/dev/null)"

  # --ignore-scripts=false: Bun's postinstall (`node install.js`) puts the real binary in place of
  # the placeholder bin/bun.exe; a user/global `ignore-scripts=true` would leave a stub that exits 1.
  local npm_cmd=(npm install -g --no-fund --no-audit --ignore-scripts=false "bun@${BUN_VERSION}")
  if [[ -w "$prefix" && ( ! -e "$root" || -w "$root" ) ]]; then
    quietly "${npm_cmd[@]}" || die "npm install -g bun@${BUN_VERSION} failed"
  else
    quietly as_root "${npm_cmd[@]}" || die "npm install -g bun@${BUN_VERSION} failed"
  fi
  hash -r # forget any earlier lookup of `bun` in this shell

  # npm's global bin may not be on this shell's PATH (e.g. a custom prefix).
  if [[ -x "$prefix/bin/bun" && "$(command -v bun || true)" != "$prefix/bin/bun" ]]; then
    export PATH="$prefix/bin:$PATH"
    hash -r
    say "warning: \`bun\` on your PATH is not npm's ($prefix/bin/bun); put it first:"
    say "  export PATH=\"$prefix/bin:\$PATH\""
  fi

  # bun-notes §6: if the postinstall did not run (npm configured to deny install scripts), the
  # binary is a stub printing "Bun's postinstall script was not run". Run the installer by hand.
  if ! bun_works && [[ -f "$root/bun/install.js" ]]; then
    ( cd "$root/bun" && quietly as_root node install.js ) || true
    hash -r
  fi
  bun_works || die "installed bun@${BUN_VERSION} with npm but \`bun --version\` fails (see bun-notes §6)"
  say "installed bun $(bun --version) with npm ($(command -v bun))"
}

if ! bun_works; then
  install_bun
fi

# --- 2. libzmq5 (interop peers load libzmq.so.5 through bun:ffi) --------------------------------
have_libzmq() {
  local f
  for f in /usr/lib/x86_64-linux-gnu/libzmq.so.5 /lib/x86_64-linux-gnu/libzmq.so.5 /usr/lib/*/libzmq.so.5; do
    [[ -e "$f" ]] && return 0
  done
  local ldconfig
  ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
  [[ -x "$ldconfig" ]] && "$ldconfig" -p 2>/dev/null | grep -q 'libzmq\.so\.5'
}

apt_updated=0
# apt-get update once per run, before the first install.
apt_install() {
  if [[ "$apt_updated" -eq 0 ]]; then
    quietly as_root apt-get update || die "apt-get update failed"
    apt_updated=1
  fi
  quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

if ! have_libzmq; then
  command -v apt-get >/dev/null 2>&1 || die "libzmq.so.5 is missing and apt-get is not available; install libzmq 4.3.x"
  apt_install libzmq5 || die "apt-get install libzmq5 failed"
  have_libzmq || die "installed libzmq5 but libzmq.so.5 is still not found"
  say "installed libzmq5 $(dpkg-query -W -f='${Version}' libzmq5 2>/dev/null || true) with apt-get"
fi

# --- 2b. microsocks (a SOCKS5 proxy the socksProxy tests start on a free loopback port) ----------
if ! command -v microsocks >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "microsocks is missing and apt-get is not available; install a microsocks binary on PATH"
  apt_install microsocks || die "apt-get install microsocks failed"
  command -v microsocks >/dev/null 2>&1 || die "installed microsocks but it is still not on PATH"
  say "installed microsocks $(dpkg-query -W -f='${Version}' microsocks 2>/dev/null || true) with apt-get"
fi

# --- 3. Project dependencies ---------------------------------------------------------------------
# The wss:// tests make their own certificate authority with openssl (Debian ships it, minimal images may not).
if ! command -v openssl >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "openssl is missing and apt-get is not available; install openssl"
  apt_install openssl || die "apt-get install openssl failed"
  say "installed openssl $(dpkg-query -W -f='${Version}' openssl 2>/dev/null || true) with apt-get"
fi

cd "$REPO_ROOT"
if [[ -f bun.lock ]]; then
  if quietly bun install --frozen-lockfile; then
    say "bun install --frozen-lockfile: ok"
  else
    # A package.json edit not yet reflected in bun.lock; install anyway, but say so (commit bun.lock).
    printf 'setup: warning: bun.lock is out of date with package.json; running plain bun install\n' >&2
    quietly bun install || die "bun install failed"
    say "bun install: ok (bun.lock updated; commit it)"
  fi
else
  quietly bun install || die "bun install failed"
  say "bun install: ok (created bun.lock)"
fi
