import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; Django would
# otherwise refuse the ORM calls the tests make between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _media_root(settings):
    """The live server serves uploads from the MEDIA_ROOT the URLconf was
    built with (the test settings' own), so the browser tests keep it."""


@pytest.fixture
def artifacts(settings):
    directory = Path(settings.BASE_DIR) / "var" / "test-artifacts"
    directory.mkdir(parents=True, exist_ok=True)
    return directory
