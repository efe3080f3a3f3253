#!/usr/bin/python3
"""Re-runs the ```console blocks of README.md and docs/*.md and rewrites the expected output of
every command whose output no longer matches (docs_test.cpp checks the same blocks).

    tests/tools/refresh_docs.py BUILD_DIR [FILE ...]

An expected output keeps its shape: every line still printed stays, a line no longer printed
gives way to the line now printed with the same label ("结论：…") or else goes, new lines are
added unless a "…" already stands for them, and "…" (whole lines or inside a line) stay. Read the diff before committing: this makes the docs agree with
the program, not the program right.
"""
import os
import re
import subprocess
import sys
import tempfile

ELLIPSIS = "…"


def line_matches(expected, actual):
    if ELLIPSIS not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(p) for p in expected.split(ELLIPSIS))
    return re.fullmatch(pattern, actual, re.S) is not None


def lines_match(expected, actual):
    reach = {0}
    for e in expected:
        if e == ELLIPSIS:
            lo = min(reach) if reach else None
            reach = set(range(lo, len(actual) + 1)) if lo is not None else set()
        else:
            reach = {i + 1 for i in reach if i < len(actual) and line_matches(e, actual[i])}
        if not reach:
            return False
    return len(actual) in reach


def label(line):
    """A result line's label ("结论：", "Outcome: "), by which its new wording is found."""
    for sep in ("：", ": "):
        i = line.find(sep)
        if 0 < i <= 40:
            return line[: i + len(sep)]
    return None


def reshape(expected, actual):
    """Keeps every expected line still found (in order) and every "…"; a line no longer
    printed gives way to the line now printed with its label, or else is dropped; new lines
    are inserted unless a "…" already stands for them."""
    result, pos, elided = [], 0, False
    for e in expected:
        if e == ELLIPSIS:
            result.append(e)
            elided = True
            continue
        j = next((k for k in range(pos, len(actual)) if line_matches(e, actual[k])), None)
        if j is None and ELLIPSIS not in e and label(e):
            j = next((k for k in range(pos, len(actual)) if actual[k].startswith(label(e))), None)
            if j is not None:
                e = actual[j]
        if j is None:
            continue
        if not elided:
            result.extend(actual[pos:j])
        result.append(e)
        pos, elided = j + 1, False
    if not elided:
        result.extend(actual[pos:])
    return result if lines_match(result, actual) else actual


def run(command, cwd, bindir):
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "EPIL_CONFIG")}
    env["PATH"] = bindir + ":" + env.get("PATH", "")
    p = subprocess.run(["/bin/sh", "-c", command], cwd=cwd, env=env, capture_output=False,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode("utf-8", "replace")
    lines = out.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines, p.returncode


def refresh(path, root, bindir):
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i, changed = [], 0, 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].strip() != "```console":
            i += 1
            continue
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            if not lines[i].startswith("$ "):
                out.append(lines[i])
                i += 1
                continue
            command = [lines[i][2:]]
            out.append(lines[i])
            i += 1
            while i < len(lines) and lines[i].startswith("> "):
                command.append(lines[i][2:])
                out.append(lines[i])
                i += 1
            expected, exit_line = [], None
            while i < len(lines) and not lines[i].startswith("$ ") and lines[i].strip() != "```":
                if re.fullmatch(r"\[exit \d+\]", lines[i]):
                    exit_line = lines[i]
                else:
                    expected.append(lines[i])
                i += 1
            actual, code = run("\n".join(command), root, bindir)
            if lines_match(expected, actual):
                out.extend(expected)
            else:
                out.extend(reshape(expected, actual))
                changed += 1
            if code != 0:
                out.append(f"[exit {code}]")
            elif exit_line:
                changed += 1
        if i < len(lines):
            out.append(lines[i])
        i += 1
    open(path, "w", encoding="utf-8").write("\n".join(out))
    return changed


def main():
    build = os.path.abspath(sys.argv[1])
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    files = sys.argv[2:] or [os.path.join(root, "README.md")] + sorted(
        os.path.join(root, "docs", f) for f in os.listdir(os.path.join(root, "docs")) if f.endswith(".md"))
    with tempfile.TemporaryDirectory() as bindir:
        os.symlink(os.path.join(build, "epil"), os.path.join(bindir, "epil"))
        for f in files:
            n = refresh(f, root, bindir)
            print(f"{os.path.relpath(f, root)}: {n} command(s) rewritten")


if __name__ == "__main__":
    main()
