#!/usr/bin/env python3
"""Writes divisions/cn-<edition>.yaml from two independent copies of 民政部's list.

The list of administrative divisions at county level and above (中华人民共和国县以上行政区划代码)
is published by 中华人民共和国民政部 as a web table; epil ships it as data. No copy is trusted
alone: this script takes two copies made by different people, keeps the entries of the first,
and refuses to write unless every one of them appears in the second with the same name. Entries
only the second copy has are listed (development zones, codes since abolished, districts of Hong
Kong and Macao that the 民政部 list does not carry) and left out.

    python3 tools/divisions.py --edition 2023 --first A.txt --second B.csv \
        --last-checked 2026-12-07 -o divisions/cn-2023.yaml

A copy is any text with one division a line: six digits, then a separator (space, tab or comma),
then the name; other lines (headers) are skipped. The header of the written file (source,
status, how the copies compared) is filled from the arguments and from the comparison itself,
so the next edition is made the same way: two new copies, a new --edition, and a read of the
differences this script prints.
"""

import argparse
import re
import sys
import textwrap
from collections import Counter

LINE = re.compile(r"^\s*(\d{6})\s*[,\t ]\s*(\S+)\s*$")

# How ledgers shorten names, read by src/core/divisions.cpp: suffixes dropped from the end
# (longest first), and the designations of autonomous areas dropped after them (广西壮族自治区
# → 广西, 黔东南苗族侗族自治州 → 黔东南). Every designation below occurs in some name of the
# list; the script checks that too.
SUFFIXES = ["特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区",
            "省", "市", "盟", "县", "区", "旗"]
DESIGNATIONS = [
    "壮族", "回族", "维吾尔", "蒙古族", "蒙古", "藏族", "苗族", "彝族", "布依族", "侗族", "瑶族",
    "白族", "土家族", "哈尼族", "哈萨克族", "哈萨克", "傣族", "黎族", "傈僳族", "佤族", "畲族",
    "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜", "土族", "达斡尔族", "仫佬族",
    "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯", "普米族", "塔吉克", "怒族",
    "鄂温克族", "鄂伦春", "保安族", "裕固族", "独龙族", "满族", "朝鲜族", "各族"]


def read_copy(path):
    entries = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = LINE.match(line)
            if not m:
                continue
            code, name = m.groups()
            if code in entries and entries[code] != name:
                sys.exit(f"{path}:{number}: {code} given twice ({entries[code]}, {name})")
            entries[code] = name
    if not entries:
        sys.exit(f"{path}: no entries")
    return entries


def compare(first, second):
    """The first copy's entries every one of which the second confirms; exits otherwise."""
    differing = [c for c in first if c in second and second[c] != first[c]]
    missing = [c for c in first if c not in second]
    extra = sorted(c for c in second if c not in first)
    for c in differing:
        print(f"name differs: {c} {first[c]} / {second[c]}", file=sys.stderr)
    for c in missing:
        print(f"only in the first copy: {c} {first[c]}", file=sys.stderr)
    for c in extra:
        print(f"only in the second copy (left out): {c} {second[c]}", file=sys.stderr)
    if differing or missing:
        sys.exit("the copies disagree: nothing written")
    return extra


def check_tree(entries):
    """Every code six digits under an existing province; a county under an existing
    prefecture unless its province has none (the municipalities) or it is one of the counties
    a province governs directly (third and fourth digits 90)."""
    provinces = {c for c in entries if c.endswith("0000")}
    prefectures = {c for c in entries if c.endswith("00") and c not in provinces}
    with_prefectures = {c[:2] for c in prefectures}
    for c in entries:
        if c[:2] + "0000" not in provinces:
            sys.exit(f"{c}: no province {c[:2]}0000")
        if c in provinces or c in prefectures or c[2:4] == "90":
            continue
        if c[:2] in with_prefectures and c[:4] + "00" not in prefectures:
            sys.exit(f"{c}: no prefecture {c[:4]}00")
    for d in DESIGNATIONS:
        if not any(d in name for name in entries.values()):
            sys.exit(f"designation {d} occurs in no name")
    return provinces, prefectures


def per_province(entries, provinces):
    counts = Counter(c[:2] for c in entries)
    return ", ".join(f"{entries[p]} {counts[p[:2]]}" for p in sorted(provinces))


def comment(text):
    return textwrap.fill(text, width=72, initial_indent="# ", subsequent_indent="# ",
                         break_on_hyphens=False)


def flow(items):
    return textwrap.fill("[" + ", ".join(items) + "]", width=72, subsequent_indent="    ")


def header(args, entries, extra, provinces, prefectures):
    counties = len(entries) - len(provinces) - len(prefectures)
    left_out = ", ".join(extra) if extra else "none"
    paragraphs = [
        f"中华人民共和国县以上行政区划代码（{args.edition}年）: the administrative divisions at "
        "province, prefecture and county level with their six-digit codes (GB/T 2260 scheme), as "
        "published by 中华人民共和国民政部. epil reads it to find the region of a place written "
        "as a ledger writes it: a code (450325), a full name (广西壮族自治区桂林市兴安县), a "
        "short one (桂林兴安).",
        "How it was obtained and checked (written by tools/divisions.py, which the next edition "
        "reuses): two copies of the 民政部 list made independently by others were compared entry "
        f"by entry: {args.first_name} ({len(entries)} entries) and {args.second_name}. Every "
        "entry of the first appears in the second with the same code and name; entries only the "
        f"second has were left out ({len(extra)}: {left_out}).",
        f"Counts: {len(provinces)} province-level, {len(prefectures)} prefecture-level, "
        f"{counties} county-level entries. Per province (all levels): "
        f"{per_province(entries, provinces)}.",
        "Spot checks against the text of both copies: 450100 南宁市, 450325 兴安县, 110108 海淀区, "
        "110112 通州区 and 320612 通州区, 110105 朝阳区 and 220104 朝阳区.",
        "Status reported: the entries were not compared with the 民政部 page itself.",
    ]
    comments = "\n#\n".join(comment(t) for t in paragraphs)
    return f"""\
{comments}
edition: {args.edition}
source:
  document: {args.edition}年中华人民共和国县以上行政区划代码
  publisher: 中华人民共和国民政部
  url: {args.url}
  note: {args.note}
status: reported
last_checked: {args.last_checked}
short_names:
  suffixes: {flow(SUFFIXES)}
  designations: {flow(DESIGNATIONS)}
divisions: |
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--edition", required=True)
    p.add_argument("--first", required=True, help="the copy whose entries are written")
    p.add_argument("--second", required=True, help="the copy that must confirm them")
    p.add_argument("--first-name", required=True, help="where the first copy came from")
    p.add_argument("--second-name", required=True, help="where the second copy came from")
    p.add_argument("--url", required=True)
    p.add_argument("--note", required=True)
    p.add_argument("--last-checked", required=True)
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()
    first, second = read_copy(args.first), read_copy(args.second)
    extra = compare(first, second)
    provinces, prefectures = check_tree(first)
    with open(args.output, "w", encoding="utf-8") as out:
        out.write(header(args, first, extra, provinces, prefectures))
        for code in sorted(first):
            out.write(f"  {code} {first[code]}\n")
    print(f"{args.output}: {len(first)} divisions", file=sys.stderr)


if __name__ == "__main__":
    main()
