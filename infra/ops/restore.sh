#!/usr/bin/env bash
# Restores a nation from a backup made by infra/ops/backup.sh into a fresh database, and its files.
# The runbook is docs/operations.md ("Backup and restore"); tests/Federation.EndToEnd.Tests runs it.
#
#   infra/ops/restore.sh --in DIR --database NAME [--owner ROLE] [--replace] [--files-root DIR]
#
#   --in DIR          the backup (database.dump, MANIFEST, SHA256SUMS, files.tar.gz if files were kept)
#   --database NAME   the database to create and restore into; the connection is the libpq
#                     environment (PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass)
#   --owner ROLE      the owner of the new database (default: the connecting role); the dump's
#                     tables keep their owners, which must exist as roles on this server
#   --replace         drop NAME first when it exists (refused while anyone is connected to it);
#                     without it an existing NAME is refused
#   --files-root DIR  where the kept files go back, under their absolute paths (default: /, in place);
#                     existing files of the same names are overwritten
#
# Checks the backup's checksums and versions before touching anything, creates the database from
# template0 with the dump's encoding, restores in one transaction (all or nothing), extracts the
# files, prints one line "restore: ..." and exits 0; on any failure says why and exits 1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=infra/ops/pg-tools.sh
. "$here/pg-tools.sh"

in="" database="" owner="" replace=0 root=/
while [ $# -gt 0 ]; do
  case "$1" in
    --in) in=${2:-}; shift 2 ;;
    --database) database=${2:-}; shift 2 ;;
    --owner) owner=${2:-}; shift 2 ;;
    --replace) replace=1; shift ;;
    --files-root) root=${2:-}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
done
[ -n "$in" ] || fail "--in is required"
[ -n "$database" ] || fail "--database is required"
[ -f "$in/MANIFEST" ] && [ -f "$in/database.dump" ] && [ -f "$in/SHA256SUMS" ] || fail "$in is not a backup of infra/ops/backup.sh (no MANIFEST, SHA256SUMS or database.dump)"
head -n 1 "$in/MANIFEST" | grep -qx 'nation-backup 1' || fail "$in/MANIFEST is not a nation-backup 1 manifest"
(cd "$in" && sha256sum --check --quiet SHA256SUMS) || fail "$in does not match its SHA256SUMS: the backup is damaged"
[ -d "$root" ] || fail "--files-root $root is not a directory"

manifest() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$in/MANIFEST"; }
encoding=$(manifest encoding)
dumped_by=$(manifest pg_dump-major)

# The maintenance database: tools and version are picked against it (the target does not exist yet).
pg_pick_tools postgres
restorer=$(pg_major "${bin}pg_restore")
if [ "$restorer" -lt "$dumped_by" ]; then
  fail "${bin}pg_restore is PostgreSQL $restorer but the dump was written by pg_dump $dumped_by: use a client of version $dumped_by or newer (PG_BINDIR)"
fi

exists=$(echo "SELECT count(*) FROM pg_database WHERE datname = :'name'" | "${bin}psql" -X -q -t -A -d postgres -v name="$database")
if [ "$exists" != 0 ]; then
  [ "$replace" = 1 ] || fail "database $database exists: restore into a fresh one, or pass --replace to drop it first"
  "${bin}dropdb" --no-password "$database" || fail "could not drop $database (is a silo still connected? stop the nation first)"
fi

create=(--no-password --template=template0)
[ -n "$encoding" ] && create+=(--encoding="$encoding")
[ -n "$owner" ] && create+=(--owner="$owner")
"${bin}createdb" "${create[@]}" "$database" || fail "could not create database $database"
if ! "${bin}pg_restore" --exit-on-error --single-transaction --no-password --dbname="$database" "$in/database.dump"; then
  "${bin}dropdb" --no-password "$database" >/dev/null 2>&1 || true
  fail "pg_restore into $database failed (the database was dropped again: nothing half-restored is left)"
fi

restored=0
if [ -f "$in/files.tar.gz" ]; then
  tar --extract --gzip --same-permissions --file="$in/files.tar.gz" --directory="$root" || fail "could not extract the files under $root"
  restored=$(grep -c '^file ' "$in/MANIFEST" || true)
fi

echo "restore: $database from $in (taken $(manifest taken), PostgreSQL $server_major); $restored path(s) of files under $root"
