#!/bin/sh
# One-shot setup for a fresh machine that has only Node 20 and npm: installs the pinned pnpm and the
# workspace's pinned dependencies. Idempotent and quick when everything is already in place.
set -e
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
PNPM_VERSION=12.21.0
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm@$PNPM_VERSION" >&2
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || npm install -g "pnpm@$PNPM_VERSION"
fi
if [ -f pnpm-lock.yaml ]; then
  pnpm install --frozen-lockfile --reporter=silent
else
  pnpm install --reporter=silent
fi
