#!/usr/bin/env bash
# Builds the demo and shows it: installs what is missing (scripts/setup.sh), builds dist/ and
# www/ (scripts/build.sh), prints the page's file:// path, and serves www/ on localhost.
# With CI set, or PAPERSIFT_NO_SERVE=1, it prints how to open the page instead of serving.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
page="$(pwd)/www/index.html"
echo
echo "demo: open file://$page (double-click works: no server needed)"
if [ -n "${CI:-}" ] || [ -n "${PAPERSIFT_NO_SERVE:-}" ]; then
  echo "demo: or serve it with: node scripts/serve.mjs www 8080"
  exit 0
fi
exec node scripts/serve.mjs www "${PORT:-8080}"
