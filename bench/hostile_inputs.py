#!/usr/bin/env python3
"""Writes the hostile inputs of issue 12 into a directory, each at most about 10 MB on disk:
bench/hostile.sh runs epil on each and checks that it stops (or finishes) within the limits
docs/cli.md states. Standard library only.

    hostile_inputs.py DIR
"""
import os
import sys
import zipfile

HEADER = "地区,损害类型,区域性生态影响,长期潜在风险,行为发生日期,损害数额"
ROW = "广西,水污染,否,否,2025-06-01,3500"


def write(path, data, mode="w"):
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        f.write(data)


def xlsx(path, sheet_xml, shared=None, extra=None):
    """A workbook of one sheet; `sheet_xml` and `shared` may be generators of str chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>')
        if shared is not None:
            rels += ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                     'Target="sharedStrings.xml"/>')
        if extra == "rels":
            with z.open("xl/_rels/workbook.xml.rels", "w", force_zip64=True) as f:
                f.write(rels.encode())
                chunk = "".join('<Relationship Id="x%d" Type="t" Target="worksheets/sheet1.xml"/>' % i
                                for i in range(1000)).encode()
                for _ in range(4000):  # 4M relationships (the issue measured 20M: 3.9 GB)
                    f.write(chunk)
                f.write(b"</Relationships>")
        else:
            z.writestr("xl/_rels/workbook.xml.rels", rels + "</Relationships>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for chunk in sheet_xml:
                f.write(chunk.encode())
        if shared is not None:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
                for chunk in shared:
                    f.write(chunk.encode())


SHEET_HEAD = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def plain_sheet():
    yield SHEET_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c></row>' + SHEET_TAIL


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    # CSV: a million columns in the header (about 10 MB).
    write(os.path.join(out, "columns.csv"),
          HEADER + "".join(",c%d" % i for i in range(1_000_000)) + "\n" + ROW + "\n")
    # CSV: a quote that never closes, 10 MB.
    write(os.path.join(out, "quote.csv"), HEADER + "\n" + ROW + ',"' + "x" * 10_000_000 + "\n")
    # JSON Lines: 1,000 lines of 1,000 distinct keys each (15 MB in the issue; 10 MB here).
    with open(os.path.join(out, "keys.jsonl"), "w", encoding="utf-8") as f:
        for i in range(700):
            f.write("{" + ",".join('"k%d_%d":1' % (i, k) for k in range(1000)) + "}\n")
    # Case file: 200,000 keys.
    write(os.path.join(out, "keys.yaml"), "".join("k%d: 1\n" % i for i in range(200_000)))
    # XLSX: 50M nested elements; a row of 3,000 inline cells of 1 MB; 300M empty <si/>;
    # 20M relationships. Each compresses to a few MB.
    xlsx(os.path.join(out, "depth.xlsx"),
         (c for c in [SHEET_HEAD] + ["<x>" * 1_000_000] * 50 + [SHEET_TAIL]))
    cell = '<c t="inlineStr"><is><t>' + "x" * (1 << 20) + "</t></is></c>"
    xlsx(os.path.join(out, "wide_cells.xlsx"),
         (c for c in [SHEET_HEAD + '<row r="1">'] + [cell] * 3000 + ["</row>" + SHEET_TAIL]))
    xlsx(os.path.join(out, "shared.xlsx"), plain_sheet(),
         shared=(c for c in ['<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
                 + ["<si/>" * 1_000_000] * 300 + ["</sst>"]))
    xlsx(os.path.join(out, "rels.xlsx"), plain_sheet(), extra="rels")


if __name__ == "__main__":
    main()
