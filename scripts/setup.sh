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
# The Kafka tests run a Kafka-protocol server (Mokapi, from a pinned npm package) in a private network namespace, as
# root: they need iproute2's `ip` (util-linux's unshare/nsenter come with every Debian system). Installed only when
# missing, and only where apt-get can run (root).
if ! command -v ip >/dev/null 2>&1 && [ ! -x /usr/sbin/ip ] && [ ! -x /sbin/ip ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing iproute2 (ip) for the Kafka tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y iproute2 >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y iproute2 >/dev/null; }
  else
    echo "setup: warning: 'ip' (iproute2) is missing and cannot be installed here; the Kafka tests need it, and root" >&2
  fi
fi
# The MySQL connector's tests run a throwaway MariaDB 10.11 and the ClickHouse connector's tests throwaway
# clickhouse-server instances (Debian's 18.16), each on free loopback ports with temp data dirs. Installed from
# Debian's packages only when missing and only where apt-get can run (root); the packages start no service.
need_pkgs=""
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need_pkgs="$need_pkgs mariadb-server"
command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/bin/clickhouse-server ] || need_pkgs="$need_pkgs clickhouse-server"
if [ -n "$need_pkgs" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing$need_pkgs for the MySQL and ClickHouse connector tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    apt-get install -y --no-install-recommends $need_pkgs >/dev/null 2>&1 \
      || { apt-get update >/dev/null && apt-get install -y --no-install-recommends $need_pkgs >/dev/null; }
  else
    echo "setup: warning:$need_pkgs missing and cannot be installed here (needs root and apt-get); the MySQL/ClickHouse tests need them" >&2
  fi
fi
