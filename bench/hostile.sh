#!/usr/bin/env bash
# The hostile inputs of issue 12 (bench/hostile_inputs.py: each at most about 10 MB on disk), run
# through epil with the default limits: each must stop with a clear error, or finish, within
# 10 s and 256 MB of peak memory (docs/cli.md, Limits). Prints seconds, peak RSS, exit code and
# the first line of the message; exits 1 if any input breaks the bound.
#   bench/hostile.sh            (needs build/epil and /usr/bin/python3)
set -euo pipefail
cd "$(dirname "$0")/.."
epil=$PWD/build/epil
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "generating the inputs…"
/usr/bin/python3 bench/hostile_inputs.py "$dir"
status=0
try() {  # label, epil arguments…
  local label=$1; shift
  local code=0
  /usr/bin/time -f "%e %M" -o "$dir/time" "$epil" "$@" >/dev/null 2>"$dir/err" || code=$?
  read -r secs kb < <(tail -n 1 "$dir/time")
  local said
  said=$(grep -v "^Command exited" "$dir/err" | head -n 1 | cut -c1-110)
  printf '%-28s %6.2f s %7.1f MiB  exit %-3s %s\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)" \
    "$code" "$said"
  if [ "$(echo "$secs > 10" | bc)" = 1 ] || [ "$kb" -gt $((256 * 1024)) ]; then
    echo "  ^ over the bound (10 s, 256 MB)"
    status=1
  fi
}
try "CSV, 1M columns" batch "$dir/columns.csv" -o "$dir/o.csv" --as-of 2026-11-28
try "CSV, unclosed quote 10 MB" batch "$dir/quote.csv" -o "$dir/o.csv" --force --as-of 2026-11-28
try "JSONL, 700k distinct keys" batch "$dir/keys.jsonl" -o "$dir/o.csv" --force --as-of 2026-11-28
try "JSONL from a pipe" batch /dev/stdin --from jsonl -o "$dir/o.csv" --force --as-of 2026-11-28 \
  <"$dir/keys.jsonl"
try "case file, 200k keys" screen "$dir/keys.yaml" --as-of 2026-11-28
try "case file /dev/zero" screen /dev/zero --as-of 2026-11-28
try "test file /dev/zero" test /dev/zero
try "XLSX, 50M nested elements" batch "$dir/depth.xlsx" -o "$dir/o.csv" --force --as-of 2026-11-28
try "XLSX, 3000 x 1 MB cells" batch "$dir/wide_cells.xlsx" -o "$dir/o.csv" --force --as-of 2026-11-28
try "XLSX, 300M <si/>" batch "$dir/shared.xlsx" -o "$dir/o.csv" --force --as-of 2026-11-28
try "XLSX, 4M relationships" batch "$dir/rels.xlsx" -o "$dir/o.csv" --force --as-of 2026-11-28
exit $status
