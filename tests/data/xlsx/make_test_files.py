#!/usr/bin/python3
"""Writes the .xlsx files that tests/xlsx_test.cpp reads back.

Run from anywhere with Debian's python3 and python3-openpyxl:

    /usr/bin/python3 tests/data/xlsx/make_test_files.py

Two files are written by openpyxl itself. The others are assembled here part by part, because
openpyxl cannot produce what Excel, WPS and streaming writers put in their files: shared
strings with rich-text and phonetic runs, _x000D_ escapes, East Asian built-in date formats
(numFmtId 31, 57, 58), absolute relationship targets, rows without <dimension>, cells without
r= attributes, prefixed element names, the 1904 date system, and broken files for the error
cases. Each hand-built file says in its docstring whose output it imitates.

ZIP timestamps are fixed, so that running the script again gives the same bytes.
"""

import datetime
import io
import os
import re
import zipfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_TIME = (2025, 6, 1, 0, 0, 0)

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def write_zip(name, parts):
    """Writes (path, text) parts, deflated, in the given order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for path, text in parts:
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8") if isinstance(text, str) else text)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(buf.getvalue())


def refix(name):
    """Rewrites an openpyxl file with fixed timestamps (entries and docProps/core.xml)."""
    path = os.path.join(HERE, name)
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    fixed = []
    for p, data in parts:
        if p == "docProps/core.xml":
            text = data.decode("utf-8")
            text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "2025-06-01T00:00:00Z", text)
            data = text.encode("utf-8")
        fixed.append((p, data))
    write_zip(name, fixed)


def content_types(sheets, shared=True, styles=True, workbook="/xl/workbook.xml"):
    over = [
        f'<Override PartName="{workbook}" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    ]
    for s in sheets:
        over.append(f'<Override PartName="{s}" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    if shared:
        over.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    if styles:
        over.append('<Override PartName="/xl/styles.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>')
    return (XML_DECL +
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>' + "".join(over) +
            "</Types>")


def root_rels(target="xl/workbook.xml"):
    return (XML_DECL + f'<Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{REL_TYPE}officeDocument" Target="{target}"/>'
            "</Relationships>")


def rels(entries):
    """entries: (id, type, target)"""
    body = "".join(f'<Relationship Id="{i}" Type="{REL_TYPE}{t}" Target="{target}"/>'
                   for i, t, target in entries)
    return XML_DECL + f'<Relationships xmlns="{PKG_REL_NS}">{body}</Relationships>'


def workbook(sheets, pr='<workbookPr defaultThemeVersion="124226"/>'):
    """sheets: (name, sheetId, rId) or (name, sheetId, rId, state)"""
    body = ""
    for s in sheets:
        state = f' state="{s[3]}"' if len(s) > 3 else ""
        body += f'<sheet name="{s[0]}" sheetId="{s[1]}"{state} r:id="{s[2]}"/>'
    return (XML_DECL + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            '<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="22228"/>' + pr +
            '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" '
            'windowHeight="12300"/></bookViews>'
            f"<sheets>{body}</sheets><calcPr calcId=\"191029\"/></workbook>")


def shared_strings(items):
    """items: raw <si> inner XML each."""
    body = "".join(f"<si>{x}</si>" for x in items)
    return (XML_DECL + f'<sst xmlns="{MAIN_NS}" count="{len(items)}" uniqueCount="{len(items)}">'
            f"{body}</sst>")


def t(text):
    return f"<t>{text}</t>"


def styles(num_fmts, xf_fmt_ids):
    """num_fmts: (id, code) custom formats, code already XML-escaped; xf_fmt_ids: cellXfs."""
    fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{c}"/>' for i, c in num_fmts)
    apply = ' applyNumberFormat="1"'
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0"'
                  f'{apply if i else ""}/>' for i in xf_fmt_ids)
    num = f'<numFmts count="{len(num_fmts)}">{fmts}</numFmts>' if num_fmts else ""
    return (XML_DECL + f'<styleSheet xmlns="{MAIN_NS}">{num}'
            '<fonts count="2"><font><sz val="11"/><color theme="1"/><name val="宋体"/>'
            '<family val="2"/><charset val="134"/><scheme val="minor"/></font>'
            '<font><sz val="9"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
            '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            'borderId="0"><alignment vertical="center"/></xf></cellStyleXfs>'
            f'<cellXfs count="{len(xf_fmt_ids)}">{xfs}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
            '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" '
            'defaultPivotStyle="PivotStyleLight16"/></styleSheet>')


def worksheet(rows_xml, dimension=None, head="", tail="", prefix=""):
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns:{prefix}="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    return (XML_DECL + f'<{p}worksheet {ns} xmlns:r="{REL_NS}">{head}{dim}'
            f'<{p}sheetViews><{p}sheetView workbookViewId="0"/></{p}sheetViews>'
            f'<{p}sheetFormatPr defaultRowHeight="13.5"/>'
            f"<{p}sheetData>{rows_xml}</{p}sheetData>{tail}</{p}worksheet>")


# ---------------------------------------------------------------------------------------------
# Written by openpyxl


def openpyxl_cases():
    """openpyxl 3.0: inline strings, absolute relationship targets, custom date formats
    (numFmtId 164+), booleans, a formula without a cached value, a second sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "案件"
    ws.append(["案件编号", "损害类型", "损失金额（元）", "行为日期", "区域性影响", "持续性风险",
               "备注", "金额两倍"])
    ws.append(["GX-2025-001", "水污染", 2800, datetime.date(2025, 6, 1), False, False, None,
               "=C2*2"])
    ws.append(["GX-2025-002", "大气污染", 0.25, datetime.datetime(2025, 6, 1, 14, 30), True,
               None, "  前后空格 "])
    ws["J3"] = "表头外"
    # Row 4 left empty: openpyxl writes no <row> for it.
    ws.append([])
    ws.append(["GX-2025-003", "土壤污染", -1234.5, datetime.date(2024, 2, 29), None, True,
               datetime.time(8, 5, 9)])
    ws["D5"].number_format = 'yyyy"年"m"月"d"日"'
    ws.append(["GX-2025-004", None, 1e21, datetime.date(2025, 12, 31), "是", "否", 0.05])
    ws["D6"].number_format = "mm-dd-yy"  # built-in 14
    ws["G6"].number_format = "0%"        # built-in 9: a number, not a date
    info = wb.create_sheet("说明")
    info.append(["字段", "说明"])
    info.append(["损失金额（元）", "单位：元"])
    wb.properties.creator = "epil tests"
    wb.properties.created = datetime.datetime(2025, 6, 1)
    wb.properties.modified = datetime.datetime(2025, 6, 1)
    wb.save(os.path.join(HERE, "openpyxl_cases.xlsx"))
    refix("openpyxl_cases.xlsx")


def openpyxl_hidden_first():
    """openpyxl: a hidden first sheet (a template's lookup list) before the data sheet."""
    wb = openpyxl.Workbook()
    lists = wb.active
    lists.title = "参数"
    lists.append(["下拉选项"])
    lists.append(["是"])
    lists.sheet_state = "hidden"
    data = wb.create_sheet("数据")
    data.append(["编号", "金额"])
    data.append(["H-1", 5])
    wb.active = 1
    wb.properties.creator = "epil tests"
    wb.properties.created = datetime.datetime(2025, 6, 1)
    wb.properties.modified = datetime.datetime(2025, 6, 1)
    wb.save(os.path.join(HERE, "hidden_first.xlsx"))
    refix("hidden_first.xlsx")


# ---------------------------------------------------------------------------------------------
# Hand-built


def excel_like():
    """Excel 2016 zh-CN: shared strings with rich text, phonetic runs and _x000D_, East Asian
    built-in date formats, custom 年月日 formats, formulas with cached results (number, text,
    error), no <dimension>, a formatted but empty first row, rows that skip numbers, and sheet
    order in workbook.xml that differs from the part numbers. Relationship targets are
    absolute for the sheets and shared strings (as some WPS and openpyxl versions write them)
    and relative for the styles (as Excel writes them)."""
    strings = [
        t("案件编号"),                                                       # 0
        t("损害类型"),                                                       # 1
        t("损失金额（元）"),                                                 # 2
        t("行为日期"),                                                       # 3
        t("发现日期"),                                                       # 4
        t("区域性影响"),                                                     # 5
        t("备注"),                                                           # 6
        t("计算结果"),                                                       # 7
        '<r><rPr><b/><sz val="11"/><rFont val="宋体"/><charset val="134"/></rPr><t>水</t></r>'
        '<r><rPr><sz val="11"/><color rgb="FFFF0000"/><rFont val="宋体"/></rPr><t>污染</t></r>'
        '<rPh sb="0" eb="1"><t>shuǐ</t></rPh>'
        '<phoneticPr fontId="1" type="noConversion"/>',                      # 8
        t("GX-001"),                                                         # 9
        '<t xml:space="preserve"> 前有空格</t>',                             # 10
        '<t>第一行_x000D_\n第二行</t>',                                      # 11
        t("GX-002"),                                                         # 12
        t("大气污染"),                                                       # 13
        t("字段"),                                                           # 14
        t("说明"),                                                           # 15
        t("_x005F_x0041_"),                                                  # 16: a literal _x0041_
        t("否"),                                                             # 17
        t("GX-003"),                                                         # 18
    ]
    fmts = [
        (176, 'yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;'),
        (177, 'yyyy/m/d\\ h:mm;@'),
        (178, '0.00_);[Red]\\(0.00\\)'),
        (179, '&quot;第&quot;0&quot;天&quot;'),
        (180, 'h&quot;时&quot;mm&quot;分&quot;'),
        (181, '[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy'),
    ]
    #        0  1   2   3   4    5    6    7    8    9    10  11 12
    xfs = [0, 14, 58, 57, 176, 177, 178, 179, 180, 181, 22, 9, 31]
    rows = (
        # A formatted but empty row: not the header.
        '<row r="1" spans="1:8" s="6" customFormat="1" ht="20.25" customHeight="1">'
        '<c r="A1" s="6"/><c r="B1" s="6"/></row>'
        '<row r="2" spans="1:8">'
        + "".join(f'<c r="{c}2" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCDEFGH")) +
        "</row>"
        '<row r="3" spans="1:8">'
        '<c r="A3" t="s"><v>9</v></c><c r="B3" t="s"><v>8</v></c><c r="C3"><v>2800</v></c>'
        '<c r="D3" s="1"><v>45809</v></c><c r="E3" s="2"><v>45810</v></c>'
        '<c r="F3" t="s"><v>17</v></c><c r="G3" t="s"><v>10</v></c>'
        '<c r="H3"><f>C3*2</f><v>5600</v></c></row>'
        # Rows 4 to 6 were never typed in: absent.
        '<row r="7" spans="1:8">'
        '<c r="A7" t="s"><v>12</v></c><c r="B7" t="s"><v>13</v></c>'
        '<c r="C7" s="6"><v>1234.5</v></c><c r="D7" s="4"><v>45658</v></c>'
        '<c r="E7" s="5"><v>45809.604166666664</v></c><c r="F7" t="b"><v>1</v></c>'
        '<c r="G7" t="s"><v>11</v></c>'
        '<c r="H7" t="str"><f>A7&amp;"-"&amp;B7</f><v>GX-002-大气污染</v></c></row>'
        '<row r="8" spans="1:8">'
        '<c r="A8" t="s"><v>16</v></c><c r="C8" t="e"><f>VLOOKUP(A8,说明!A:B,2,0)</f>'
        '<v>#N/A</v></c><c r="D8" s="3"><v>45809</v></c><c r="E8" s="12"><v>61</v></c>'
        '<c r="F8" s="1"><v>60</v></c><c r="G8" s="8"><v>0.60416666666666696</v></c>'
        '<c r="H8" s="7"><v>7</v></c></row>'
        '<row r="9" spans="1:10">'
        '<c r="B9" s="1"><v>1</v></c><c r="C9" s="11"><v>0.25</v></c>'
        '<c r="D9" s="9"><v>59</v></c><c r="E9" s="10"><v>45809.5</v></c>'
        '<c r="F9" t="b"><v>0</v></c><c r="J9"><v>42</v></c></row>'
        # Formatted empty cells only: skipped like an absent row.
        '<row r="10" spans="1:8"><c r="A10" s="1"/><c r="C10" s="6"/></row>'
        '<row r="11" spans="1:8">'
        '<c r="A11" t="s"><v>18</v></c><c r="C11"><v>1E-3</v></c>'
        '<c r="D11" s="1"><v>2958466</v></c><c r="E11" s="1"><v>-5</v></c>'
        '<c r="H11" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
    )
    tail = ('<phoneticPr fontId="1" type="noConversion"/>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/><pageSetup paperSize="9" orientation="portrait"/>')
    case_sheet = worksheet(rows, head="<sheetPr/>", tail=tail)
    info_sheet = worksheet(
        '<row r="1"><c r="A1" t="s"><v>14</v></c><c r="B1" t="s"><v>15</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="inlineStr"><is><t>单位：元</t>'
        "</is></c></row>", dimension="A1:B2", tail=tail)
    write_zip("excel_like.xlsx", [
        ("[Content_Types].xml", content_types(["/xl/worksheets/sheet1.xml",
                                               "/xl/worksheets/sheet2.xml"])),
        ("_rels/.rels", root_rels()),
        ("xl/workbook.xml", workbook([("案件清单", 3, "rId2"), ("说明", 1, "rId1")])),
        ("xl/_rels/workbook.xml.rels", rels([
            ("rId1", "worksheet", "/xl/worksheets/sheet1.xml"),
            ("rId2", "worksheet", "/xl/worksheets/sheet2.xml"),
            ("rId3", "styles", "styles.xml"),
            ("rId4", "sharedStrings", "/xl/sharedStrings.xml"),
        ])),
        ("xl/worksheets/sheet1.xml", info_sheet),
        ("xl/worksheets/sheet2.xml", case_sheet),
        ("xl/styles.xml", styles(fmts, xfs)),
        ("xl/sharedStrings.xml", shared_strings(strings)),
    ])


def wps_like():
    """WPS Office 2019 zh-CN: a custom 年月日 format with a text section (;@), the Chinese-
    numeral [DBNum1][$-804] date, built-in 31 and 58, relative targets, <dimension> present."""
    strings = [t("编号"), t("日期甲"), t("日期乙"), t("日期丙"), t("日期丁"), t("金额"), t("W-1")]
    fmts = [
        (176, 'yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@'),
        (177, '[DBNum1][$-804]yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;'),
    ]
    xfs = [0, 176, 58, 31, 177, 4]
    rows = (
        '<row r="1" spans="1:6">'
        + "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCDEF")) +
        "</row>"
        '<row r="2" spans="1:6" ht="14.25"><c r="A2" t="s"><v>6</v></c>'
        '<c r="B2" s="1"><v>45809</v></c><c r="C2" s="2"><v>45809</v></c>'
        '<c r="D2" s="3"><v>45809</v></c><c r="E2" s="4"><v>45809</v></c>'
        '<c r="F2" s="5"><v>3000</v></c></row>'
    )
    write_zip("wps_like.xlsx", [
        ("[Content_Types].xml", content_types(["/xl/worksheets/sheet1.xml"])),
        ("_rels/.rels", root_rels()),
        ("xl/workbook.xml", workbook([("Sheet1", 1, "rId1")],
                                     pr='<workbookPr/>')),
        ("xl/_rels/workbook.xml.rels", rels([
            ("rId3", "sharedStrings", "sharedStrings.xml"),
            ("rId2", "styles", "styles.xml"),
            ("rId1", "worksheet", "worksheets/sheet1.xml"),
        ])),
        ("xl/worksheets/sheet1.xml", worksheet(rows, dimension="A1:F2")),
        ("xl/styles.xml", styles(fmts, xfs)),
        ("xl/sharedStrings.xml", shared_strings(strings)),
    ])


def inline_norefs():
    """Streaming writers (OpenXML SDK SAX writer, report exporters): element names with an
    'x:' prefix, inline strings (some with rich runs and a phonetic run), rows and cells
    without r= attributes, no styles, no shared strings, no <dimension>, a workbook part that
    is not xl/workbook.xml, a relative target with '..', and ISO dates (t="d")."""
    def c(inner, attrs=""):
        return f"<x:c{attrs}>{inner}</x:c>"

    def s(text):
        return c(f"<x:is><x:t>{text}</x:t></x:is>", ' t="inlineStr"')

    def n(v):
        return c(f"<x:v>{v}</x:v>")

    def d(v):
        return c(f"<x:v>{v}</x:v>", ' t="d"')

    rows = (
        "<x:row>" + s("编号") + s("名称") + s("数量") + s("日期") + "</x:row>"
        "<x:row>" + s("N-1") +
        c('<x:is><x:r><x:t>甲</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>乙</x:t></x:r>'
          '<x:rPh sb="0" eb="1"><x:t>jia</x:t></x:rPh></x:is>', ' t="inlineStr"') +
        n(5) + d("2025-06-01T00:00:00") + "</x:row>"
        "<x:row>" + s("N-2") + "<x:c/>" + n(7.5) + d("2025-06-01T08:30:00") +
        c('<x:is><x:t>F列</x:t></x:is>', ' r="F3" t="inlineStr"') + s("G列") + "</x:row>"
        '<x:row r="10">' + s("N-3") + s("丙") + n(0) + "</x:row>"
    )
    write_zip("inline_norefs.xlsx", [
        ("[Content_Types].xml", content_types(["/xl/sheets/data.xml"], shared=False,
                                              styles=False, workbook="/xl/wb.xml")),
        ("_rels/.rels", root_rels("xl/wb.xml")),
        ("xl/wb.xml", workbook([("数据", 1, "rId1")], pr="")),
        ("xl/_rels/wb.xml.rels", rels([("rId1", "worksheet", "../xl/sheets/data.xml")])),
        ("xl/sheets/data.xml", worksheet(rows, prefix="x")),
    ])


def date1904():
    """Excel 2011 for Mac: the 1904 date system (serial 0 is 1904-01-01)."""
    strings = [t("日期"), t("数值")]
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" s="1"><v>0</v></c><c r="B2"><v>0</v></c></row>'
        '<row r="3"><c r="A3" s="1"><v>44347</v></c><c r="B3"><v>44347</v></c></row>'
        '<row r="4"><c r="A4" s="1"><v>1</v></c><c r="B4" s="1"><v>1.75</v></c></row>'
    )
    write_zip("date1904.xlsx", [
        ("[Content_Types].xml", content_types(["/xl/worksheets/sheet1.xml"])),
        ("_rels/.rels", root_rels()),
        ("xl/workbook.xml", workbook([("工作表1", 1, "rId1")],
                                     pr='<workbookPr date1904="1"/>')),
        ("xl/_rels/workbook.xml.rels", rels([
            ("rId1", "worksheet", "worksheets/sheet1.xml"),
            ("rId2", "styles", "styles.xml"),
            ("rId3", "sharedStrings", "sharedStrings.xml"),
        ])),
        ("xl/worksheets/sheet1.xml", worksheet(rows, dimension="A1:B4")),
        ("xl/styles.xml", styles([], [0, 14])),
        ("xl/sharedStrings.xml", shared_strings(strings)),
    ])


# ---------------------------------------------------------------------------------------------
# Broken files


def simple_book(name, sheet_xml, strings=None, sheet_part="xl/worksheets/sheet1.xml",
                styles_xml=None):
    parts = [
        ("[Content_Types].xml", content_types(["/" + sheet_part])),
        ("_rels/.rels", root_rels()),
        ("xl/workbook.xml", workbook([("数据", 1, "rId1")])),
        ("xl/_rels/workbook.xml.rels", rels([
            ("rId1", "worksheet", "worksheets/sheet1.xml"),
            ("rId2", "styles", "styles.xml"),
            ("rId3", "sharedStrings", "sharedStrings.xml"),
        ])),
    ]
    if sheet_xml is not None:
        parts.append((sheet_part, sheet_xml))
    parts.append(("xl/styles.xml", styles_xml or styles([], [0])))
    parts.append(("xl/sharedStrings.xml", shared_strings(strings or [t("编号"), t("金额")])))
    write_zip(name, parts)


def broken():
    header = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    # The end tag on line 5 does not match: the header reads, row 2 fails.
    simple_book("malformed_sheet.xlsx",
                XML_DECL + f'<worksheet xmlns="{MAIN_NS}">\n<sheetData>\n' + header + "\n"
                '<row r="2"><c r="A2"><v>1</c></row>\n</sheetData>\n</worksheet>')
    simple_book("malformed_styles.xlsx", worksheet(header),
                styles_xml=XML_DECL + f'<styleSheet xmlns="{MAIN_NS}">\n<cellXfs>\n<xf>\n'
                "</styleSheet>")
    simple_book("missing_part.xlsx", None)
    simple_book("bad_shared_index.xlsx", worksheet(
        header + '<row r="2"><c r="A2" t="s"><v>7</v></c></row>'))
    simple_book("bad_reference.xlsx", worksheet(
        header + '<row r="2"><c r="2B"><v>1</v></c></row>'))
    write_zip("no_workbook.xlsx", [
        ("[Content_Types].xml", content_types([])),
        ("_rels/.rels", XML_DECL + f'<Relationships xmlns="{PKG_REL_NS}"><Relationship '
         f'Id="rId1" Type="{REL_TYPE}officeDocument" Target="word/document.xml"/>'
         "</Relationships>"),
        ("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
         'wordprocessingml/2006/main"><w:body/></w:document>'),
    ])


def main():
    openpyxl_cases()
    openpyxl_hidden_first()
    excel_like()
    wps_like()
    inline_norefs()
    date1904()
    broken()
    for name in sorted(os.listdir(HERE)):
        if name.endswith(".xlsx"):
            print(f"{os.path.getsize(os.path.join(HERE, name)):6} {name}")


if __name__ == "__main__":
    main()
