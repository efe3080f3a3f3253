#!/usr/bin/env python3
"""Writes the encoded CSV files in this folder, as Chinese Excel and WPS save them.

tests/csv_test.cpp holds the expected contents as UTF-8; these bytes come from Python's own
codecs, not from the iconv the reader uses, so the test checks one against the other.
Run from this folder: python3 make.py
"""

HEADER = ['案件编号', '地区', '损害类型', '损害金额', '备注']
ROWS = [
    ['(2024)桂0102民初1号', '广西', '水污染', '2800', '“显著轻微”'],
    ['(2024)陕01民初2号', '陕西', '大气污染', '3,000元', '含,逗号'],
    # 𠀀 (U+20000) and ¥ (U+00A5) are 4-byte sequences in GB18030.
    ['(2025)浙02民初3号', '浙江', '土壤污染', '0.3万元', '生僻字𠀀与¥'],
]


def cell(text, delimiter):
    if any(c in text for c in (delimiter, '"', '\n', '\r')):
        return '"' + text.replace('"', '""') + '"'
    return text


def table(delimiter, newline):
    lines = [delimiter.join(cell(c, delimiter) for c in row) for row in [HEADER] + ROWS]
    return newline.join(lines) + newline


def main():
    # Excel and WPS "CSV" on a Chinese system: GB18030 (GBK), comma, CRLF, no BOM.
    gb = table(',', '\r\n').encode('gb18030')
    open('gb18030.csv', 'wb').write(gb)
    # Excel "Unicode text": UTF-16LE with a BOM, tab-separated.
    open('utf16le.txt', 'wb').write(b'\xff\xfe' + table('\t', '\r\n').encode('utf-16-le'))
    # UTF-16BE with a BOM, comma, LF.
    open('utf16be.csv', 'wb').write(b'\xfe\xff' + table(',', '\n').encode('utf-16-be'))
    # Excel "CSV UTF-8": a BOM, comma, CRLF.
    open('utf8_bom.csv', 'wb').write(b'\xef\xbb\xbf' + table(',', '\r\n').encode('utf-8'))
    # The GB18030 file with 0xFF, which no GB18030 sequence contains, at the start of line 3,
    # column 2 (byte offset 107).
    lines = gb.split(b'\r\n')
    first, rest = lines[2].split(b',', 1)
    lines[2] = first + b',\xff' + rest
    bad = b'\r\n'.join(lines)
    assert bad.index(b'\xff') == 107
    open('gb18030_invalid.csv', 'wb').write(bad)


if __name__ == '__main__':
    main()
