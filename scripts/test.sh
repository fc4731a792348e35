#!/usr/bin/env bash
# npm test: the specs lint and the generated code is in sync with them, the types check, then
# every test runs (node:test, one process per file).
set -euo pipefail
cd "$(dirname "$0")/.."

npm run -s generate
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  stale=$(git status --porcelain -- generated docs/api)
  if [ -n "$stale" ]; then
    echo "Generated files are out of date with openapi/ — run 'npm run generate' and commit:" >&2
    echo "$stale" >&2
    exit 1
  fi
fi

npx tsc -p .
node --import tsx --test $(find test infra/test -name '*.test.ts' | sort)
