# Sourced by backup.sh and restore.sh: picks the PostgreSQL client programs that match the server.
#
# pg_dump must be at least as new as the server it dumps (an older one refuses), and pg_restore at
# least as new as the pg_dump that wrote the archive. On Debian, /usr/bin/pg_dump is a wrapper that
# picks the newest installed version; we pick /usr/lib/postgresql/<server major>/bin when it exists
# (the exact match), else PG_BINDIR when set, else the programs on PATH, and refuse a client older
# than the server, naming both versions.
#
# Connection: the libpq environment (PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass, PGSSLMODE).

fail() { echo "error: $*" >&2; exit 1; }

# The major version of the program $1 (pg_dump --version prints "pg_dump (PostgreSQL) 15.18 (...)").
pg_major() { "$1" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/' | head -n 1; }

# Sets server_major and bin (the directory of the client programs, or "" for PATH) for database $1.
pg_pick_tools() {
  local database=$1 psql_cmd=psql num
  if [ -n "${PG_BINDIR:-}" ]; then psql_cmd="$PG_BINDIR/psql"; fi
  num=$("$psql_cmd" -X -q -t -A -d "$database" -c 'SHOW server_version_num') \
    || fail "cannot connect to database '$database' (libpq environment: PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-})"
  server_major=$((num / 10000))
  if [ -x "/usr/lib/postgresql/$server_major/bin/pg_dump" ]; then
    bin="/usr/lib/postgresql/$server_major/bin/"
  elif [ -n "${PG_BINDIR:-}" ]; then
    bin="$PG_BINDIR/"
  else
    bin=""
  fi
  local client
  client=$(pg_major "${bin}pg_dump")
  if [ "$client" -lt "$server_major" ]; then
    fail "${bin}pg_dump is PostgreSQL $client but the server is PostgreSQL $server_major: install the $server_major client (postgresql-client-$server_major) or set PG_BINDIR"
  fi
}

# Application sessions other than ours on database $1 (the nation's silos still connected).
pg_other_sessions() {
  "${bin}psql" -X -q -t -A -d "$1" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
}
