import time

from django.core.cache import cache
from django.core.management.base import BaseCommand

from ... import indexing
from ...models import StorySearchEntry

# The last story id done, in the shared cache: a rebuild stopped by Ctrl-C,
# a deploy or a crash goes on from there on any host.
CHECKPOINT_KEY = "newsroom:story-search-rebuild"
CHECKPOINT_SECONDS = 7 * 24 * 3600
REPORT_EVERY_SECONDS = 5


class Command(BaseCommand):
    help = (
        "Rebuild public search's stored words for every live story (PostgreSQL), a chunk at a time "
        "with progress; an interrupted rebuild goes on where it stopped when run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=indexing.CHUNK_SIZE)
        parser.add_argument("--from-start", action="store_true", help="Ignore where an interrupted rebuild stopped.")

    def handle(self, *args, chunk_size, from_start, **options):
        if not StorySearchEntry.objects.serves_search():
            self.stdout.write("Nothing to rebuild: this database searches with Wagtail's index (update_index).")
            return
        resume_after = 0 if from_start else cache.get(CHECKPOINT_KEY, 0)
        if resume_after:
            self.stdout.write(f"Going on after story {resume_after}, where the last rebuild stopped (--from-start to redo all).")
        total = indexing.live_story_ids(resume_after).count()
        started = reported = time.monotonic()
        done = 0
        for last_done, done in indexing.rebuild(resume_after, chunk_size=max(1, chunk_size)):
            cache.set(CHECKPOINT_KEY, last_done, CHECKPOINT_SECONDS)
            now = time.monotonic()
            if now - reported >= REPORT_EVERY_SECONDS:
                reported = now
                self.stdout.write(self._progress(done, total, now - started))
        cache.delete(CHECKPOINT_KEY)
        elapsed = time.monotonic() - started
        self.stdout.write(f"Indexed {done} live stories for search in {elapsed:.1f} s ({done / elapsed if elapsed else 0:.0f} a second).")

    @staticmethod
    def _progress(done, total, elapsed):
        rate = done / elapsed if elapsed else 0
        left = (total - done) / rate if rate else 0
        percent = 100 * done / total if total else 100
        return f"{done}/{total} stories ({percent:.0f}%), {rate:.0f} a second, about {left / 60:.0f} min left"
