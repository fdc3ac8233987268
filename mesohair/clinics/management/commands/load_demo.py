"""``mesohair manage load_demo``: create the demo clinic unless it exists."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mesohair.demo.loader import demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load the deterministic demo clinic (skipped when already loaded)."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_loaded():
            self.stdout.write("Demo clinic already loaded; keeping its data.")
            return
        load_demo()
        self.stdout.write("Demo clinic loaded.")
