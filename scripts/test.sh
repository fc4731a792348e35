#!/usr/bin/env bash
# npm test: the specs lint and the generated code and built admin portal are in sync with them, the
# types check (the portal's with svelte-check), then every test runs (node:test, one process per file).
set -euo pipefail
cd "$(dirname "$0")/.."

# openapi/README.md is hand-written around a generated table (the problem catalogue): it is stale
# if generating changes it, whatever else is uncommitted in it.
readme_before=$(cksum < openapi/README.md)
npm run -s generate
if [ "$(cksum < openapi/README.md)" != "$readme_before" ]; then
  echo "openapi/README.md's problem table was out of date with openapi/_shared/problems.yaml — 'npm run generate' rewrote it; commit it." >&2
  exit 1
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  stale=$(git status --porcelain -- generated docs/api admin-ui/dist openapi/_shared/components/schemas/ProblemCode.yaml)
  if [ -n "$stale" ]; then
    echo "Generated files are out of date with openapi/ — run 'npm run generate' and commit:" >&2
    echo "$stale" >&2
    exit 1
  fi
fi

npx tsc -p .
npx svelte-check --workspace admin-ui --tsconfig "$PWD/admin-ui/tsconfig.json" --fail-on-warnings --output human
node --import tsx --test $(find test infra/test -name '*.test.ts' | sort)
