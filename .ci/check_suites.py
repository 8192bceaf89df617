"""Fail CI when a system suite (browser, postgres, pspp) was skipped or did not run at all.

Reads pytest's JUnit XML. A suite is the test folder ``tests/<suite>/``; each one that exists
in the tree must have run at least one test and skipped none.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

SUITES = ("browser", "postgres", "pspp")


def main(junit: str) -> int:
    root = ET.parse(junit).getroot()
    failed = False
    for suite in SUITES:
        if not (Path("tests") / suite).is_dir():
            continue
        cases = [c for c in root.iter("testcase") if c.get("classname", "").startswith(f"tests.{suite}.")]
        skipped = [c for c in cases if c.find("skipped") is not None]
        ran = len(cases) - len(skipped)
        print(f"suite {suite}: {ran} ran, {len(skipped)} skipped")
        if skipped or ran == 0:
            failed = True
            for case in skipped:
                print(f"  skipped: {case.get('classname')}::{case.get('name')}: {case.find('skipped').get('message')}")
    if failed:
        print("CI: the browser, PostgreSQL and PSPP suites must run, not skip.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
