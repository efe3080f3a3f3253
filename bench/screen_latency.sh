#!/usr/bin/env bash
# Wall time of one `epil screen` including start-up: the prosecutor's single case.
#   bench/screen_latency.sh [RUNS]   (needs a built build/epil)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
cmd=(build/epil screen --region 广西 --type 水污染 --amount 2800 --regional-impact 否
     --persistent-risk 否 --date 2025-06-01 --as-of 2026-11-28)
"${cmd[@]}" >/dev/null
start=$(date +%s%N)
for ((i = 0; i < runs; i++)); do "${cmd[@]}" >/dev/null; done
end=$(date +%s%N)
start_true=$(date +%s%N)
for ((i = 0; i < runs; i++)); do /bin/true; done
end_true=$(date +%s%N)
echo "epil screen: $(( (end - start) / runs / 1000 )) µs per run over $runs runs" \
     "(spawning /bin/true: $(( (end_true - start_true) / runs / 1000 )) µs)"
