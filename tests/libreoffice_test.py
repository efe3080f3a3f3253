#!/usr/bin/python3
"""epil's XLSX, opened by a real spreadsheet program (LibreOffice Calc, headless).

    libreoffice_test.py EPIL SOURCE_DIR

(a) Calc reads epil's XLSX output as epil's CSV output of the same input says it, cell by cell
    (numbers and dates written typed come back as displayed);
(b) a workbook Calc makes from an example CSV (numbers and dates typed by Calc) screens to the
    same verdicts as the CSV;
(c) the print setup is in the workbook (landscape, A4, one page wide, the header on every page)
    and Calc honours it: every page of its PDF is landscape A4, few enough to be one page wide.
Both rulesets' examples go through each. Exits 77, which ctest reports as skipped, only when
soffice is not installed (build.sh test installs it).
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

SKIP = 77


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


class Calc:
    """soffice with a profile of its own, so that runs in parallel do not share one."""

    def __init__(self, soffice, scratch):
        self.soffice = soffice
        self.profile = "file://" + os.path.join(scratch, "profile")

    def convert(self, files, to, outdir, infilter=None):
        cmd = [self.soffice, "-env:UserInstallation=" + self.profile, "--headless", "--norestore"]
        if infilter:
            cmd.append("--infilter=" + infilter)
        cmd += ["--convert-to", to, "--outdir", outdir] + files
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        for f in files:
            made = os.path.join(outdir, os.path.splitext(os.path.basename(f))[0] + "."
                                + to.split(":")[0])
            if not os.path.exists(made):
                fail(f"soffice made no {made}: {done.stdout} {done.stderr}")


def epil(binary, *args):
    done = subprocess.run([binary, *args], capture_output=True, text=True, timeout=300)
    if done.returncode not in (0, 3):  # 3: some rows could not be read
        fail(f"epil {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done.stderr


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]  # Calc drops trailing empty cells


def same_cells(what, expected, got):
    if len(expected) != len(got):
        fail(f"{what}: {len(expected)} rows expected, {len(got)} found")
    width = max(len(expected[0]), len(got[0]))
    for r, (e, g) in enumerate(zip(expected, got)):
        e, g = e + [""] * (width - len(e)), g + [""] * (width - len(g))
        for c, (x, y) in enumerate(zip(e, g)):
            if x != y:
                fail(f"{what}: row {r + 1}, column {c + 1} ({expected[0][c]}): "
                     f"expected {x!r}, found {y!r}")


def typed_cells(xlsx):
    """How many cells of the first sheet hold a number (t="n", or no t= at all)."""
    with zipfile.ZipFile(xlsx) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    return len(re.findall(r'<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?(?: t="n")?><v>', sheet))


def check_print_setup(xlsx):
    with zipfile.ZipFile(xlsx) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        book = z.read("xl/workbook.xml").decode()
    for part in ['orientation="landscape"', 'paperSize="9"', 'fitToHeight="0"',
                 '<pageSetUpPr fitToPage="1"/>', 'state="frozen"', "<autoFilter "]:
        if part not in sheet:
            fail(f"{xlsx}: the results sheet has no {part}")
    if not re.search(r'<definedName name="_xlnm.Print_Titles" localSheetId="0">[^<]*!\$1:\$1<',
                     book):
        fail(f"{xlsx}: the header row is not repeated on every printed page")


def check_pdf(pdf, most_pages):
    """Every page of Calc's PDF landscape A4 (842 × 595 points), and not more than most_pages."""
    with open(pdf, "rb") as f:
        data = f.read()
    pages = re.findall(rb"/Type\s*/Page\b", data)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]", data)
    if not pages or not boxes:
        fail(f"{pdf}: no pages found")
    for w, h in boxes:
        if round(float(w)) != 842 or round(float(h)) != 595:
            fail(f"{pdf}: a page of {w.decode()} × {h.decode()} points, not landscape A4")
    if len(pages) > most_pages:
        fail(f"{pdf}: {len(pages)} pages; one page wide, the results and the summary take fewer")
    return len(pages)


# An office ledger (台账) as a clerk keeps it in Calc: a merged title, a blank row, a two-level
# header (损害情况 merged over 损害数额 and 鉴定评估费用, the other headings merged down over both
# rows), the cases, a 合计 row whose sum is a formula, and a 填表人 row. Written as a flat ODS
# document, then saved by Calc as XLSX.
LEDGER_CASES = [("A-1", "2800", "1000"), ("A-2", "3500", ""), ("A-3", "2500", "")]


def ledger_fods(path):
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"')

    def s(text, extra=""):
        return (f'<table:table-cell {extra} office:value-type="string">'
                f'<text:p>{text}</text:p></table:table-cell>')

    def n(value, extra=""):
        return (f'<table:table-cell {extra} office:value-type="float" office:value="{value}">'
                f'<text:p>{value}</text:p></table:table-cell>')

    empty = '<table:table-cell/>'
    covered = '<table:covered-table-cell/>'
    down = 'table:number-rows-spanned="2"'
    rows = [
        s("2025年度生态环境损害案件台账（XX市人民检察院）", 'table:number-columns-spanned="8"')
        + covered * 7,
        empty * 8,
        s("序号", down) + s("案件编号", down) + s("地区", down) + s("损害类型", down)
        + s("损害情况", 'table:number-columns-spanned="2"') + covered
        + s("长期潜在风险", down) + s("区域性生态影响", down),
        covered * 4 + s("损害数额") + s("鉴定评估费用") + covered * 2,
    ]
    for i, (case, amount, fee) in enumerate(LEDGER_CASES):
        rows.append(n(i + 1) + s(case) + s("广西") + s("水污染") + n(amount)
                    + (n(fee) if fee else empty) + s("否") + s("否"))
    total = sum(float(a) for _, a, _ in LEDGER_CASES)
    rows.append(s("合计") + empty * 3
                + f'<table:table-cell table:formula="of:=SUM([.E5:.E7])" office:value-type="float" '
                  f'office:value="{total:g}"><text:p>{total:g}</text:p></table:table-cell>'
                + empty * 3)
    rows.append(s("填表人：张三") + empty * 7)
    body = "".join(f"<table:table-row>{r}</table:table-row>" for r in rows)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?><office:document {ns} office:version="1.2" '
                f'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body>'
                f'<office:spreadsheet><table:table table:name="台账">{body}</table:table>'
                f'</office:spreadsheet></office:body></office:document>')


def check_ledger(binary, calc, scratch):
    """(d) The ledger, saved by Calc, screens without options; its title and group header come
    out above the header, the totals and signature rows pass through unscreened and counted."""
    fods = os.path.join(scratch, "ledger.fods")
    ledger_fods(fods)
    calc.convert([fods], "xlsx", scratch)
    book = os.path.join(scratch, "ledger.xlsx")
    out = os.path.join(scratch, "ledger-out.csv")
    done = epil(binary, "batch", book, "-o", out, "--as-of", "2026-11-28", "--lang", "zh",
                "--force")
    rows = read_csv(out)
    if rows[0][0] != "2025年度生态环境损害案件台账（XX市人民检察院）":
        fail(f"ledger: the title is not the output's first row: {rows[0]}")
    # The header is the row with the appended columns; the group header is the row above it
    # (Calc's XLSX has no blank row: an empty row is not written).
    at = next((i for i, r in enumerate(rows) if "筛查结论" in r), None)
    if at is None or at < 2:
        fail(f"ledger: no header with the appended columns below the title: {rows[:4]}")
    header = rows[at]
    if header[:8] != ["序号", "案件编号", "地区", "损害类型", "损害数额", "鉴定评估费用",
                      "长期潜在风险", "区域性生态影响"]:
        fail(f"ledger: the header, filled from the merged cells above, is {header[:8]}")
    if rows[at - 1][4] != "损害情况":
        fail(f"ledger: the group header row is not carried above the header: {rows[at - 1]}")
    outcome = header.index("筛查结论")
    verdicts = [r[outcome] for r in rows[at + 1:at + 4]]
    # A-2 is over 广西's 3,000 元 but gives no conduct date: review, naming it.
    if verdicts != ["exempt", "review", "exempt"]:
        fail(f"ledger: verdicts {verdicts}, expected exempt, review, exempt")
    for r in rows[at + 4:at + 6]:
        if r[outcome] != "" or r[outcome + 1] != "非案件行（合计、签署等），未筛查":
            fail(f"ledger: a totals or signature row was screened: {r}")
    if rows[at + 4][4] != "8800":
        fail(f"ledger: the 合计 row's formula value is {rows[at + 4][4]!r}, not Calc's 8800")
    if "非案件行（合计、签署等）2 行（第 8、9 行）" not in done:
        fail(f"ledger: the summary does not name the rows that are not cases: {done}")
    # epil's own XLSX of it: the title merged across the table, the header (row 3) frozen,
    # filtered and repeated on every printed page, not the title.
    xlsx = os.path.join(scratch, "ledger-out.xlsx")
    epil(binary, "batch", book, "-o", xlsx, "--as-of", "2026-11-28", "--lang", "zh", "--force")
    with zipfile.ZipFile(xlsx) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        workbook = z.read("xl/workbook.xml").decode()
    if not re.search(r'<mergeCell ref="A1:[A-Z]+1"/>', sheet):
        fail("ledger: the title is not merged across the output's table")
    if '<autoFilter ref="A3:' not in sheet or 'topLeftCell="A4"' not in sheet:
        fail("ledger: the output's filter or frozen pane is not at its header (row 3)")
    if not re.search(r'_xlnm.Print_Titles" localSheetId="0">[^<]*!\$3:\$3<', workbook):
        fail("ledger: the output's header row (3) is not repeated on every printed page")
    print("ok: a Calc ledger with a merged title, a blank row, a two-level header and totals "
          "screens without options")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary, source = sys.argv[1], sys.argv[2]
    soffice = shutil.which("soffice")
    if not soffice:
        print("SKIP: soffice (LibreOffice Calc) is not installed; ./build.sh test installs "
              "libreoffice-calc-nogui")
        return SKIP
    scratch = tempfile.mkdtemp(prefix="epil-lo-")
    try:
        calc = Calc(soffice, scratch)
        examples = [("cases", os.path.join(source, "examples", "cases.csv"), []),
                    ("debtors", os.path.join(source, "examples", "debtors.csv"),
                     ["--ruleset", "credit"])]
        common = ["--as-of", "2026-11-28", "--lang", "zh", "--force"]
        made = os.path.join(scratch, "made")
        os.mkdir(made)
        # (b) Workbooks as Calc makes them from the CSVs (UTF-8, comma, quotes): typed cells.
        calc.convert([path for _, path, _ in examples], "xlsx", made, infilter="CSV:44,34,76,1")
        outputs = []
        for name, path, ruleset in examples:
            book = os.path.join(made, name + ".xlsx")
            if typed_cells(book) == 0:
                fail(f"{book}: Calc typed no cell; the test would test nothing")
            from_csv = os.path.join(scratch, name + "-from-csv.csv")
            epil(binary, "batch", path, "-o", from_csv, *ruleset, *common)
            as_csv = os.path.join(scratch, name + "-from-xlsx.csv")
            epil(binary, "batch", book, "-o", as_csv, *ruleset, *common)
            expected, got = read_csv(from_csv), read_csv(as_csv)
            first_added = expected[0].index("筛查结论")
            same_cells(f"{name}: verdicts from Calc's workbook against the CSV's",
                       [r[first_added:] for r in expected], [r[first_added:] for r in got])
            # (a) epil's XLSX of the typed workbook and of the CSV, against its CSV of each.
            for source_file, csv_of_it, tag in [(book, as_csv, "typed"), (path, from_csv, "csv")]:
                xlsx = os.path.join(scratch, f"{name}-{tag}.xlsx")
                epil(binary, "batch", source_file, "-o", xlsx, *ruleset, *common)
                check_print_setup(xlsx)
                outputs.append((xlsx, csv_of_it))
        back = os.path.join(scratch, "back")
        os.mkdir(back)
        calc.convert([x for x, _ in outputs], "csv:Text - txt - csv (StarCalc):44,34,76", back)
        for xlsx, csv_of_it in outputs:
            shown = os.path.join(back, os.path.basename(xlsx)[:-5] + ".csv")
            same_cells(f"{os.path.basename(xlsx)} as Calc shows it against epil's CSV",
                       read_csv(csv_of_it), read_csv(shown))
        # (c) Calc's print of each: landscape A4, one page wide.
        pdfs = os.path.join(scratch, "pdf")
        os.mkdir(pdfs)
        calc.convert([x for x, _ in outputs], "pdf", pdfs)
        for xlsx, _ in outputs:
            n = check_pdf(os.path.join(pdfs, os.path.basename(xlsx)[:-5] + ".pdf"), 4)
            print(f"{os.path.basename(xlsx)}: {n} landscape A4 pages")
        print(f"ok: {len(outputs)} workbooks read back by Calc cell by cell, verdicts equal, "
              "print setup honoured")
        check_ledger(binary, calc, scratch)
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
