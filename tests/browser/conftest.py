import asyncio
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def _playwright_chromium():
    """One Playwright driver and one Chromium for the whole run, started by
    the first browser test.

    Playwright's sync API keeps its event loop running in this thread from
    start to stop, and Django refuses ORM calls while a loop runs. Between
    ``chromium()`` blocks the loop is set aside (asyncio's record of the
    thread's running loop is cleared; Playwright's dispatcher, a greenlet,
    only runs when a Playwright call switches to it), so fixtures and tests
    use the database as usual there."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    loop = asyncio._get_running_loop()
    try:
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
    except BaseException:
        playwright.stop()
        raise
    asyncio._set_running_loop(None)
    yield browser, loop
    asyncio._set_running_loop(loop)
    try:
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def chromium(_playwright_chromium):
    """The run's Chromium, for a ``with chromium() as browser:`` block. Use it
    after the data is built and keep database access out of the block:
    Playwright's event loop runs in this thread inside it, so Django would
    refuse ORM calls (or, with DJANGO_ALLOW_ASYNC_UNSAFE, open a second
    connection outside the test's transaction management). The browser
    contexts the block opens are closed when it ends, so every test starts
    with none."""
    browser, loop = _playwright_chromium

    @contextmanager
    def use():
        asyncio._set_running_loop(loop)
        try:
            yield browser
        finally:
            try:
                for context in browser.contexts:
                    context.close()
            finally:
                asyncio._set_running_loop(None)

    return use


@pytest.fixture(autouse=True)
def _media_root(settings):
    """The live server serves uploads from the MEDIA_ROOT the URLconf was
    built with (the test settings' own), so the browser tests keep it."""


@pytest.fixture
def artifacts(settings):
    directory = Path(settings.BASE_DIR) / "var" / "test-artifacts"
    directory.mkdir(parents=True, exist_ok=True)
    return directory
