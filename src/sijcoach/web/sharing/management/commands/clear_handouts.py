"""`python -m sijcoach.web clear_handouts`: part of the daily job; kept handouts older than two days go
(a handout prints its day, so they are not asked for again; see sharing/handouts.py)."""

from django.core.management.base import BaseCommand

from sijcoach.web.sharing import handouts


class Command(BaseCommand):
    help = "Delete kept PDF handouts made more than two days ago."

    def handle(self, *args, **options):
        removed = handouts.clear_old()
        self.stdout.write(f"{removed} old handout{'s' if removed != 1 else ''} deleted.")
