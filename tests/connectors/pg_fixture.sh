#!/usr/bin/env bash
# CTest fixture for the PostgreSQL history tests (and bench/pg_history_bench.cpp): a throwaway PostgreSQL server of
# our own, without PostGIS (postgis_fixture.sh is the sibling that loads the PostGIS data).
#
#   pg_fixture.sh start <state-dir> [--statement-stats]
#   pg_fixture.sh stop  <state-dir>
#
# start: initdb a fresh cluster in <state-dir>/pgdata, owned by the `postgres` user when run as root (initdb refuses
# to run as root), or by the calling user otherwise. The server listens only on a Unix socket in <state-dir>/socket
# (mode 0700: only its owner, and root, can connect; trust authentication) with a port number chosen here that
# names the socket (never the system's 5432; no TCP). It creates the database `greentwin_history`. The connection
# string goes to <state-dir>/conn.env, read by the tests:
#   GT_PG_HISTORY_CONN=host=<socket dir> port=<port> dbname=greentwin_history user=postgres connect_timeout=5
# Anything that keeps the server from starting is an error (non-zero exit, reason on stderr): the tests that need
# it must fail, never skip. GT_PG_BINDIR overrides where initdb/pg_ctl/postgres are looked for.
#
# --statement-stats: the server preloads pg_stat_statements (the tests count the statements a write sends; the
# benchmark's server goes without it).
#
# stop: stops the server (if running) and removes <state-dir>. Safe to run twice, or after a failed start.
set -euo pipefail

die() {
  echo "pg_fixture: $*" >&2
  exit 1
}

cmd="${1:-}"
state="${2:-}"
preload=""
if [[ "${3:-}" == "--statement-stats" ]]; then
  preload="-c shared_preload_libraries=pg_stat_statements"
elif [[ -n "${3:-}" ]]; then
  die "unknown option '${3}' (--statement-stats)"
fi
[[ -n "${cmd}" && -n "${state}" ]] || die "usage: $0 start|stop <state-dir>"
state="$(realpath -m "${state}")"

# The PostgreSQL server binaries: the newest /usr/lib/postgresql/<version>/bin that has initdb.
find_bindir() {
  if [[ -n "${GT_PG_BINDIR:-}" ]]; then
    echo "${GT_PG_BINDIR}"
    return
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "${dir}/initdb" ]]; then
      echo "${dir}"
      return
    fi
  done
  die "no PostgreSQL server found under /usr/lib/postgresql/*/bin; install the package postgresql" \
      "(scripts/packages.txt, scripts/dev installs it)"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}


# Stops the server of <state-dir> if one runs, and removes the cluster (and <state-dir>).
stop_and_remove() {
  local bindir cluster
  cluster="$(cat "${state}/cluster" 2>/dev/null || true)"
  if [[ -n "${cluster}" && -f "${cluster}/pgdata/postmaster.pid" ]]; then
    bindir="$(cat "${state}/bindir" 2>/dev/null || find_bindir)"
    as_owner "${bindir}/pg_ctl" -D "${cluster}/pgdata" -m immediate -w -t 20 stop >/dev/null 2>&1 ||
      echo "pg_fixture: warning: pg_ctl stop failed for ${cluster}/pgdata" >&2
  fi
  [[ -n "${cluster}" && "${cluster}" != "${state}" ]] && rm -rf "${cluster}"
  rm -rf "${state}"
}

case "${cmd}" in
  stop)
    stop_and_remove
    exit 0
    ;;
  start) ;;
  *) die "unknown command '${cmd}' (start|stop)" ;;
esac

bindir="$(find_bindir)"
psql_bin="${bindir}/psql"
[[ -x "${psql_bin}" ]] || psql_bin="$(command -v psql)" || die "psql not found"

if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to own the cluster" \
                                     "(install the postgresql package, which creates it)"
fi

# A leftover from an interrupted run: stop it and start clean.
stop_and_remove
mkdir -p "${state}"
echo "${bindir}" >"${state}/bindir"

# The cluster lives in the build tree when its owner can reach it there and the socket path fits the ~107 bytes a
# Unix socket name may have; else in a private temporary folder (removed again by stop).
cluster="${state}"
socket_name="${state}/socket/.s.PGSQL.65535"
if { [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -x "${state}" 2>/dev/null; } || ((${#socket_name} > 100)); then
  cluster="$(mktemp -d /tmp/greentwin-pg.XXXXXX)"
  chmod 755 "${cluster}"
  echo "pg_fixture: cluster in ${cluster} (${state} is out of reach of its owner, or too long a socket path)"
fi
echo "${cluster}" >"${state}/cluster"
mkdir -p "${cluster}/pgdata" "${cluster}/socket"
chmod 700 "${cluster}/pgdata" "${cluster}/socket"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "${cluster}/pgdata" "${cluster}/socket"; fi

log="${state}/initdb.log"
as_owner "${bindir}/initdb" -D "${cluster}/pgdata" -U postgres --auth-local=trust --auth-host=reject -E UTF8 \
  --no-locale --no-sync >"${log}" 2>&1 || { cat "${log}" >&2; die "initdb failed (log above)"; }

# A port number that names the socket: Unix socket only (listen_addresses empty), so no TCP port is taken; on a lost
# race for the socket name try another.
started=""
for attempt in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 30000))
  [[ -e "${cluster}/socket/.s.PGSQL.${port}" ]] && continue
  if as_owner "${bindir}/pg_ctl" -D "${cluster}/pgdata" -l "${cluster}/pgdata/server.log" -w -t 30 \
       -o "-c listen_addresses= -p ${port} -c unix_socket_directories=${cluster}/socket -c fsync=off" \
       -o "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50 ${preload}" start >/dev/null 2>&1; then
    started=yes
    break
  fi
  echo "pg_fixture: server did not start on port ${port} (attempt ${attempt}):" >&2
  tail -n 5 "${cluster}/pgdata/server.log" >&2 || true
done
[[ -n "${started}" ]] || die "PostgreSQL server would not start (see ${cluster}/pgdata/server.log)"

socket_conn="host=${cluster}/socket port=${port} user=postgres"
PGCONNECT_TIMEOUT=10 "${psql_bin}" -X -q -v ON_ERROR_STOP=1 "${socket_conn} dbname=postgres" \
  -c "CREATE DATABASE greentwin_history" || die "cannot create database greentwin_history"

printf 'GT_PG_HISTORY_CONN=%s dbname=greentwin_history connect_timeout=5\n' "${socket_conn}" >"${state}/conn.env.tmp"
mv "${state}/conn.env.tmp" "${state}/conn.env"
echo "pg_fixture: PostgreSQL on ${cluster}/socket (port ${port}), database greentwin_history"
