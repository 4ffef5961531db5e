#!/usr/bin/env bash
# CTest fixture for the PostGIS reader tests: a throwaway PostgreSQL + PostGIS server of our own.
#
#   postgis_fixture.sh start <state-dir> <repo-root> <city.gpkg>
#   postgis_fixture.sh stop  <state-dir>
#
# start: initdb a fresh cluster in <state-dir>/pgdata, owned by the `postgres` user when run as root (initdb refuses
# to run as root), or by the calling user otherwise. The server listens on a Unix socket in <state-dir>/socket (mode
# 0700: only its owner, and root, can connect; trust authentication) and on 127.0.0.1 at a free port chosen here
# (never the system's 5432; password authentication with a random password). It then creates the database
# `greentwin_test` with the postgis extension and loads the real district boundary (EPSG:4326 GeoJSON) as table
# `tongzhou_district` and the first 500 generated building footprints (EPSG:4548) as table `buildings`.
# The connection strings go to <state-dir>/conn.env, read by the tests:
#   GT_PG_CONN=PG:host=<socket dir> port=<port> dbname=greentwin_test user=postgres connect_timeout=5
#   GT_PG_TCP_CONN=PG:host=127.0.0.1 port=<port> dbname=greentwin_test user=postgres password=<random> connect_timeout=5
# Anything that keeps the server from starting is an error (non-zero exit, reason on stderr): the tests that need
# it must fail, never skip. GT_PG_BINDIR overrides where initdb/pg_ctl/postgres are looked for.
#
# stop: stops the server (if running) and removes <state-dir>. Safe to run twice, or after a failed start.
set -euo pipefail

die() {
  echo "postgis_fixture: $*" >&2
  exit 1
}

cmd="${1:-}"
state="${2:-}"
[[ -n "${cmd}" && -n "${state}" ]] || die "usage: $0 start <state-dir> <repo-root> <city.gpkg> | stop <state-dir>"
state="$(realpath -m "${state}")"

# The PostgreSQL server binaries: the newest /usr/lib/postgresql/<version>/bin that has initdb and whose version has
# the postgis extension installed (Debian: postgresql-<version>-postgis-3).
find_bindir() {
  if [[ -n "${GT_PG_BINDIR:-}" ]]; then
    echo "${GT_PG_BINDIR}"
    return
  fi
  local dir version
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    version="$(basename "$(dirname "${dir}")")"
    if [[ -x "${dir}/initdb" && -f "/usr/share/postgresql/${version}/extension/postgis.control" ]]; then
      echo "${dir}"
      return
    fi
  done
  die "no PostgreSQL server with the PostGIS extension found under /usr/lib/postgresql/*/bin; install the packages" \
      "postgresql and postgresql-15-postgis-3 (scripts/packages.txt, scripts/dev installs them)"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Stops the server of <state-dir> if one runs, and removes the cluster (and <state-dir>).
stop_and_remove() {
  local bindir cluster
  cluster="$(cat "${state}/cluster" 2>/dev/null || true)"
  if [[ -n "${cluster}" && -f "${cluster}/pgdata/postmaster.pid" ]]; then
    bindir="$(cat "${state}/bindir" 2>/dev/null || find_bindir)"
    as_owner "${bindir}/pg_ctl" -D "${cluster}/pgdata" -m immediate -w -t 20 stop >/dev/null 2>&1 ||
      echo "postgis_fixture: warning: pg_ctl stop failed for ${cluster}/pgdata" >&2
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

repo="${3:-}"
gpkg="${4:-}"
[[ -n "${repo}" && -n "${gpkg}" ]] || die "usage: $0 start <state-dir> <repo-root> <city.gpkg>"
district="${repo}/assets/demo/tongzhou_district.geojson"
[[ -f "${district}" ]] || die "missing ${district}"
[[ -f "${gpkg}" ]] || die "missing ${gpkg} (build the greentwin_demo_data target)"
command -v ogr2ogr >/dev/null || die "ogr2ogr not found; install gdal-bin (scripts/packages.txt)"
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
  echo "postgis_fixture: cluster in ${cluster} (${state} is out of reach of its owner, or too long a socket path)"
fi
echo "${cluster}" >"${state}/cluster"
mkdir -p "${cluster}/pgdata" "${cluster}/socket"
chmod 700 "${cluster}/pgdata" "${cluster}/socket"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "${cluster}/pgdata" "${cluster}/socket"; fi

password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
pwfile="${cluster}/socket/pw"
printf '%s\n' "${password}" >"${pwfile}"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "${pwfile}"; fi
log="${state}/initdb.log"
as_owner "${bindir}/initdb" -D "${cluster}/pgdata" -U postgres --pwfile="${pwfile}" --auth-local=trust \
  --auth-host=scram-sha-256 -E UTF8 --no-locale --no-sync >"${log}" 2>&1 ||
  { cat "${log}" >&2; die "initdb failed (log above)"; }
rm -f "${pwfile}"

# A free port: probe, start, and on a lost race (another process took it meanwhile) try another.
started=""
for attempt in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 30000))
  port_in_use "${port}" && continue
  if as_owner "${bindir}/pg_ctl" -D "${cluster}/pgdata" -l "${cluster}/pgdata/server.log" -w -t 30 \
       -o "-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${cluster}/socket -c fsync=off" \
       -o "-c synchronous_commit=off -c full_page_writes=off" start >/dev/null 2>&1; then
    started=yes
    break
  fi
  echo "postgis_fixture: server did not start on port ${port} (attempt ${attempt}):" >&2
  tail -n 5 "${cluster}/pgdata/server.log" >&2 || true
done
[[ -n "${started}" ]] || die "PostgreSQL server would not start (see ${cluster}/pgdata/server.log)"

socket_conn="host=${cluster}/socket port=${port} user=postgres"
psql_run() { PGCONNECT_TIMEOUT=10 "${psql_bin}" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_run "${socket_conn} dbname=postgres" -c "CREATE DATABASE greentwin_test" ||
  die "cannot create database greentwin_test"
psql_run "${socket_conn} dbname=greentwin_test" -c "CREATE EXTENSION postgis" ||
  die "CREATE EXTENSION postgis failed (is postgresql-15-postgis-3 installed?)"

pg="PG:${socket_conn} dbname=greentwin_test"
ogr2ogr -f PostgreSQL "${pg}" "${district}" -nln tongzhou_district -lco GEOMETRY_NAME=geom -lco FID=fid \
  -preserve_fid || die "loading ${district} into PostGIS failed"
ogr2ogr -f PostgreSQL "${pg}" "${gpkg}" buildings -nln buildings -lco GEOMETRY_NAME=geom -lco FID=fid \
  -preserve_fid -limit 500 || die "loading the buildings of ${gpkg} into PostGIS failed"
count="$(psql_run "${socket_conn} dbname=greentwin_test" -At -c \
  "SELECT count(*) || ' ' || Find_SRID('public', 'buildings', 'geom') FROM buildings")"
[[ "${count}" == "500 4548" ]] || die "buildings table has '${count}' (count, SRID), expected '500 4548'"

cat >"${state}/conn.env.tmp" <<EOF
GT_PG_CONN=PG:${socket_conn} dbname=greentwin_test connect_timeout=5
GT_PG_TCP_CONN=PG:host=127.0.0.1 port=${port} dbname=greentwin_test user=postgres password=${password} connect_timeout=5
EOF
chmod 600 "${state}/conn.env.tmp"
mv "${state}/conn.env.tmp" "${state}/conn.env"
echo "postgis_fixture: PostGIS on ${cluster}/socket and 127.0.0.1:${port}, database greentwin_test"
