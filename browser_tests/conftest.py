"""The built website, served on 127.0.0.1 and opened in headless Chromium (Playwright driving Debian's
`chromium`; Playwright's own browser download is not used).

    .venv/bin/python -m pytest browser_tests -q -p no:cacheprovider

Needs `_build/html` (`make book`) and a Chromium: /usr/bin/chromium, `chromium` or `chromium-browser` on PATH,
or the path in LSTM_BOOK_CHROMIUM (e.g. on macOS
LSTM_BOOK_CHROMIUM="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome").
LSTM_BOOK_SITE points the tests at another built site (default: _build/html).

Each page is opened once per session, at desktop width; every fact the tests need is collected then (console,
requests, the DOM after MathJax, axe-core) and the screenshots are taken, so each test only reads a report.
"""

from __future__ import annotations

import pytest

from webpage import CHROMIUM_ARGS, SCREENSHOTS, SITE, ChromiumMissing, PageReport, find_chromium, inspect_page, serve


@pytest.fixture(scope="session")
def site() -> str:
    """The base URL of the built site, served on 127.0.0.1."""
    if not (SITE / "intro.html").is_file() and not (SITE / "index.html").is_file():
        pytest.fail(f"No built website in {SITE}: run `make book` first (scripts/test.sh builds it before "
                    "this stage).", pytrace=False)
    with serve(SITE) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    executable, missing = None, None
    try:
        executable = find_chromium()
    except ChromiumMissing as error:
        missing = str(error)
    if missing:
        pytest.fail(missing, pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: `make test` installs requirements.txt into .venv", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def visit(site, browser):
    """visit('chapters/03_forget_gate.html') -> PageReport, each page opened once per session; screenshots
    in _build/screenshots/chapters/03_forget_gate-desktop.png and -phone.png."""
    reports: dict[str, PageReport | Exception] = {}

    def _visit(name: str) -> PageReport:
        if name not in reports:
            try:
                reports[name] = inspect_page(browser, site + name, SCREENSHOTS / name.removesuffix(".html"))
            except Exception as error:  # remembered, so the page's other tests fail at once instead of retrying
                reports[name] = error
        if isinstance(reports[name], Exception):
            pytest.fail(f"could not inspect {name}: {reports[name]}", pytrace=False)
        return reports[name]

    return _visit
