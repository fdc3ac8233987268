"""``mesohair demo``: migrate, load the demo clinic, serve it with a task worker.

Runs in the foreground; Ctrl-C stops the web server and the worker together.
Data lives in ``var/`` (or MESOHAIR_DATA_DIR) and is kept between runs.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mesohair demo", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        parser.error(f"--port {args.port} is not a TCP port (1-65535)")
    return args


def _print_logins(port: int) -> None:
    from mesohair.demo.loader import DEMO_PASSWORD, STAFF

    print(f"\nmesohair demo clinic: http://127.0.0.1:{port}/")
    print(f"Every demo login uses the password: {DEMO_PASSWORD}")
    for login in STAFF:
        line = f"  {login.role:<19} {login.email}"
        if login.totp_secret:
            line += f"   (TOTP secret {login.totp_secret})"
        print(line)
    print("Roles with TOTP need a code after the password: add the secret to an authenticator")
    print("app, or run `.venv/bin/mesohair manage demo_totp` for the current codes.")
    print("Press Ctrl-C to stop.\n", flush=True)


def demo_main(argv: list[str]) -> int:
    """Prepare the demo database and run the web server and task worker."""
    args = _parse(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesohair.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_demo")
    _print_logins(args.port)
    manage = [sys.executable, "-m", "mesohair", "manage"]
    worker = subprocess.Popen([*manage, "db_worker"])
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{args.port}", "--insecure", "--noreload"]
    )
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (server, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in (server, worker):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
