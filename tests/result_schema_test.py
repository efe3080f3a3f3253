#!/usr/bin/python3
"""epil screen --format json against docs/result.schema.json, with a real validator.

Usage: result_schema_test.py EPIL SOURCE_DIR VERSION

Screens every bundled example (both rulesets, both languages) and cases chosen for the
schema's branches (undecided with missing facts, an overlay, a period ending in a year
without a holiday calendar), validates each result (JSON Schema 2020-12, formats checked),
and checks the typed values the schema cannot: a given amount is the number given, the
review date is the one asked for, the version is CMake's.
"""
import glob
import json
import os
import subprocess
import sys

import jsonschema

epil, src, version = sys.argv[1], sys.argv[2], sys.argv[3]
schema = json.load(open(os.path.join(src, "docs", "result.schema.json"), encoding="utf-8"))
validator = jsonschema.Draft202012Validator(
    schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
failures = []


def screen(args, lang):
    cmd = [epil, "screen", "--format", "json", "--lang", lang, "--as-of", "2026-12-01"] + args
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=src)
    # 0: decided, 3: undecided (review); anything else is a failure of the command itself.
    if run.returncode not in (0, 3):
        failures.append(f"{args} ({lang}): exit {run.returncode}: {run.stderr.strip()}")
        return None
    result = json.loads(run.stdout)
    for error in validator.iter_errors(result):
        path = "/".join(str(p) for p in error.absolute_path)
        failures.append(f"{args} ({lang}): {path}: {error.message}")
    return result


cases = [[f] for f in sorted(glob.glob("examples/*.yaml", root_dir=src) +
                             glob.glob("examples/*.json", root_dir=src))]
cases += [["--ruleset", "credit", f] for f in sorted(
    glob.glob("examples/credit/*.yaml", root_dir=src) +
    glob.glob("examples/credit/*.json", root_dir=src))]
cases += [
    ["--region", "广西", "--type", "水污染"],  # undecided: the amount and more missing
    ["--region", "广西", "--overlay", "judicial_proposal", "--type", "水污染", "--amount", "2800"],
    ["--region", "陕西", "--type", "大气污染", "--date", "2025-03-01", "--exceedance", "0.5"],
]
seen = 0
for args in cases:
    for lang in ("zh", "en"):
        r = screen(args, lang)
        if r is None:
            continue
        seen += 1
        if r.get("epil_version") != version:
            failures.append(f"{args}: epil_version {r.get('epil_version')!r}, expected {version!r}")
        if r.get("review_date") != "2026-12-01" and "review_date" not in r.get("facts", {}):
            failures.append(f"{args}: review_date {r.get('review_date')!r}, expected 2026-12-01")
        for reason in r["reasons"]:
            if not isinstance(reason["result"], (bool, type(None))):
                failures.append(f"{args}: {reason['test']}: result {reason['result']!r}")

# Typed facts: the amount as the number given, yes/no as booleans, enums as keys.
water = screen(["examples/guangxi-water-2800.yaml"], "en")
if water is not None:
    facts = water["facts"]
    expected = {"damage_amount": 2800, "regional_impact": False, "damage_type": "water_pollution",
                "conduct_date": "2025-06-01"}
    for key, value in expected.items():
        if key not in facts or facts[key] != value or type(facts[key]) is not type(value):
            failures.append(f"facts[{key}] = {facts.get(key)!r}, expected {value!r}")
    results = {r["test"]: r["result"] for r in water["reasons"]}
    if results.get("amount_within") is not True:
        failures.append(f"amount_within result {results.get('amount_within')!r}, expected true")
    if water["outcome_caveat"] and water["outcome_caveat"].startswith(" "):
        failures.append("outcome_caveat starts with a space")

if seen < 2 * len(cases):
    failures.append(f"only {seen} of {2 * len(cases)} results were produced")
for f in failures:
    print(f, file=sys.stderr)
print(f"{seen} results checked against docs/result.schema.json; {len(failures)} problems")
sys.exit(1 if failures else 0)
