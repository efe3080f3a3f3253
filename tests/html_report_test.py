#!/usr/bin/python3
"""epil screen --format html: a page that stands alone and prints on at most two A4 pages.

Usage: html_report_test.py EPIL SOURCE_DIR

For every bundled example (both rulesets, both languages): the page is well-formed HTML that
fetches nothing (no scripts, links, images, imports or URLs), names the outcome, the facts as
given, the fingerprint and epil's version, and Chromium (headless, as a court's office prints
it) prints it on one or two A4 pages. Exits 77 (skipped) when Chromium is not installed.
"""
import glob
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile

epil, src = sys.argv[1], sys.argv[2]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("chromium is not installed: skipped (build.sh test installs it)")
    sys.exit(77)

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}


class Balance(html.parser.HTMLParser):
    """Checks that every element opened is closed, in order."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()


def pages(pdf):
    return len(re.findall(rb"/Type\s*/Page[^s]", open(pdf, "rb").read()))


cases = [[f] for f in sorted(glob.glob("examples/*.yaml", root_dir=src) +
                             glob.glob("examples/*.json", root_dir=src))]
cases += [["--ruleset", "credit", f] for f in sorted(
    glob.glob("examples/credit/*.yaml", root_dir=src) +
    glob.glob("examples/credit/*.json", root_dir=src))]
failures, printed = [], 0
with tempfile.TemporaryDirectory() as tmp:
    for args in cases:
        for lang in ("zh", "en"):
            name = f"{' '.join(args)} ({lang})"
            run = subprocess.run([epil, "screen", *args, "--format", "html", "--lang", lang,
                                  "--as-of", "2026-12-01"], capture_output=True, text=True,
                                 cwd=src)
            if run.returncode not in (0, 3):
                failures.append(f"{name}: exit {run.returncode}: {run.stderr.strip()}")
                continue
            page = run.stdout
            for needle in ("http://", "https://", "<script", "<link", "<img", "src=", "@import",
                           "url("):
                if needle in page:
                    failures.append(f"{name}: fetches or runs something: {needle!r}")
            for needle in ("<!DOCTYPE html>", "size: A4", "sha256:", "epil 0.", "</html>"):
                if needle not in page:
                    failures.append(f"{name}: lacks {needle!r}")
            checker = Balance()
            checker.feed(page)
            failures += [f"{name}: {e}" for e in checker.errors]
            if checker.stack:
                failures.append(f"{name}: left open: {checker.stack}")
            path = os.path.join(tmp, "page.html")
            with open(path, "w", encoding="utf-8") as f:
                f.write(page)
            pdf = os.path.join(tmp, "page.pdf")
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--no-pdf-header-footer", f"--user-data-dir={tmp}/profile",
                            f"--print-to-pdf={pdf}", "file://" + path],
                           capture_output=True, timeout=120)
            n = pages(pdf) if os.path.exists(pdf) else 0
            printed += 1
            if not 1 <= n <= 2:
                failures.append(f"{name}: prints on {n} A4 pages, expected 1 or 2")
            os.remove(pdf) if os.path.exists(pdf) else None
for f in failures:
    print(f, file=sys.stderr)
print(f"{printed} pages printed with {os.path.basename(chromium)}; {len(failures)} problems")
sys.exit(1 if failures or printed < 2 * len(cases) else 0)
