#!/usr/bin/env bash
# Backs up one nation: its PostgreSQL database (pg_dump, custom format) and the files it needs that
# are not in the database (its federation key, configuration, artifact store, job directories).
# The runbook is docs/operations.md ("Backup and restore"); tests/Federation.EndToEnd.Tests runs it.
#
#   infra/ops/backup.sh --database NAME --out DIR [--file PATH]... [--online]
#
#   --database NAME  the nation's database; the connection is the libpq environment (PGHOST, PGPORT,
#                    PGUSER, PGPASSWORD or ~/.pgpass)
#   --out DIR        where the backup goes: a new or empty directory
#   --file PATH      a file or directory to keep (absolute; repeat); kept as files.tar.gz with their
#                    absolute paths, modes and owners
#   --online         dump while the nation's silos are connected (a consistent snapshot of the
#                    database, but files written meanwhile may not match it); without it, refused
#
# Writes DIR/database.dump, DIR/files.tar.gz (with --file) and DIR/MANIFEST (what, when, versions,
# the sha256 of each file), prints one line "backup: ..." and exits 0; on any failure says why and
# exits 1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=infra/ops/pg-tools.sh
. "$here/pg-tools.sh"

database="" out="" online=0
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --database) database=${2:-}; shift 2 ;;
    --out) out=${2:-}; shift 2 ;;
    --file) files+=("${2:-}"); shift 2 ;;
    --online) online=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
done
[ -n "$database" ] || fail "--database is required"
[ -n "$out" ] || fail "--out is required"
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  fail "$out is not empty: a backup never overwrites another"
fi
for path in "${files[@]}"; do
  case "$path" in /*) ;; *) fail "--file $path is not absolute" ;; esac
  [ -e "$path" ] || fail "--file $path does not exist"
done

pg_pick_tools "$database"
sessions=$(pg_other_sessions "$database")
if [ "$sessions" -gt 0 ] && [ "$online" = 0 ]; then
  fail "$sessions other session(s) are connected to $database: stop the nation's silos first (or pass --online)"
fi

mkdir -p "$out"
encoding=$("${bin}psql" -X -q -t -A -d "$database" -c 'SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()')
"${bin}pg_dump" --format=custom --compress=6 --no-password --file="$out/database.dump" "$database" \
  || fail "pg_dump of $database failed"
if [ ${#files[@]} -gt 0 ]; then
  # Paths relative to / so that a restore can put them back in place or under another root.
  relative=()
  for path in "${files[@]}"; do relative+=("${path#/}"); done
  tar --create --gzip --numeric-owner --file="$out/files.tar.gz" --directory=/ "${relative[@]}" \
    || fail "could not archive ${files[*]}"
fi

{
  echo "nation-backup 1"
  echo "database $database"
  echo "encoding $encoding"
  echo "server-major $server_major"
  echo "pg_dump-major $(pg_major "${bin}pg_dump")"
  echo "taken $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "online $online"
  for path in "${files[@]}"; do echo "file $path"; done
} > "$out/MANIFEST"
(cd "$out" && sha256sum database.dump $( [ -f files.tar.gz ] && echo files.tar.gz )) > "$out/SHA256SUMS"

size=$(stat -c %s "$out/database.dump")
echo "backup: $out (database $database, PostgreSQL $server_major, dump $size bytes; ${#files[@]} path(s) of files)"
