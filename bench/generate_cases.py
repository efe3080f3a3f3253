#!/usr/bin/python3
"""Seeded generator of realistic environmental case files for the batch benchmark.

    bench/generate_cases.py ROWS OUT.{csv,xlsx,jsonl} [--gb18030] [--english] [--seed N]
                            [--ruleset credit]

Rows look like what a case system exports: a case number, a region named as people write it
(广西, 广西壮族自治区, 450000 …), a damage type, amounts typed in several ways (3000, 3,000元,
0.3万元), yes/no answers (是/否, Y/N), dates in several spellings, for dumping cases what was
dumped and how much, a free-text remark, and about 5% of the cells blank. The same seed gives the same file. With --ruleset credit, rows are
judgment-debtor records instead: debtor type, age, listing ground, ability, inability cause,
amounts owed and performed, decision dates, grace periods, art. 10 deletion events.
"""
import argparse
import csv
import json
import random
import sys

HEADERS_ZH = ["案件编号", "地区", "损害类型", "损害数额", "区域性生态影响", "长期潜在风险",
              "特殊保护区域", "特殊污染物", "行为发生日期", "事实简单、责任无争议", "鉴定评估费用",
              "固体废物种类", "倾倒量", "备注"]
HEADERS_EN = ["case id", "region", "damage type", "damage amount", "regional impact",
              "long-term latent risk", "specially protected area", "special pollutant",
              "conduct date", "facts simple and liability undisputed", "appraisal cost",
              "kind of solid waste", "waste dumped", "note"]
# A dumping case says what was dumped and how much (the criminal reference for hazardous
# waste, 3 t, needs both); other cases leave the two cells blank.
WASTE_KINDS = ["生活垃圾", "建筑垃圾", "一般工业固体废物", "一般工业固废", "危险废物"]
REGIONS = ["广西", "广西壮族自治区", "450000", "陕西", "陕西省", "浙江", "江苏", "云南", "全国"]
TYPES = ["水污染", "大气污染", "固体废物", "资源破坏", "water_pollution", "废水"]
AREAS = ["", "", "", "", "", "", "无", "饮用水水源保护区", "生态保护红线"]
POLLUTANTS = ["", "", "", "", "", "", "无", "重金属"]
REMARKS = ["电镀厂偷排含镍废水", "夜间偷排", "养殖场粪污直排", "建筑垃圾倾倒", "无证经营", "群众举报", ""]


def amount(r):
    v = round(r.lognormvariate(7.5, 1.4))
    form = r.random()
    if form < 0.6:
        return str(v)
    if form < 0.8:
        return f"{v:,}元"
    return f"{v / 10000:.4g}万元"


def yes_no(r):
    return r.choice(["是", "否", "否", "否", "Y", "N", "否"])


def date(r):
    y, m, d = r.choice([2023, 2024, 2025, 2026]), r.randint(1, 12), r.randint(1, 28)
    return r.choice([f"{y}-{m:02d}-{d:02d}", f"{y}/{m}/{d}", f"{y}年{m}月{d}日", f"{y}{m:02d}{d:02d}"])


DEBTOR_HEADERS_ZH = ["案号", "被执行人类型", "年龄", "纳入情形", "有履行能力", "失能原因", "执行标的金额",
                     "已履行金额", "纳入决定日期", "已给予宽限期", "宽限期届满日期", "第十条删除事由",
                     "删除事由发生日期", "信用承诺", "过失"]
DEBTOR_HEADERS_EN = ["case number", "debtor type", "age", "listing ground", "able to perform",
                     "cause of inability", "amount owed", "amount performed", "decision date",
                     "grace period granted", "grace period end", "art. 10 deletion event",
                     "date of the deletion event", "credit commitment made", "negligence"]
DEBTOR_TYPES = ["自然人", "自然人", "个人", "公司", "法人或非法人组织", "企业"]
GROUNDS = ["(一)", "(一)", "(一)", "有履行能力而拒不履行", "(三)", "(四)", "(五)", "(五)", "(六)", "(二)"]
CAUSES = ["", "", "", "", "无", "失业", "重大疾病", "被拖欠", "意外事故"]
EVENTS = ["", "", "", "", "", "", "", "履行完毕", "终结执行", "不予执行"]


def debtor_row(r, i):
    person = r.random() < 0.7
    owed = round(r.lognormvariate(10.5, 1.6))
    performed = 0 if r.random() < 0.5 else round(owed * r.random())
    grace = r.random() < 0.1
    event = r.choice(EVENTS)
    cells = [f"(2026)执{i:08d}号", r.choice(DEBTOR_TYPES[:3] if person else DEBTOR_TYPES[3:]),
             str(r.randint(16, 80)) if person else "", r.choice(GROUNDS),
             r.choice(["是", "是", "否", "Y", "N", ""]), r.choice(CAUSES), str(owed), str(performed),
             date(r), "是" if grace else "否", date(r) if grace else "", event,
             date(r) if event else "", yes_no(r), yes_no(r)]
    return [c if k == 0 or r.random() >= 0.05 else "" for k, c in enumerate(cells)]


def row(r, i):
    kind = r.choice(TYPES)
    dumping = kind == "固体废物"
    cells = [f"C-{i:08d}", r.choice(REGIONS), kind, amount(r), yes_no(r), yes_no(r),
             r.choice(AREAS), r.choice(POLLUTANTS), date(r), yes_no(r),
             str(r.randint(500, 20000)) if r.random() < 0.3 else "",
             r.choice(WASTE_KINDS) if dumping else "",
             f"{r.lognormvariate(1.5, 1.2):.1f}" if dumping else "", r.choice(REMARKS)]
    # About 5% of the cells blank, never the case id.
    return [c if k == 0 or r.random() >= 0.05 else "" for k, c in enumerate(cells)]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("rows", type=int)
    p.add_argument("out")
    p.add_argument("--gb18030", action="store_true")
    p.add_argument("--english", action="store_true")
    p.add_argument("--seed", type=int, default=20261128)
    p.add_argument("--ruleset", default="epil", choices=["epil", "credit"])
    a = p.parse_args()
    r = random.Random(a.seed)
    if a.ruleset == "credit":
        header, make = (DEBTOR_HEADERS_EN if a.english else DEBTOR_HEADERS_ZH), debtor_row
    else:
        header, make = (HEADERS_EN if a.english else HEADERS_ZH), row
    if a.out.endswith(".xlsx"):
        import openpyxl
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("cases")
        ws.append(header)
        for i in range(a.rows):
            ws.append(make(r, i))
        wb.save(a.out)
    elif a.out.endswith(".jsonl"):
        with open(a.out, "w", encoding="utf-8") as f:
            for i in range(a.rows):
                f.write(json.dumps(dict(zip(header, make(r, i))), ensure_ascii=False) + "\n")
    else:
        enc = "gb18030" if a.gb18030 else "utf-8"
        with open(a.out, "w", encoding=enc, newline="") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(header)
            for i in range(a.rows):
                w.writerow(make(r, i))


if __name__ == "__main__":
    sys.exit(main())
