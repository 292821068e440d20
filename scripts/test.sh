#!/usr/bin/env bash
# Every check CI runs, stage by stage, each timed. Called by `make test` with .venv/bin first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -a report=()
stage() {
  local name=$1; shift
  echo "==> $name"
  local start=$SECONDS
  "$@"
  report+=("$(printf '%-28s %4d s' "$name" $((SECONDS - start)))")
}

total_start=$SECONDS
stage "package tests" python -m pytest tests -q -p no:cacheprovider
stage "notebooks (nbval, strict)" python -m pytest --nbval chapters -q -p no:cacheprovider \
  --nbval-sanitize-with nbval_sanitize.cfg
stage "book build (-W -n)" jupyter-book build . -W -n --keep-going
if [ -d browser_tests ]; then
  stage "website in Chromium" python -m pytest browser_tests -q -p no:cacheprovider
fi

echo
echo "Stage timings:"
printf '  %s\n' "${report[@]}"
printf '  %-28s %4d s\n' "total" $((SECONDS - total_start))
