"""Serving the built site and inspecting its pages in headless Chromium: the machinery behind conftest.py's
fixtures and test_website.py's checks (a module of its own, so that `import` finds it and not tests/conftest.py).
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("LSTM_BOOK_SITE", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = ROOT / "_build" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The flags that work in a container without a GPU, a sandbox or network access.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 120_000
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}
NOT_PAGES = {"genindex.html", "search.html", "py-modindex.html", "index.html"}  # index.html: a redirect

INSTALL_CHROMIUM = (
    "No Chromium found for the website tests. Install it: `sudo apt-get install chromium` on Debian/Ubuntu "
    "(`.ci/run` does this on CI); elsewhere point LSTM_BOOK_CHROMIUM at a Chromium or Chrome executable, "
    'e.g. on macOS LSTM_BOOK_CHROMIUM="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome".'
)


def site_pages(site: Path = SITE) -> list[str]:
    """Every HTML page of the book, relative to the site root ('chapters/03_forget_gate.html')."""
    if not site.is_dir():
        return []
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if any(part.startswith("_") for part in rel.parts) or rel.as_posix() in NOT_PAGES:
            continue
        pages.append(rel.as_posix())
    return pages


class ChromiumMissing(Exception):
    pass


def find_chromium(env=os.environ, paths=("/usr/bin/chromium",), names=("chromium", "chromium-browser")) -> str:
    """The Chromium to drive: LSTM_BOOK_CHROMIUM when set (it must then exist), else the first that exists of
    /usr/bin/chromium, `chromium` and `chromium-browser` on PATH. Raises ChromiumMissing saying how to install."""
    def runnable(path):
        return bool(path) and Path(path).is_file() and os.access(path, os.X_OK)

    explicit = env.get("LSTM_BOOK_CHROMIUM")
    if explicit:
        if runnable(explicit):
            return explicit
        raise ChromiumMissing(f"LSTM_BOOK_CHROMIUM={explicit!r} is not an executable file. {INSTALL_CHROMIUM}")
    for candidate in [*paths, *(shutil.which(name) for name in names)]:
        if runnable(candidate):
            return candidate
    raise ChromiumMissing(INSTALL_CHROMIUM)


# ---------------------------------------------------------------------------------------------------------
# Serving and the browser


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve(directory: Path):
    """Serve a folder on 127.0.0.1 (a free port, in a thread); yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Traffic:
    """What a page did on the network and in its console."""
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)


def open_page(browser, url: str, viewport=DESKTOP):
    """A fresh page that records console errors and failed requests and blocks every request that would
    leave localhost. Returns (context, page, traffic); close the context when done."""
    traffic = Traffic()
    context = browser.new_context(viewport=viewport, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)  # generous: a busy 2-core machine typesets a long chapter slowly

    def route(route):
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            traffic.outside_requests.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and traffic.console_errors.append(
        f"{m.text} ({m.location.get('url', '?')}:{m.location.get('lineNumber', '?')})"))
    page.on("pageerror", lambda error: traffic.console_errors.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda r: r.url not in traffic.outside_requests and traffic.failed_requests.append(
        f"{r.method} {r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and traffic.failed_requests.append(
        f"{r.request.method} {r.url}: HTTP {r.status}"))
    page.goto(url, wait_until="load")
    return context, page, traffic


# Runs in the page after load: wait until MathJax has typeset everything (when the page loads it) and fonts
# are in; then describe the DOM in one go.
WAIT_FOR_MATH = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await document.fonts.ready;
}"""

DESCRIBE = r"""() => {
  const skip = new Set(["SCRIPT", "STYLE", "PRE", "CODE", "TEXTAREA", "TEMPLATE", "NOSCRIPT"]);
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let el = node.parentElement; el; el = el.parentElement) {
        if (skip.has(el.tagName) || el.tagName.startsWith("MJX-")) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    }
  });
  while (walker.nextNode()) texts.push(walker.currentNode.nodeValue);
  const describe = (el) => el.outerHTML.slice(0, 160);
  return {
    text: texts.join(" "),
    math_unrendered: [...document.querySelectorAll("span.math, div.math")]
      .filter(el => !el.querySelector("mjx-container")).map(describe),
    math_errors: [...document.querySelectorAll("mjx-merror")]
      .map(el => el.getAttribute("data-mjx-error") || el.textContent),
    images: [...document.images].map(img => ({
      src: img.getAttribute("src"), alt: img.getAttribute("alt"),
      loaded: img.complete && img.naturalWidth > 0,
      hidden: img.getClientRects().length === 0,
    })),
    svg_without_name: [...document.querySelectorAll("svg[role=img]")]
      .filter(svg => !svg.closest("[aria-hidden=true]") && !svg.getAttribute("aria-label")
                     && !svg.getAttribute("aria-labelledby") && !svg.querySelector("title")).map(describe),
    links: [...document.querySelectorAll("a[href]")].map(a => ({href: a.getAttribute("href"), url: a.href})),
    ids: [...document.querySelectorAll("[id]")].map(el => el.id)
      .concat([...document.querySelectorAll("a[name]")].map(a => a.name)),
    launch_links: [...document.querySelectorAll(".dropdown-launch-buttons a")]
      .map(a => ({title: a.getAttribute("title") || a.textContent.trim(), href: a.href})),
    download_links: [...document.querySelectorAll(".dropdown-download-buttons a[href]")]
      .map(a => ({text: a.textContent.trim(), href: a.href})),
  };
}"""


# Runs before LAYOUT: opens every folded solution, dropdown and hidden code cell, so that what they hide is
# measured too (a formula cut off inside a solution is as bad as one in the text).
OPEN_EVERYTHING = """() => {
  document.querySelectorAll(".toggle-hidden").forEach(el => el.classList.remove("toggle-hidden"));
  document.querySelectorAll("button.toggle-button").forEach(b => b.classList.remove("toggle-button-hidden"));
  document.querySelectorAll("details").forEach(d => { d.open = true; });
}"""

SETTLE = """async () => {
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  await new Promise(done => setTimeout(done, 250));  // _static/reader.js marks scroll boxes after layout
}"""

# The layout at the current width, for browser_tests/test_reader.py: what is cut off, what scrolls, what
# repeats, how figures are shown. Each list names the offending element for a failure message.
LAYOUT = r"""() => {
  const article = document.querySelector("article.bd-article") || document.body;
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const tex = el => {
    const math = el.closest("span.math, div.math");
    const source = math && math.querySelector("mjx-assistive-mml, script");
    return (el.closest("div.math") ? "equation " + (el.closest("div.math").id || "(no label)") + ": " : "")
      + ((source && source.textContent) || el.textContent).replace(/\s+/g, " ").trim().slice(0, 70);
  };
  const scrolls = el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const clips = el => ["hidden", "clip"].includes(getComputedStyle(el).overflowX);
  // The first ancestor that cuts `el` off horizontally without letting the reader scroll to the rest.
  const clippedBy = el => {
    const r = el.getBoundingClientRect();
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (scrolls(box)) return null;
      if (clips(box)) {
        const b = box.getBoundingClientRect();
        if (r.left < b.left - 1 || r.right > b.right + 1) return box;
      }
    }
    return null;
  };
  const out = {};
  out.clipped_math = [...article.querySelectorAll("mjx-container")].filter(shown).flatMap(m => {
    const box = clippedBy(m);
    return box ? [`${tex(m)} (cut by <${box.tagName.toLowerCase()} class="${box.className}">)`] : [];
  });
  out.scrolling_equations = [...article.querySelectorAll("div.math mjx-container")].filter(shown)
    .filter(m => m.scrollWidth > m.clientWidth + 1).map(tex);
  out.scrollers_without_cue = [...article.querySelectorAll("*")].filter(el => shown(el) && scrolls(el)
      && el.scrollWidth > el.clientWidth + 1).filter(el => {
    const shadow = getComputedStyle(el).boxShadow;
    const hint = el.previousElementSibling;
    return !(shadow && shadow !== "none") && !(hint && hint.classList.contains("scroll-hint") && shown(hint));
  }).map(el => el.closest("div.math, span.math") ? tex(el)
      : `<${el.tagName.toLowerCase()} class="${el.className}">: ${el.textContent.trim().slice(0, 60)}`);
  out.page_overflow = document.documentElement.scrollWidth - window.innerWidth;
  const blockOf = el => {
    for (let box = el.parentElement; box; box = box.parentElement) {
      if (scrolls(box)) return null; // inside a scroll box (a wide table): reachable
    }
    for (let box = el.parentElement; box; box = box.parentElement) {
      if (!getComputedStyle(box).display.startsWith("inline")) return box;
    }
    return null;
  };
  out.cut_inline_code = [...article.querySelectorAll("code")].filter(c => !c.closest("pre") && shown(c)).flatMap(c => {
    const box = blockOf(c);
    if (!box) return [];
    const b = box.getBoundingClientRect();
    const over = [...c.getClientRects()].some(r => r.right > b.right + 2 || r.right > window.innerWidth);
    return over ? [c.textContent.trim().slice(0, 70)] : [];
  });
  const ids = {};
  document.querySelectorAll("[id]").forEach(el => { ids[el.id] = (ids[el.id] || 0) + 1; });
  out.duplicate_ids = Object.entries(ids).filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n} times)`);
  out.images = [...article.querySelectorAll(".cell_output img, figure img")].filter(shown).map(img => {
    const figure = img.closest("figure");
    const caption = figure && figure.querySelector("figcaption");
    return {src: img.getAttribute("src"), alt: img.getAttribute("alt") || "",
            caption: caption ? caption.textContent.replace(/\s+/g, " ").trim() : null,
            shown_width: img.getBoundingClientRect().width, natural_width: img.naturalWidth,
            drawn_width: parseFloat(img.getAttribute("width")) || img.naturalWidth,
            in_output: !!img.closest(".cell_output")};
  });
  // Dark mode, read without reloading: the theme's switch is the data-theme attribute.
  const root = document.documentElement, before = root.dataset.theme;
  root.dataset.theme = "dark";
  out.dark_image_backgrounds = [...article.querySelectorAll(".cell_output img, figure img")].filter(shown)
    .map(img => ({src: img.getAttribute("src"), background: getComputedStyle(img).backgroundColor,
                  filter: getComputedStyle(img).filter}));
  root.dataset.theme = before;
  out.visible_search_boxes = [...document.querySelectorAll(
      ".search-button-field, button.search-button, #searchbox input, form[role=search] input, input[type=search]")]
    .filter(el => shown(el) && !el.closest("dialog"))
    .map(el => `<${el.tagName.toLowerCase()} class="${el.className}">`);
  const logo = document.querySelector(".navbar-brand img");
  out.logo_height = logo && shown(logo) ? logo.getBoundingClientRect().height : 0;
  out.nav_links = [...document.querySelectorAll(".bd-sidenav a")].filter(shown).map(a => ({
    href: a.getAttribute("href"), bottom: a.getBoundingClientRect().bottom}));
  out.page_text = document.body.innerText;
  return out;
}"""


@dataclass
class PageReport:
    url: str
    traffic: Traffic
    dom: dict
    axe_violations: list[dict]
    screenshots: list[Path]
    layout: dict[str, dict] = field(default_factory=dict)  # "1280" and "390": LAYOUT at that width


def inspect_page(browser, url: str, shots: Path | None = None) -> PageReport:
    """Open a page once and collect everything the tests look at; screenshots go to `shots`-desktop.png and
    `shots`-phone.png when given."""
    from axe_playwright_python.sync_playwright import Axe

    context, page, traffic = open_page(browser, url)
    screenshots = []
    try:
        page.evaluate(WAIT_FOR_MATH)
        page.wait_for_load_state("networkidle")
        dom = page.evaluate(DESCRIBE)
        page.evaluate(OPEN_EVERYTHING)
        layout = {}
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.evaluate(SETTLE)
            layout[str(viewport["width"])] = page.evaluate(LAYOUT)
            if shots is not None:
                shots.parent.mkdir(parents=True, exist_ok=True)
                path = shots.with_name(f"{shots.name}-{label}.png")
                page.screenshot(path=str(path), full_page=True)
                screenshots.append(path)
        # axe-core runs last, at desktop width, on a copy of the traffic so far: its own requests are not the
        # page's. `preload: False` stops it re-fetching stylesheets, which resolves an @import against the
        # page instead of the stylesheet (a 404 for the ../basic.css of _static/styles/theme.css).
        traffic = Traffic(list(traffic.console_errors), list(traffic.failed_requests),
                          list(traffic.outside_requests))
        page.set_viewport_size(DESKTOP)
        violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    finally:
        context.close()
    return PageReport(url, traffic, dom, violations, screenshots, layout)
