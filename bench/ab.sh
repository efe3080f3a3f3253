#!/usr/bin/env bash
# A/B of two epil binaries on the same batch, run in turn (A B A B …) so that both meet the
# same machine: the median and the best wall and CPU seconds of each, and B/A (above 1: A is
# faster). Used to decide whether a piece of cleverness earns its place (docs/performance.md):
# build the tree with the piece and without it, then
#   bench/ab.sh BIN_WITH BIN_WITHOUT [RUNS] -- batch IN -o OUT --region 广西 --as-of 2026-11-28
# Outputs are compared first: an A/B of binaries that disagree measures nothing.
set -euo pipefail
a=$1; b=$2; shift 2
runs=9
if [ "${1:-}" != "--" ]; then runs=$1; shift; fi
[ "${1:-}" = "--" ] && shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The output file named after -o, replaced by one per binary.
args=("$@")
out_at=-1
for i in "${!args[@]}"; do [ "${args[$i]}" = "-o" ] && out_at=$((i + 1)); done
run() {  # run BIN OUT → "wall cpu"
  local bin=$1 out=$2 cmd=("${args[@]}")
  [ "$out_at" -ge 0 ] && cmd[$out_at]=$out
  /usr/bin/time -f "%e %U %S" -o "$dir/t" "$bin" "${cmd[@]}" --force >/dev/null 2>&1 || true
  # The last line: time puts "Command exited with non-zero status 3" (rows not read) before it.
  tail -n 1 "$dir/t" | awk '{ printf "%s %.3f\n", $1, $2 + $3 }'

}
ext=${args[$out_at]##*.}
run "$a" "$dir/a.$ext" >/dev/null
run "$b" "$dir/b.$ext" >/dev/null
if [ "$ext" = csv ] || [ "$ext" = jsonl ]; then
  cmp -s "$dir/a.$ext" "$dir/b.$ext" || { echo "the two binaries' outputs differ" >&2; exit 1; }
fi
: > "$dir/a"; : > "$dir/b"
for ((i = 0; i < runs; i++)); do
  run "$a" "$dir/a.$ext" >> "$dir/a"
  run "$b" "$dir/b.$ext" >> "$dir/b"
done
stats() {  # file column → "median best"
  sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { printf "%.3f %.3f\n", v[int((NR + 1) / 2)], v[1] }'
}
read -r aw_med aw_min < <(stats "$dir/a" 1)
read -r bw_med bw_min < <(stats "$dir/b" 1)
read -r ac_med ac_min < <(stats "$dir/a" 2)
read -r bc_med bc_min < <(stats "$dir/b" 2)
printf "%-8s %10s %10s %10s %10s\n" "" "wall med" "wall best" "cpu med" "cpu best"
printf "%-8s %10s %10s %10s %10s\n" A "$aw_med" "$aw_min" "$ac_med" "$ac_min"
printf "%-8s %10s %10s %10s %10s\n" B "$bw_med" "$bw_min" "$bc_med" "$bc_min"
awk -v a="$aw_med" -v b="$bw_med" -v x="$aw_min" -v y="$bw_min" -v c="$ac_med" -v d="$bc_med" \
  'BEGIN { printf "B/A      %10.3f %10.3f %10.3f\n", b / a, y / x, d / c }'
