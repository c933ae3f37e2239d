#!/usr/bin/env python3
"""Prints one line 'TOTAL: N passed, N failed, N skipped' over JUnit XML reports.

Arguments: report files or folders (every TEST-*.xml / *.xml inside). Exits 1 when a counted test
failed or when no test ran at all.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(args):
    files = []
    for a in args:
        p = Path(a)
        if p.is_dir():
            files += sorted(p.glob("TEST-*.xml")) or sorted(p.glob("*.xml"))
        elif p.is_file():
            files.append(p)
    passed = failed = skipped = 0
    for f in files:
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError as e:
            print(f"count-tests: cannot parse {f}: {e}", file=sys.stderr)
            failed += 1
            continue
        for case in root.iter("testcase"):
            kinds = {child.tag for child in case}
            if kinds & {"failure", "error"}:
                failed += 1
            elif "skipped" in kinds:
                skipped += 1
            else:
                passed += 1
    print(f"TOTAL: {passed} passed, {failed} failed, {skipped} skipped")
    if passed + failed == 0:
        print("count-tests: no test ran", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
