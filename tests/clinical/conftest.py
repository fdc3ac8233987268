"""Pure tests: no Django.

The project-wide ``tests/conftest.py`` has an autouse fixture that needs pytest-django's
``settings``; these tests import nothing from Django and must also run with
``-p no:django``, so the fixture is shadowed here by a no-op of the same name.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated() -> None:
    """Shadow the Django-only autouse fixture of tests/conftest.py (nothing to isolate)."""
