"""The built book in a real browser: every page loads cleanly and offline, shows its equations typeset,
describes its images, links only to things that exist, passes axe-core, and is photographed at desktop and
phone widths into _build/screenshots/ for people to look at.

Each test is parametrized over the pages, so a failure names the page. See conftest.py for how to run them.
The checks are plain functions of what the browser saw; the last test feeds them a deliberately bad page.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from webpage import LOCAL_HOSTS, ROOT, SITE, ChromiumMissing, find_chromium, inspect_page, open_page, serve, site_pages

PAGES = site_pages() or ["(no pages: the site is not built)"]
NOTEBOOK_PAGES = [p for p in PAGES if (ROOT / p).with_suffix(".ipynb").is_file()]

# TeX that only shows when MathJax did not typeset it. The text searched leaves out code (pre, code), where
# a backslash is ordinary, and MathJax's own output.
RAW_TEX = re.compile(
    r"\$\$|\\begin\{|\\end\{|\\[()\[\]]"
    r"|\\(?:mathbf|mathrm|mathbb|boldsymbol|frac|odot|sigma|tanh|cdot|times|partial|sum|top|left|right)\b"
    r"|\$[A-Za-z\\{][^$\n]{0,80}\$"
)

# axe-core rules that fail the build, and rules accepted because the fix is out of the book's hands
# ({rule id: why}); keep it empty unless a violation in the theme's own markup cannot be fixed from here.
AXE_FAILING_IMPACTS = ("serious", "critical")
AXE_ACCEPTED: dict[str, str] = {}


def fail_with(problems: list[str], what: str):
    if problems:
        pytest.fail(f"{len(problems)} {what}:\n" + "\n".join(f"- {p}" for p in problems), pytrace=False)


def toc_entries() -> list[str]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            found.extend(node[k] for k in ("root", "file") if isinstance(node.get(k), str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")))
    return [re.sub(r"\.(md|ipynb)$", "", entry) for entry in found]


# ---------------------------------------------------------------------------------------------------------
# The checks: each returns a list of problems (empty when all is well)


def traffic_problems(t) -> list[str]:
    return ([f"console: {e}" for e in t.console_errors] + [f"failed request: {r}" for r in t.failed_requests]
            + [f"request leaving localhost (blocked): {r}" for r in t.outside_requests])


def math_problems(dom: dict) -> list[str]:
    problems = [f"MathJax error: {error}" for error in dom["math_errors"]]
    problems += [f"math element not typeset: {html}" for html in dom["math_unrendered"]]
    text, shown_up_to = dom["text"], -1
    for match in RAW_TEX.finditer(text):
        if match.start() < shown_up_to:
            continue  # one report per stretch of raw TeX
        start, shown_up_to = max(match.start() - 40, 0), match.end() + 80
        problems.append(f"raw TeX in the text: ...{text[start:shown_up_to]!r}...")
    return problems


def image_problems(dom: dict) -> list[str]:
    problems = [f"<img src={img['src']!r}> has no alt text" for img in dom["images"]
                if not (img["alt"] or "").strip()]
    problems += [f"<img src={img['src']!r}> did not load" for img in dom["images"]
                 if not img["loaded"] and not img["hidden"]]
    problems += [f"<svg role=img> without a name: {html}" for html in dom["svg_without_name"]]
    return problems


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" or (tag == "a" and key == "name"):
                self.ids.add(value)


@cache
def ids_in(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def site_file(site_dir: Path, url_path: str) -> Path:
    path = site_dir / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") else path


def link_problems(report, site_dir: Path) -> list[str]:
    """Every link to the site itself names a file that exists, and its #anchor an id in that file."""
    here = urlsplit(report.url)
    own_ids = set(report.dom["ids"])
    problems = []
    for link in report.dom["links"]:
        url = urlsplit(link["url"])
        if url.scheme not in ("http", "https") or url.hostname not in LOCAL_HOSTS:
            continue  # other sites are linked to, never loaded; mailto: and javascript: are not files
        target = site_file(site_dir, url.path)
        if not target.is_file():
            problems.append(f"href={link['href']!r}: no file {target.relative_to(site_dir)}")
        elif url.fragment:
            anchor = unquote(url.fragment)
            ids = own_ids if url.path == here.path else ids_in(target)
            if anchor not in ids:
                problems.append(f"href={link['href']!r}: no element with id {anchor!r} in "
                                f"{target.relative_to(site_dir)}")
    return sorted(set(problems))


def axe_problems(violations: list[dict]) -> list[str]:
    problems = []
    for violation in violations:
        if violation["impact"] not in AXE_FAILING_IMPACTS or violation["id"] in AXE_ACCEPTED:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        problems.append(f"{violation['id']} ({violation['impact']}): {violation['help']}; "
                        f"{len(violation['nodes'])} element(s), e.g. {targets}; {violation['helpUrl']}")
    return problems


def launch_problems(dom: dict, notebook: str, site_dir: Path = SITE, root: Path = ROOT) -> list[str]:
    """The launch buttons open `notebook` (e.g. chapters/03_forget_gate.ipynb) and the one .ipynb download
    button hands out that notebook as committed."""
    problems = []
    if not dom["launch_links"]:
        problems.append("no launch buttons (Binder, Colab, JupyterHub): _config.yml needs `repository: url:` and "
                        "`launch_buttons:` with binderhub_url or colab_url")
    for link in dom["launch_links"]:
        if notebook not in unquote(link["href"]):
            problems.append(f"{link['title']!r} opens {link['href']}, not {notebook}")
    downloads = [link for link in dom["download_links"] if urlsplit(link["href"]).path.endswith(".ipynb")]
    if len(downloads) != 1:
        problems.append(f"expected one '.ipynb' download button, found {[d['href'] for d in downloads]}")
    for link in downloads:
        path = urlsplit(link["href"]).path
        target = site_file(site_dir, path)
        if not path.endswith("/_sources/" + notebook):
            problems.append(f"the .ipynb download is {path}, not _sources/{notebook}")
        elif not target.is_file():
            problems.append(f"the .ipynb download {path} does not exist in the site")
        elif target.read_bytes() != (root / notebook).read_bytes():
            problems.append(f"the .ipynb download differs from {notebook}: the site is older than the "
                            "notebook, rebuild it (`make book`)")
    return problems


# ---------------------------------------------------------------------------------------------------------
# The site as a whole


def test_every_toc_entry_has_a_page():
    assert SITE.is_dir(), f"No built website in {SITE}: run `make book`"
    missing = [f"{entry}.html" for entry in toc_entries() if not (SITE / f"{entry}.html").is_file()]
    fail_with(missing, f"entries of _toc.yml without a page in {SITE}")
    assert NOTEBOOK_PAGES, "no page of the site comes from a notebook in chapters/"


def test_index_redirects_to_the_first_page(site, browser):
    root = toc_entries()[0]
    context, page, traffic = open_page(browser, site + "index.html")
    try:
        page.wait_for_url(f"**/{root}.html", timeout=10_000)
        page.wait_for_load_state("load")
    finally:
        context.close()
    fail_with(traffic_problems(traffic), "problems on index.html")


def test_search_finds_forget_gate(site, browser):
    context, page, traffic = open_page(browser, site + "search.html?q=forget+gate")
    try:
        page.wait_for_function(
            "() => { const s = document.querySelector('#search-results .search-summary');"
            " return s && s.innerText.trim().length > 0; }", timeout=20_000)
        summary = page.inner_text("#search-results .search-summary")
        hits = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    finally:
        context.close()
    fail_with(traffic_problems(traffic), "problems on search.html")
    assert hits, f"searching 'forget gate' found nothing ({summary!r})"
    assert any("/chapters/" in hit for hit in hits), f"no chapter among the hits for 'forget gate': {hits}"


# ---------------------------------------------------------------------------------------------------------
# Every page


@pytest.mark.parametrize("name", PAGES)
def test_no_console_error(visit, name):
    fail_with(visit(name).traffic.console_errors, f"console errors on {name}")


@pytest.mark.parametrize("name", PAGES)
def test_no_failed_request(visit, name):
    fail_with(visit(name).traffic.failed_requests, f"failed requests on {name}")


@pytest.mark.parametrize("name", PAGES)
def test_no_request_leaves_localhost(visit, name):
    fail_with(visit(name).traffic.outside_requests,
              f"requests from {name} to other hosts (blocked; the book must work offline)")


@pytest.mark.parametrize("name", PAGES)
def test_every_equation_is_typeset(visit, name):
    fail_with(math_problems(visit(name).dom), f"math problems on {name}")


@pytest.mark.parametrize("name", PAGES)
def test_every_image_has_alt_text(visit, name):
    fail_with(image_problems(visit(name).dom), f"image problems on {name}")


@pytest.mark.parametrize("name", PAGES)
def test_every_internal_link_resolves(visit, name):
    fail_with(link_problems(visit(name), SITE), f"broken internal links on {name}")


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violation(visit, name):
    fail_with(axe_problems(visit(name).axe_violations), f"serious or critical axe-core violations on {name}")


@pytest.mark.parametrize("name", PAGES)
def test_screenshots_at_desktop_and_phone_width(visit, name):
    shots = visit(name).screenshots
    problems = [f"{shot} missing or empty" for shot in shots if not shot.is_file() or shot.stat().st_size < 1000]
    fail_with(problems + ([] if len(shots) == 2 else [f"{len(shots)} screenshots, expected 2"]),
              f"screenshot problems for {name}")


@pytest.mark.parametrize("name", NOTEBOOK_PAGES)
def test_launch_and_download_buttons_open_this_notebook(visit, name):
    notebook = Path(name).with_suffix(".ipynb").as_posix()  # chapters/03_forget_gate.ipynb
    fail_with(launch_problems(visit(name).dom, notebook), f"launch/download problems on {name}")


# ---------------------------------------------------------------------------------------------------------
# The checks catch what they claim


def test_a_missing_chromium_is_reported_with_how_to_install_it(tmp_path):
    with pytest.raises(ChromiumMissing, match=r"sudo apt-get install chromium.*LSTM_BOOK_CHROMIUM"):
        find_chromium(env={}, paths=(str(tmp_path / "chromium"),), names=("no-such-chromium-here",))
    with pytest.raises(ChromiumMissing, match=r"LSTM_BOOK_CHROMIUM='/nowhere/chrome' is not an executable file"):
        find_chromium(env={"LSTM_BOOK_CHROMIUM": "/nowhere/chrome"})


# A page with one of each fault

BAD_PAGE = r"""<!DOCTYPE html>
<html><head><title></title><script src="missing.js"></script></head>
<body>
<p>Raw display math: $$\mathbf{h}_t = \tanh(\mathbf{c}_t)$$ and \(x\) and $\sigma$.</p>
<pre>print("a backslash in code is fine: \n \mathbf")</pre>
<img src="plot.png">
<img src="https://example.com/tracker.png" alt="an outside image">
<a href="nowhere.html">a missing page</a> <a href="#no-such-anchor">a missing anchor</a>
<a href="other.html#gone">an anchor missing elsewhere</a> <a href="other.html#here">fine</a>
<a href="https://example.com/">an outside link is not loaded</a>
<div role="list" id="x"><div role="doc-biblioentry"><a role="doc-backlink" href="#x">x</a></div></div>
<script>console.error("something broke");</script>
<div class="launch dropdown-launch-buttons"><a title="Launch on Binder"
  href="https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/chapters/99_other.ipynb">Binder</a></div>
</body></html>"""

PNG_1X1 = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


def test_the_checks_catch_a_bad_page(browser, tmp_path):
    (tmp_path / "bad.html").write_text(BAD_PAGE)
    (tmp_path / "plot.png").write_bytes(PNG_1X1)
    (tmp_path / "other.html").write_text('<html lang="en"><body><p id="here">here</p></body></html>')
    with serve(tmp_path) as url:
        report = inspect_page(browser, url + "bad.html", tmp_path / "bad")
    traffic = report.traffic
    assert any("something broke" in e for e in traffic.console_errors), traffic
    assert any("missing.js: HTTP 404" in r for r in traffic.failed_requests), traffic
    assert traffic.outside_requests == ["https://example.com/tracker.png"], traffic

    math = math_problems(report.dom)
    assert any("$$" in p for p in math) and any("\\\\(x" in p for p in math), math
    assert any("$\\\\sigma$" in p for p in math), math
    assert not any("backslash in code" in p for p in math), math

    images = image_problems(report.dom)
    assert images == ["<img src='plot.png'> has no alt text",
                      "<img src='https://example.com/tracker.png'> did not load"], images

    links = link_problems(report, tmp_path)
    assert len(links) == 3, links
    assert any("no file nowhere.html" in p for p in links), links
    assert any("'no-such-anchor'" in p for p in links) and any("'gone' in other.html" in p for p in links), links

    axe = " ".join(axe_problems(report.axe_violations))
    for rule in ("html-has-lang", "document-title", "image-alt", "aria-required-children"):
        assert rule in axe, axe

    launch = launch_problems(report.dom, "chapters/01_overview.ipynb", tmp_path, tmp_path)
    assert any("opens https://mybinder.org" in p for p in launch), launch
    assert any("expected one '.ipynb' download button" in p for p in launch), launch
    assert [p.name for p in report.screenshots] == ["bad-desktop.png", "bad-phone.png"]
