"""``mesohair manage demo_totp``: the current TOTP codes of the demo accounts.

Works only for the published demo secrets, never for real users' factors.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mesohair.demo.loader import TOTP_SECRETS, current_totp_code


class Command(BaseCommand):
    help = "Print the current sign-in codes of the demo accounts that use TOTP."

    def handle(self, *args: Any, **options: Any) -> None:
        for email, secret in TOTP_SECRETS.items():
            self.stdout.write(f"{email}: {current_totp_code(secret)}")
