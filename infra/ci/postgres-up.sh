#!/usr/bin/env bash
# Installs PostgreSQL when missing, starts it, and prepares the role the tests use
# (federation_test / federation_test, allowed to create databases). Idempotent.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "postgres-up: installing PostgreSQL"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >/dev/null
fi
# check_asserts stays on (the Orleans notes' ASSERT trap); more connections for several silos.
conf="/etc/postgresql/$version/main/conf.d/federation.conf"
if [ ! -f "$conf" ]; then
  mkdir -p "$(dirname "$conf")"
  printf "max_connections = 300\nplpgsql.check_asserts = on\n" > "$conf"
  pg_ctlcluster "$version" main stop >/dev/null 2>&1 || true
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true

for _ in $(seq 1 60); do
  if su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
su postgres -c "psql -qtAc 'select 1'" >/dev/null || { echo "postgres-up: PostgreSQL $version did not start; see /var/log/postgresql/postgresql-$version-main.log" >&2; exit 1; }

su postgres -c "psql -q" <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'federation_test') THEN
    CREATE ROLE federation_test LOGIN CREATEDB PASSWORD 'federation_test';
  END IF;
END $$;
SQL
echo "postgres-up: PostgreSQL $version on 127.0.0.1:5432, role federation_test ready"
