#!/usr/bin/env bash
# The whole suite: lint, then pytest on SQLite, then again on PostgreSQL when
# DATABASE_URL is set (CI sets it). Extra arguments go to both pytest runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"

echo "== lint (ruff) and types (mypy, pure packages)"
$BIN/ruff check mesohair tests $(ls -d bench 2>/dev/null)
$BIN/mypy mesohair/clinical mesohair/imaging

pg_url="${DATABASE_URL:-}"
echo "== pytest on SQLite"
env -u DATABASE_URL $BIN/pytest "$@"

if [ -n "$pg_url" ]; then
  echo "== pytest on PostgreSQL ($pg_url)"
  DATABASE_URL="$pg_url" $BIN/pytest "$@"
else
  echo "== DATABASE_URL not set: PostgreSQL pass skipped"
fi
