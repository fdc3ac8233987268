"""The ``mesohair`` console script.

Sub-commands import their module lazily so that ``mesohair analyze`` and
``mesohair triage`` start without loading Django.
"""

from __future__ import annotations

import os
import sys

USAGE = """usage: mesohair <command> [args]

commands:
  demo [--port N]              run the demo clinic (web server + task worker)
  triage CASE.json             triage one case or an array of cases (JSON out)
  analyze IMAGE... [options]   measure hairs in trichoscopy images
  calibrate IMAGE --spacing-um S   micrometres per pixel from a stage micrometer image
  manage ...                   Django management commands
"""


def _manage(argv: list[str]) -> int:
    """Run a Django management command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesohair.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mesohair manage", *argv])
    return 0


def _triage(argv: list[str]) -> int:
    from mesohair.clinical.cli import triage_main

    return triage_main(argv)


def _analyze(argv: list[str]) -> int:
    from mesohair.imaging.cli import analyze_main

    return analyze_main(argv)


def _calibrate(argv: list[str]) -> int:
    from mesohair.imaging.cli import calibrate_main

    return calibrate_main(argv)


def _demo(argv: list[str]) -> int:
    from mesohair.demo_runner import demo_main

    return demo_main(argv)


COMMANDS = {
    "manage": _manage,
    "triage": _triage,
    "analyze": _analyze,
    "calibrate": _calibrate,
    "demo": _demo,
}


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``mesohair <command>``; returns the process exit status."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0
    command = COMMANDS.get(args[0])
    if command is None:
        print(f"mesohair: unknown command {args[0]!r}\n{USAGE}", file=sys.stderr, end="")
        return 2
    return command(args[1:])


if __name__ == "__main__":
    sys.exit(main())
