"""Browser tests: Playwright driving Debian's Chromium against the live server."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.conftest import CHROMIUM

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system Chromium, never a downloaded one, with the network quiet."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def _log_browser_version(browser: Any) -> None:
    # executable_path is reported wrongly by Playwright; the real version is this.
    print(f"\nbrowser under test: Chromium {browser.version}")


@pytest.fixture
def signed_in(page: Any, live_server: Any, personas: Any, _log_browser_version: None) -> Any:
    """A function that signs ``page`` in as a persona through the real login form."""
    from tests.personas import PASSWORD

    def sign_in(who: str) -> Any:
        user = personas.users[who]
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(f"{live_server.url}/patients/")
        return page

    return sign_in
