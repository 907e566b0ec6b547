"""`python manage.py seed_demo`: the demo press units, their sections and
articles in every format, generated images, video and audio, bylines, staff
accounts in every role and the desk's work in progress (stories at each
workflow step, assignments, notifications). Idempotent; `make run` calls it
on every start."""

import logging
import os
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.seeding import DEFAULT_DEMO_TOTP_SECRET, DemoSeeder, demo_totp_url
from demo.units import ADMIN_USERNAME, ARCHIVE_STAFF

# The README cites this: every demo account gets DEMO_PASSWORD, or this.
DEFAULT_DEMO_PASSWORD = "hoitu-demo"

PRODUCTION_SETTINGS = "hoitu.settings.production"
TEST_SETTINGS = "hoitu.settings.test"


def refuse_production():
    """Demo accounts share a published password: never on a real site.
    Production settings are refused by name, and so is anything else that
    runs with DEBUG off, except the test settings."""
    # override_settings() hides SETTINGS_MODULE; the environment still
    # names the module manage.py (or --settings) loaded.
    module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
    if module == PRODUCTION_SETTINGS or (not settings.DEBUG and module != TEST_SETTINGS):
        raise CommandError(
            _(
                "seed_demo creates accounts with a published password and refuses to run with production settings "
                "(settings: %(module)s, DEBUG: %(debug)s). Use hoitu.settings.dev on a development machine."
            )
            % {"module": module or "?", "debug": settings.DEBUG}
        )


def _port():
    value = os.environ.get("PORT", "8000")
    try:
        port = int(value)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise CommandError(_("PORT must be a TCP port number, not %(value)r.") % {"value": value})
    return port


@contextmanager
def quiet_page_log(verbosity):
    """Wagtail logs every page it creates and publishes at INFO: a hundred
    lines that would bury the summary. Shown again with -v 2."""
    logger = logging.getLogger("wagtail")
    level = logger.level
    if verbosity < 2:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = _(
        "Create the demo press units with sections, articles in every format, images, video, audio, authors, staff "
        "accounts in every role and stories at every step of the workflow. Safe to run again: existing records are "
        "kept. Hostnames come from DEMO_DOMAIN, the port from PORT, the accounts' password from DEMO_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-renditions",
            action="store_true",
            help=_("Do not pre-generate image renditions (the worker, or the first reader, makes them)."),
        )

    def handle(self, *args, no_renditions=False, verbosity=1, **options):
        refuse_production()
        started = time.monotonic()
        password_from_env = bool(os.environ.get("DEMO_PASSWORD"))
        seeder = DemoSeeder(
            domain=os.environ.get("DEMO_DOMAIN", "localhost").strip().lower() or "localhost",
            port=_port(),
            password=os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD,
            log=self.stdout.write,
            totp_secret=os.environ.get("DEMO_TOTP_SECRET") or DEFAULT_DEMO_TOTP_SECRET,
        )
        with quiet_page_log(verbosity):
            seeded = seeder.seed()
        if not no_renditions:
            seeder.pregenerate_renditions()

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo data ready in %(seconds).1f s.") % {"seconds": time.monotonic() - started}))
        for item in seeded:
            self.stdout.write(f"  {item.unit.name}: {item.url}")
            self.stdout.write("    " + _("logins:"))
            for username, role in item.logins:
                self.stdout.write(f"      {username:<24} {role}")
        self.stdout.write("  " + _("Administrator: %(username)s") % {"username": ADMIN_USERNAME})
        self.stdout.write("  " + _("Archive manager: %(username)s") % {"username": ARCHIVE_STAFF.role})
        if password_from_env:
            self.stdout.write("  " + _("Password: the value of DEMO_PASSWORD (applied when the accounts were created)."))
        else:
            self.stdout.write(
                "  " + _("Password: %(password)s (set DEMO_PASSWORD before the first seed to choose another).") % {"password": DEFAULT_DEMO_PASSWORD}
            )
        secret = seeder.totp_secret
        self.stdout.write("  " + _("Second factor: add this key to an authenticator app, once for every demo account: %(secret)s") % {"secret": secret})
        self.stdout.write("    " + _("or open this address on the phone: %(url)s") % {"url": demo_totp_url(secret)})
