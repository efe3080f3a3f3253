#!/usr/bin/env bash
# Batch screening speed and memory, next to `wc -l` and `cat` on the same file in the same run,
# for environmental cases (CSV and XLSX) and for judgment-debtor records (--ruleset credit).
#   bench/run_batch.sh [ROWS] [XLSX_ROWS]     (default 1000000 and 100000; needs build/epil and
#                                              /usr/bin/python3 with python3-openpyxl for XLSX)
# The output floor: writing a file as large as the CSV output (`cat OUT > COPY`), and the same
# with the file synced to the disk, as epil does before renaming its output into place.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
xlsx_rows=${2:-100000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
py=/usr/bin/python3

measure() {  # label, command…
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$dir/time" "$@" >/dev/null 2>"$dir/err" || true
  read -r secs kb < <(tail -n 1 "$dir/time")
  awk -v l="$label" -v s="$secs" -v k="$kb" -v n="$rows_now" \
    'BEGIN { printf "%-34s %8.2f s  %10.0f rows/s  %6.1f MiB peak RSS\n", l, s, n / (s + 1e-6), k / 1024 }' 
}

echo "generating $rows CSV rows and $xlsx_rows XLSX rows (seeded)…"
$py bench/generate_cases.py "$rows" "$dir/cases.csv"
$py bench/generate_cases.py "$xlsx_rows" "$dir/cases.xlsx"
# The generated files reach the disk before anything is timed: their writeback would
# otherwise share the disk with the first runs' output.
sync
echo "CSV: $(du -h "$dir/cases.csv" | cut -f1), $(nproc) cores"
rows_now=$rows
measure "wc -l" wc -l "$dir/cases.csv"
measure "cat" cat "$dir/cases.csv"
measure "epil batch CSV → CSV" build/epil batch "$dir/cases.csv" -o "$dir/out.csv" --region 广西 --as-of 2026-11-28
echo "CSV output: $(du -h "$dir/out.csv" | cut -f1)"
measure "cat OUT > COPY (write floor)" sh -c "cat '$dir/out.csv' > '$dir/copy.csv'"
rm -f "$dir/copy.csv"
# epil syncs its output to the disk before giving it its name (never a name without the data):
# the same floor with that sync.
measure "cat OUT > COPY; sync COPY" sh -c "cat '$dir/out.csv' > '$dir/copy.csv' && sync '$dir/copy.csv'"
rm -f "$dir/copy.csv" "$dir/out.csv"
$py bench/generate_cases.py "$rows" "$dir/debtors.csv" --ruleset credit
sync
measure "epil batch --ruleset credit" build/epil batch "$dir/debtors.csv" -o "$dir/out.csv" --ruleset credit --as-of 2026-11-28
rm -f "$dir/debtors.csv" "$dir/out.csv"
rows_now=$xlsx_rows
measure "epil batch XLSX → XLSX" build/epil batch "$dir/cases.xlsx" -o "$dir/out.xlsx" --region 广西 --as-of 2026-11-28
