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
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
