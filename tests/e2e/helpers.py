"""Helpers shared by browser tests."""

from __future__ import annotations

from typing import Any

from mesohair.demo.loader import current_totp_code
from tests.personas import ADMIN_TOTP_SECRET


def sign_in_with_totp(page: Any, base: str, email: str, password: str) -> None:
    """Sign in through the password page and then the TOTP page."""
    from django.core.cache import cache

    # allauth refuses a code used once within its period; earlier tests may
    # have used this secret's current code for a user with the same id.
    cache.clear()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(current_totp_code(ADMIN_TOTP_SECRET))
    page.get_by_role("button", name="Sign In").click()
