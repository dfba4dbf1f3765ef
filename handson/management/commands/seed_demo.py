"""`manage.py seed_demo`: a lived-in demo system. Idempotent: run it as often as you like."""

from django.core.management.base import BaseCommand
from django.db import transaction

from handson import demo


class Command(BaseCommand):
    help = "Create the FY2026 call, one account per role and demo applications (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            summary = demo.seed()
        for line in summary:
            self.stdout.write(line)
