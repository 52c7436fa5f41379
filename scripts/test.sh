#!/usr/bin/env bash
# Builds the CLI, starts the Docker engine the tests use, and runs every test file under test/ with
# node's test runner (TypeScript through tsx). Node 20's --test does not expand globs, hence the find.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
bash scripts/start-dockerd.sh
mapfile -t files < <(find test -name '*.test.ts' | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
exec node --import tsx --test --test-concurrency=1 --test-timeout=900000 "$@" "${files[@]}"
