#!/usr/bin/env bash
# Install (Debian packages) and start a local PostgreSQL server for the test suite, create the test role
# and database, and print the SQLAlchemy URL the tests use. Idempotent: safe to run again.
set -euo pipefail

PG_USER=ctscreen
PG_PASSWORD=ctscreen
PG_DB=ctscreen_test
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
  echo "installing PostgreSQL from Debian packages..." >&2
  $SUDO apt-get update -qq >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

if ! pg_lsclusters -h | grep -q .; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  $SUDO pg_createcluster "$version" main >&2
fi
read -r version cluster port status _ < <(pg_lsclusters -h | head -n 1)
if [ "$status" != "online" ]; then
  $SUDO pg_ctlcluster "$version" "$cluster" start >&2
fi

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
for _ in $(seq 1 30); do as_postgres psql -p "$port" -qAtc "select 1" >/dev/null 2>&1 && break; sleep 1; done
if ! as_postgres psql -p "$port" -qAtc "select 1 from pg_roles where rolname='$PG_USER'" | grep -q 1; then
  as_postgres psql -p "$port" -qc "create role $PG_USER login createdb password '$PG_PASSWORD'" >&2
fi
if ! as_postgres psql -p "$port" -qAtc "select 1 from pg_database where datname='$PG_DB'" | grep -q 1; then
  as_postgres psql -p "$port" -qc "create database $PG_DB owner $PG_USER" >&2
fi
echo "postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:$port/$PG_DB"
