#!/usr/bin/env bash
# One entry point for building epil on a fresh Debian 12 machine.
#   ./build.sh examples   install what is missing, build, screen the bundled example cases and
#                         debtors, and the two example spreadsheets
#   ./build.sh test       install what is missing, build, run every test
#   ./build.sh sanitize   the tests again in a build with AddressSanitizer and UBSan
#   ./build.sh fuzz [S]   every libFuzzer target in fuzz/ for S seconds (default 20), from its
#                         seeds, under ASan and UBSan; stops at the first crash
# Packages come from Debian only; nothing is downloaded at build time.
set -euo pipefail
cd "$(dirname "$0")"

packages=(cmake g++ make pkg-config libyaml-dev libcli11-dev doctest-dev libfmt-dev libssl-dev
          libzip-dev libexpat1-dev libxlsxwriter-dev)
# For the tests only: a JSON Schema validator for docs/result.schema.json; a real browser
# (headless) that prints the HTML report; a real spreadsheet program (LibreOffice Calc without
# its GUI) that reads the XLSX output back.
test_packages=(python3-jsonschema chromium libreoffice-calc-nogui)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Run as root, or install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

jobs=$(nproc 2>/dev/null || echo 2)

build() {  # build DIR [cmake args…]
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
}

case "${1:-}" in
  examples)
    install_missing
    build build
    status=0
    for f in examples/*.yaml examples/*.json; do
      [ -e "$f" ] || continue
      echo "=== epil screen $f"
      build/epil screen "$f" || status=$?
      echo
    done
    for f in examples/credit/*.yaml examples/credit/*.json; do
      [ -e "$f" ] || continue
      echo "=== epil credit grade $f"
      build/epil credit grade "$f" || status=$?
      echo
    done
    # The spreadsheets: results beside them in build/examples-out/.
    mkdir -p build/examples-out
    echo "=== epil batch examples/cases.csv -o build/examples-out/cases.xlsx"
    build/epil batch examples/cases.csv -o build/examples-out/cases.xlsx --force || status=$?
    echo
    echo "=== epil batch examples/debtors.csv --ruleset credit -o build/examples-out/debtors.xlsx"
    build/epil batch examples/debtors.csv --ruleset credit -o build/examples-out/debtors.xlsx \
      --force || status=$?
    exit $status
    ;;
  test)
    packages+=("${test_packages[@]}")
    install_missing
    build build
    ctest --test-dir build --output-on-failure -j"$jobs"
    ;;
  sanitize)
    packages+=("${test_packages[@]}")
    install_missing
    # -O1: the sanitizers' checks stay, the build takes half as long as at -O3.
    build build-sanitize -DEPIL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O1
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir build-sanitize --output-on-failure -j"$jobs"
    ;;
  fuzz)
    packages+=(clang libclang-rt-14-dev)
    install_missing
    seconds=${2:-20}
    CC=clang CXX=clang++ build build-fuzz -DEPIL_FUZZ=ON -DBUILD_TESTING=OFF \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo
    for source in fuzz/*_fuzz.cpp; do
      name=$(basename "$source" .cpp)
      seeds=fuzz/seeds/${name%_fuzz}
      # New inputs go to a corpus under build-fuzz/; the checked-in seeds are only read.
      mkdir -p "build-fuzz/corpus/$name" "build-fuzz/crashes"
      echo "=== $name: ${seconds} s"
      fuzz_status=0
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "build-fuzz/$name" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="build-fuzz/crashes/$name-" "build-fuzz/corpus/$name" "$seeds" \
        >"build-fuzz/$name.log" 2>&1 || fuzz_status=$?
      grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "build-fuzz/$name.log" || true
      if [ "$fuzz_status" -ne 0 ]; then
        tail -40 "build-fuzz/$name.log" >&2
        echo "$name failed (exit $fuzz_status): the input is in build-fuzz/crashes/" >&2
        exit 1
      fi
    done
    ;;
  *)
    echo "usage: ./build.sh examples | test | sanitize | fuzz [SECONDS]" >&2
    exit 1
    ;;
esac
