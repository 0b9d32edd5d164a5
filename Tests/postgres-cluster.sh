#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests: data, log and Unix socket in one folder, no TCP listener, trust
# for local logins. Run as root; the server runs as user postgres.
#   postgres-cluster.sh start FOLDER   creates and starts it, prints its URL (postgres://postgres@/postgres?host=FOLDER)
#   postgres-cluster.sh stop FOLDER    stops it and deletes the folder
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
action=${1:?start or stop}
folder=${2:?a folder}
as_postgres() { runuser -u postgres -- "$@"; }

case $action in
start)
  mkdir -p "$folder"
  chown postgres:postgres "$folder"
  chmod 700 "$folder"
  as_postgres "$bin/initdb" --pgdata="$folder/data" --auth=trust --username=postgres --no-sync >"$folder/initdb.log"
  # fsync off: the cluster lives only as long as the test run.
  as_postgres "$bin/pg_ctl" --pgdata="$folder/data" --log="$folder/server.log" --wait --silent start \
    -o "-c listen_addresses='' -c unix_socket_directories='$folder' -c max_connections=500 -c fsync=off -c synchronous_commit=off"
  echo "postgres://postgres@/postgres?host=$folder&sslmode=disable"
  ;;
stop)
  [ -d "$folder/data" ] && as_postgres "$bin/pg_ctl" --pgdata="$folder/data" --mode=immediate --wait --silent stop || true
  rm -rf "$folder"
  ;;
*)
  echo "usage: $0 start|stop FOLDER" >&2
  exit 2
  ;;
esac
