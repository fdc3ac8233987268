"""``mesohair triage CASE.json``: triage one case or an array of cases (contracts/triage.md).

All cases are validated before any is decided. On any problem nothing is printed on stdout,
one line per problem goes to stderr naming its place, and the exit status is 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from mesohair.clinical.case import Case, validate_case
from mesohair.clinical.triage import triage

USAGE = "usage: mesohair triage CASE.json   (one case object or an array of cases; '-' = stdin)"


class InputError(Exception):
    """The input could not be read or decoded; the message is one line."""


def _read(path: str) -> object:
    """Read and decode the JSON file (``-`` reads standard input)."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError(f"cannot read {path}: {reason}") from error
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (json.JSONDecodeError, ValueError) as error:
        raise InputError(f"{path} is not valid JSON: {error}") from error


def _refuse_constant(name: str) -> Any:
    """Refuse NaN and Infinity, which are not JSON."""
    raise ValueError(f"{name} is not allowed")


def validate_all(data: object) -> tuple[list[Case], list[str]]:
    """Validate a case object (place ``case``) or an array (places ``cases[i]``)."""
    if isinstance(data, list):
        places = [(f"cases[{i}]", item) for i, item in enumerate(data)]
    else:
        places = [("case", data)]
    cases, problems = [], []
    for place, item in places:
        case, found = validate_case(item, place)
        problems += found
        if case is not None:
            cases.append(case)
    return cases, problems


def run(argv: list[str], out: TextIO, err: TextIO) -> int:
    """Run the command with explicit streams; returns the exit status."""
    if argv in (["-h"], ["--help"]):
        print(USAGE, file=out)
        return 0
    if len(argv) != 1:
        print(USAGE, file=err)
        return 2
    try:
        data = _read(argv[0])
    except InputError as error:
        print(f"mesohair triage: {error}", file=err)
        return 2
    cases, problems = validate_all(data)
    if problems:
        err.write("".join(f"{line}\n" for line in problems))
        return 2
    decisions = [triage(case).to_dict() for case in cases]
    result = decisions if isinstance(data, list) else decisions[0]
    out.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


def triage_main(argv: list[str]) -> int:
    """Entry point of ``mesohair triage``; returns the process exit status."""
    return run(argv, sys.stdout, sys.stderr)
