"""Differential-test oracle for the pep440 version scheme: Python's own `packaging` library.

Reads a JSON array of [A, B] version pairs on stdin and writes one JSON object to stdout:
{"packaging": <version>, "results": [[va, vb, cmp], ...]} where va and vb are true when
packaging.version.Version accepts the version, and cmp is the sign of the comparison (0 when either
side is invalid).
"""
import json
import sys

import packaging
from packaging.version import InvalidVersion, Version


def parse(text):
    try:
        return Version(text)
    except InvalidVersion:
        return None


def main():
    results = []
    for a_text, b_text in json.load(sys.stdin):
        a, b = parse(a_text), parse(b_text)
        cmp = (a > b) - (a < b) if a is not None and b is not None else 0
        results.append([a is not None, b is not None, cmp])
    json.dump({"packaging": packaging.__version__, "results": results}, sys.stdout)


main()
