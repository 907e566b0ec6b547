from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def chromium():
    """Launches Debian's Chromium. Use it inside the test, after the data is
    built, and keep database access out of the ``with`` block: Playwright's
    sync API runs an event loop in this thread, so Django would refuse ORM
    calls (or, with DJANGO_ALLOW_ASYNC_UNSAFE, open a second connection
    outside the test's transaction management)."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")

    @contextmanager
    def launch():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    # Units are told apart by host name (<unit>.localhost);
                    # the live server listens on IPv4 only.
                    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
                ],
            )
            try:
                yield browser
            finally:
                browser.close()

    return launch


@pytest.fixture(autouse=True)
def _media_root(settings):
    """The live server serves uploads from the MEDIA_ROOT the URLconf was
    built with (the test settings' own), so the browser tests keep it."""


@pytest.fixture
def artifacts(settings):
    directory = Path(settings.BASE_DIR) / "var" / "test-artifacts"
    directory.mkdir(parents=True, exist_ok=True)
    return directory
