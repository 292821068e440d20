#!/usr/bin/env bash
# Every check CI runs, stage by stage, each timed. Called by `make test` with .venv/bin first on PATH.
# Arguments pick groups of stages: check (ruff, mypy, package tests: `make check`, ~20 s), course
# (assignments under otter, the student site), notebooks, book, browser; no argument runs them all.
# Every stage runs even when an earlier one failed, so one run reports everything; the summary at the
# end gives each stage's time and result, and the script exits 1 when any stage failed.
set -uo pipefail
cd "$(dirname "$0")/.."

groups=("$@")
for group in "${groups[@]}"; do
  case $group in
    check|course|notebooks|book|browser) ;;
    *) echo "unknown group '$group'; expected some of: check course notebooks book browser" >&2; exit 2 ;;
  esac
done
selected() {  # is group $1 to run?
  [ ${#groups[@]} -eq 0 ] && return 0
  local group
  for group in "${groups[@]}"; do [ "$group" = "$1" ] && return 0; done
  return 1
}

declare -a report=()
failed=()
# CPU seconds used by finished child processes (Linux /proc; 0 elsewhere), to tell a slow stage from a busy machine.
cpu() {  # of the shell whose process id is $1 (this script's by default)
  local stat
  if read -r stat 2>/dev/null < "/proc/${1:-$$}/stat"; then
    stat=${stat##*) }  # the fields after "(comm)": cutime and cstime are the 14th and 15th of them
    set -- $stat
    echo $(( (${14} + ${15}) / $(getconf CLK_TCK) ))
  else
    echo 0
  fi
}
stage() {
  local name=$1; shift
  echo
  echo "==> $name"
  local start=$SECONDS cpu_start result=ok
  cpu_start=$(cpu)
  "$@" || { result=FAILED; failed+=("$name"); }
  report+=("$(printf '%-30s %4d s  (CPU %4d s)   %s' "$name" $((SECONDS - start)) $(( $(cpu) - cpu_start )) "$result")")
}

# The browser stage mostly waits on Chromium (its CPU time is about a quarter of its wall time), so when
# CPU-bound stages run too, it runs beside them: its output is held back and printed when it has ended.
background_stage() {
  bg_name=$1; shift
  bg_dir=$(mktemp -d)
  (
    start=$SECONDS result=ok me=$BASHPID  # this subshell: its finished children are the stage's CPU time
    cpu_start=$(cpu "$me")
    "$@" > "$bg_dir/output" 2>&1 || result=FAILED
    printf '%-30s %4d s  (CPU %4d s)   %s' "$bg_name" $((SECONDS - start)) $(( $(cpu "$me") - cpu_start )) "$result" \
      > "$bg_dir/report"
    [ "$result" = ok ]
  ) &
  bg_pid=$!
}
wait_background_stage() {
  echo
  echo "==> $bg_name (ran beside the stages above)"
  wait "$bg_pid" || failed+=("$bg_name")
  cat "$bg_dir/output"
  report+=("$(cat "$bg_dir/report")")
  rm -rf "$bg_dir"
}

# A clean build: Sphinx reports a page's warnings only when it rebuilds that page, and leaves pages
# that left the table of contents in _build/html, where the browser tests would find them.
clean_build() {
  rm -rf _build/html _build/.doctrees _build/screenshots
  jupyter-book build . -W -n --keep-going
}

total_start=$SECONDS
if selected check; then  # the fast stages: `make check`, before every commit
  stage "lint (ruff)" ruff check
  stage "types (mypy lstm)" mypy
  stage "package tests" python -m pytest tests -q -p no:cacheprovider --ignore=tests/course
fi
if selected book; then
  stage "book build (-W -n, clean)" clean_build
  # The PDF edition (TeX Live from apt-get when missing), copied into the site, which links it.
  stage "book PDF (make pdf)" make --no-print-directory pdf
fi
browser_beside=false
if selected browser && { selected course || selected notebooks; }; then
  browser_beside=true
  background_stage "website in Chromium" python -m pytest browser_tests -q -p no:cacheprovider
fi
if selected course; then
  # otter assign on every assignment, `otter run` on its solution, planted bugs and hostile
  # submissions; the student copy of the site built and searched for solutions.
  stage "course kit (otter, students)" python -m pytest tests/course -q -p no:cacheprovider
fi
if selected notebooks; then
  # chapters/conftest.py makes nbval run cells with history, as Jupyter does, so a trailing ';' works.
  stage "notebooks (nbval, strict)" python -m pytest --nbval chapters -q -p no:cacheprovider \
    --nbval-sanitize-with nbval_sanitize.cfg
fi
if selected browser; then
  if $browser_beside; then
    wait_background_stage
  else
    stage "website in Chromium" python -m pytest browser_tests -q -p no:cacheprovider
  fi
fi

echo
echo "Stage timings:"
printf '  %s\n' "${report[@]}"
printf '  %-30s %4d s  (CPU %4d s)   on %s cores\n' "total" $((SECONDS - total_start)) "$(cpu)" "$(getconf _NPROCESSORS_ONLN)"
if [ ${#failed[@]} -gt 0 ]; then
  echo
  printf 'FAILED stages:'; printf ' [%s]' "${failed[@]}"; echo
  exit 1
fi
echo
echo "All stages passed."
