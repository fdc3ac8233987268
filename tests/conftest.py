"""Shared fixtures: personas (one user per role in one clinic, an outsider from
another), a CSRF-enforcing client, Hypothesis profiles and browser set-up."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile("dev", max_examples=30, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
NO_BROWSER = "Chromium not found (apt-get install -y chromium): browser tests skipped"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip browser tests without Chromium, visibly; in CI that is a failure."""
    if CHROMIUM:
        return
    if IN_CI and any("e2e" in item.keywords for item in items):
        raise pytest.UsageError(f"CI=true but {NO_BROWSER}")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=NO_BROWSER))


def pytest_report_header(config: pytest.Config) -> str:
    db = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    browser = CHROMIUM or "none (browser tests will be skipped)"
    return f"mesohair: database {db}; chromium {browser}"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, tmp_path: Any) -> None:
    """Cheap hashing, media in a temporary folder, and an empty cache.

    The cache holds allauth's used-TOTP-code marks keyed by user id; ids are
    reused after a rolled-back test, so a mark left behind could refuse the
    next test's code within the same 30 s period.
    """
    from django.core.cache import cache

    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = True


@pytest.fixture
def personas(db: Any) -> Any:
    """Users of every role in one clinic, and an outsider from another clinic."""
    from tests.personas import make_personas

    return make_personas()
