#!/usr/bin/env bash
# A PostgreSQL primary and one streaming replica of its own, for the read-replica suite and its
# benchmark targets, with PostgreSQL's own binaries: in a temporary directory (mode 0700, owned by
# the postgres OS user, since initdb refuses root), on free ports of 127.0.0.1, trust auth on
# loopback only. The machine's own cluster and its configuration are never touched.
#
#   cluster.sh start <dir> [apply-delay-ms]   primary + replica; prints PRIMARY_PORT=... REPLICA_PORT=...
#                                             (also written to <dir>/ports, to be sourced)
#   cluster.sh running <dir>                  exits 0 when both answer
#   cluster.sh stop-replica <dir>             stops the replica (fast: its connections are cut)
#   cluster.sh start-replica <dir>            starts it again; it catches up by streaming
#   cluster.sh stop <dir>                     stops both and removes <dir>
#
# apply-delay-ms makes the replica apply each transaction that long after the primary committed
# it (recovery_min_apply_delay): a lag of known size, so tests can tell which server answered.
# SYNCHRONOUS_COMMIT=remote_apply makes every commit wait until the replica has applied it
# (the replica a synchronous standby): a read on it then always sees what was written before.
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
command=${1:?usage: cluster.sh start|stop-replica|start-replica|stop <dir> [apply-delay-ms]}
dir=${2:?usage: cluster.sh $command <dir>}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# start_server <data dir>: pg_ctl, retrying on another port if the chosen one was taken meanwhile.
start_server() {
  local data=$1 attempt port
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    sed -i "/^port = /d" "$data/postgresql.conf"
    echo "port = $port" >> "$data/postgresql.conf"
    if as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$data.log" -w -t 60 start >/dev/null; then
      echo "$port"
      return 0
    fi
    tail -n 5 "$data.log" >&2
  done
  echo "could not start the server of $data" >&2
  return 1
}

case $command in
  start)
    apply_delay_ms=${3:-0}
    [ -x "$PG_BIN/initdb" ] || { echo "no PostgreSQL binaries in $PG_BIN" >&2; exit 1; }
    mkdir -p "$dir"
    chmod 0700 "$dir"
    [ "$(id -u)" != 0 ] || chown postgres: "$dir"
    as_postgres "$PG_BIN/initdb" -D "$dir/primary" -U postgres --auth=trust -E UTF8 \
      --no-instructions >/dev/null
    cat >> "$dir/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 4
max_connections = 200
shared_preload_libraries = 'pg_stat_statements'
# A test cluster: durability is not what it is for.
fsync = off
full_page_writes = off
EOF
    primary_port=$(start_server "$dir/primary")
    as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$primary_port" -U postgres -d postgres -qAt \
      -c 'CREATE EXTENSION pg_stat_statements' >/dev/null
    # initdb's trust setup lets `replication` connect from 127.0.0.1: -R writes primary_conninfo.
    as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres \
      -D "$dir/replica" -R -X stream -c fast
    cat >> "$dir/replica/postgresql.conf" <<EOF
hot_standby = on
recovery_min_apply_delay = '${apply_delay_ms}ms'
EOF
    replica_port=$(start_server "$dir/replica")
    if [ -n "${SYNCHRONOUS_COMMIT:-}" ]; then
      # Only now that the standby streams: before, every commit would wait for it forever.
      printf "synchronous_standby_names = '*'\nsynchronous_commit = %s\n" "$SYNCHRONOUS_COMMIT" \
        >> "$dir/primary/postgresql.conf"
      as_postgres "$PG_BIN/pg_ctl" -D "$dir/primary" reload >/dev/null
    fi
    printf 'PRIMARY_PORT=%s\nREPLICA_PORT=%s\n' "$primary_port" "$replica_port" | tee "$dir/ports"
    ;;
  running)
    [ -f "$dir/ports" ] || exit 1
    source "$dir/ports"
    for port in "$PRIMARY_PORT" "$REPLICA_PORT"; do
      "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" || exit 1
    done
    ;;
  stop-replica)
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/replica" -m fast -w stop >/dev/null
    ;;
  start-replica)
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w -t 60 start >/dev/null
    ;;
  stop)
    for server in replica primary; do
      if [ -f "$dir/$server/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$dir/$server" -m immediate -w stop >/dev/null 2>&1 || true
      fi
    done
    rm -rf "$dir"
    ;;
  *)
    echo "unknown command: $command" >&2
    exit 2
    ;;
esac
