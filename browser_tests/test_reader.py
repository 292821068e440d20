"""The book as a reader uses it, on a phone (390 px wide) and a desktop (1280 px): navigation opens, no
formula or code is cut off, whatever scrolls sideways shows that it does, figures are numbered, sharp and
readable in dark mode, search works, the reference list matches the citations.

Every page of _toc.yml is covered (new chapters too); the layout of each page is measured at both widths,
with every solution and folded cell open, when conftest.py's `visit` opens it (webpage.LAYOUT). The
checks are plain functions of those measurements, so a failure lists
each offender by page and element.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from test_website import fail_with, toc_entries

from webpage import ROOT, SITE, WAIT_FOR_MATH, open_page

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = {"390": PHONE, "1280": DESKTOP}
TOC_PAGES = [f"{entry}.html" for entry in toc_entries()]
CHAPTER_PAGES = [p for p in TOC_PAGES if (ROOT / p).with_suffix(".ipynb").is_file()]


@pytest.fixture(scope="session")
def measure(visit):
    """measure('chapters/03_forget_gate.html', '390') -> the layout facts (webpage.LAYOUT) at that width,
    collected when the page is visited (once per session, with every solution and toggle open)."""
    def _measure(name: str, width: str) -> dict:
        return visit(name).layout[width]

    return _measure


both_widths = pytest.mark.parametrize("width", list(WIDTHS))
every_page = pytest.mark.parametrize("name", TOC_PAGES)


# ---------------------------------------------------------------------------------------------------------
# Navigation


def listed_page_href(visited: str) -> str:
    """The end of the sidebar link to the first toc page other than `visited`, near the top of the list."""
    return next(p for p in TOC_PAGES[1:] if p != visited).split("/")[-1]


CHAPTER_LINK_ON_SCREEN = """(href) => {
  const links = [...document.querySelectorAll(".bd-sidenav a")].filter(a => a.getAttribute("href").endsWith(href));
  return links.some(a => {
    const r = a.getBoundingClientRect();
    if (r.width === 0 || r.bottom < 0 || r.top > innerHeight || r.right < 0 || r.left > innerWidth) return false;
    const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 20), r.top + r.height / 2);
    return !!hit && (hit === a || a.contains(hit));
  });
}"""


@both_widths
def test_the_menu_button_opens_the_chapter_list(site, browser, width):
    """At 390 px the chapter list is off screen until the menu button is tapped; at 1280 px it is on screen
    and the button folds it away and brings it back."""
    page_name = CHAPTER_PAGES[0]
    href = listed_page_href(page_name)
    context, page, traffic = open_page(browser, site + page_name, WIDTHS[width])
    try:
        page.wait_for_load_state("networkidle")
        toggles = page.locator(".primary-toggle:visible")
        assert toggles.count() == 1, f"{toggles.count()} visible menu buttons at {width} px, expected 1"
        seen = [page.evaluate(CHAPTER_LINK_ON_SCREEN, href)]
        for _ in range(2):
            if page.locator("dialog[open]").count():
                page.keyboard.press("Escape")
                page.wait_for_timeout(400)
            toggles.first.click()
            page.wait_for_timeout(800)  # the theme animates the sidebar
            seen.append(page.evaluate(CHAPTER_LINK_ON_SCREEN, href))
    finally:
        context.close()
    if width == "390":
        assert seen[0] is False, "the chapter list is on screen before the menu button is tapped"
        assert seen[1] is True, f"tapping the menu button did not bring a link to {href} on screen"
    else:
        assert seen == [True, False, True], (
            f"at 1280 px the chapter list should be on screen, fold away on a click and come back on the next "
            f"(on screen: before, after one click, after two = {seen})")
    fail_with(traffic.console_errors, "console errors while using the menu")


def test_the_page_contents_button_opens_on_a_phone(site, browser):
    page_name = CHAPTER_PAGES[0]
    context, page, traffic = open_page(browser, site + page_name, PHONE)
    try:
        page.wait_for_load_state("networkidle")
        toggles = page.locator(".secondary-toggle:visible")
        assert toggles.count() == 1, f"{toggles.count()} visible page-contents buttons at 390 px, expected 1"
        toggles.first.click()
        page.wait_for_timeout(800)
        shown = page.evaluate("""() => [...document.querySelectorAll("dialog[open] .toc-entry a, dialog[open] nav a")]
            .filter(a => { const r = a.getBoundingClientRect(); return r.width > 0 && r.top < innerHeight; }).length""")
    finally:
        context.close()
    assert shown > 0, "tapping the page-contents button showed no link to a section of the page"


def test_the_logo_leaves_the_chapter_list_above_the_fold(measure):
    """At 1280 x 900 the sidebar shows every chapter (the notebooks; the back matter may need a scroll)."""
    facts = measure(TOC_PAGES[0], "1280")
    assert facts["logo_height"] <= 100, f"the logo is {facts['logo_height']:.0f} px tall at 1280 px (at most 100)"
    chapters = {page.split("/")[-1] for page in CHAPTER_PAGES}
    links = [link for link in facts["nav_links"] if link["href"].split("/")[-1].split("#")[0] in chapters]
    assert len(links) == len(chapters), f"the sidebar links {len(links)} of the {len(chapters)} chapters"
    below = [link["href"] for link in links if link["bottom"] > DESKTOP["height"]]
    fail_with(below, "chapters below the fold of the sidebar at 1280 x 900")


def test_one_search_box_on_the_desktop(measure):
    boxes = measure(TOC_PAGES[0], "1280")["visible_search_boxes"]
    assert len(boxes) == 1, f"{len(boxes)} search boxes visible at 1280 px, expected one: {boxes}"


# ---------------------------------------------------------------------------------------------------------
# Nothing cut off


@both_widths
@every_page
def test_no_formula_is_cut_off(measure, name, width):
    fail_with(measure(name, width)["clipped_math"],
              f"formulas cut by a box that does not scroll, on {name} at {width} px")


@every_page
def test_no_display_equation_needs_scrolling_on_a_desktop(measure, name):
    """At 1280 px every display equation fits the column: a long one is broken over lines (`aligned`)."""
    fail_with(measure(name, "1280")["scrolling_equations"],
              f"display equations wider than the column on {name} at 1280 px")


@both_widths
@every_page
def test_whatever_scrolls_sideways_shows_it(measure, name, width):
    """Equations, tables and code blocks wider than a phone scroll, with a visible cue (edge shadow or a hint)."""
    fail_with(measure(name, width)["scrollers_without_cue"],
              f"boxes that scroll sideways without a cue, on {name} at {width} px")


@both_widths
@every_page
def test_the_page_does_not_scroll_sideways(measure, name, width):
    overflow = measure(name, width)["page_overflow"]
    assert overflow <= 1, f"{name} at {width} px is {overflow} px wider than the screen"


@both_widths
@every_page
def test_no_inline_code_is_cut_off(measure, name, width):
    fail_with(measure(name, width)["cut_inline_code"], f"inline code running past its box on {name} at {width} px")


@every_page
def test_no_duplicate_html_ids(measure, name):
    fail_with(measure(name, "1280")["duplicate_ids"], f"ids used more than once on {name}")


@every_page
def test_no_test_markers_are_visible(measure, name):
    markers = sorted(set(re.findall(r"#\s*NBVAL\w*", measure(name, "1280")["page_text"])))
    fail_with(markers, f"test markers shown to the reader on {name} (use the cell tag instead)")


# ---------------------------------------------------------------------------------------------------------
# Figures

FIGURE_CAPTION = re.compile(r"^Figure \d+(\.\d+)*: \S")


@pytest.mark.parametrize("name", CHAPTER_PAGES)
def test_every_plot_is_a_numbered_figure_with_alt_text(measure, name):
    problems = []
    for image in measure(name, "1280")["images"]:
        if image["caption"] is None:
            problems.append(f"{image['src']}: not a figure with a caption (cell metadata mystnb.figure)")
        elif not FIGURE_CAPTION.match(image["caption"]):
            problems.append(f"{image['src']}: caption {image['caption'][:50]!r} is not 'Figure N.M: ...'")
        if not image["alt"].strip() or image["alt"].strip().lower() in ("png", "image", "output"):
            problems.append(f"{image['src']}: no alt text describing it (mystnb.image.alt)")
    fail_with(problems, f"figure problems on {name}")


@pytest.mark.parametrize("name", CHAPTER_PAGES)
def test_figures_are_sharp(measure, name):
    """Stored PNGs are drawn at twice the resolution they are shown at (IPython's 'retina' format)."""
    images = measure(name, "1280")["images"]
    blurry = [f"{i['src']}: {i['natural_width']} px wide, shown at {i['shown_width']:.0f} px"
              for i in images if i["in_output"] and i["natural_width"] < 1.9 * i["shown_width"]]
    fail_with(blurry, f"figures not sharp on a high-density screen, on {name}")


def luminance(css_color: str) -> float:
    numbers = [float(x) for x in re.findall(r"[\d.]+", css_color)]
    if len(numbers) < 3 or (len(numbers) == 4 and numbers[3] < 0.5):
        return 0.0  # transparent: the page's dark background shows through
    return sum(w * c / 255 for w, c in zip((0.2126, 0.7152, 0.0722), numbers[:3]))


def brightness(css_filter: str) -> float:
    match = re.search(r"brightness\(([\d.]+)(%?)\)", css_filter or "")
    return 1.0 if not match else float(match.group(1)) / (100 if match.group(2) else 1)


@pytest.mark.parametrize("name", CHAPTER_PAGES)
def test_figures_sit_on_a_light_card_in_dark_mode(measure, name):
    """In dark mode a plot's dark ink needs a light card behind it, but not a glaring white one."""
    problems = []
    for image in measure(name, "1280")["dark_image_backgrounds"]:
        shown = luminance(image["background"]) * brightness(image["filter"])
        if not 0.7 <= shown <= 0.92:
            problems.append(f"{image['src']}: background {image['background']}, filter {image['filter']} "
                            f"(relative luminance {shown:.2f}; a light card is 0.7 to 0.92)")
    fail_with(problems, f"figures unreadable or glaring in dark mode, on {name}")


def test_a_figure_enlarges_on_tap_on_a_phone(site, browser):
    candidates = [p for p in CHAPTER_PAGES if p.endswith(("06_putting_it_together.html", "03_forget_gate.html"))]
    context, page, traffic = open_page(browser, site + (candidates or CHAPTER_PAGES)[0], PHONE)
    try:
        page.evaluate(WAIT_FOR_MATH)
        page.wait_for_timeout(300)
        images = page.locator("img.reader-zoomable")
        assert images.count() > 0, "no figure on the page offers to enlarge at 390 px"
        image = images.first
        image.scroll_into_view_if_needed()
        before = image.bounding_box()["width"]
        image.click()
        page.wait_for_timeout(300)
        after = image.bounding_box()["width"]
        holder_scrolls = image.evaluate("img => img.parentElement.scrollWidth > img.parentElement.clientWidth")
    finally:
        context.close()
    assert after > 1.3 * before and holder_scrolls, f"tapping a figure left it {after:.0f} px wide (was {before:.0f})"


def test_hidden_code_opens_with_one_click(site, browser):
    pages_with_hidden_code = [p for p in CHAPTER_PAGES
                              if 'class="cell tag_hide-input' in (SITE / p).read_text(encoding="utf-8")]
    assert pages_with_hidden_code, "no chapter hides its plotting code (cell tag hide-input)"
    context, page, traffic = open_page(browser, site + pages_with_hidden_code[0], DESKTOP)
    try:
        summary = page.locator(".tag_hide-input details summary").first
        source = page.locator(".tag_hide-input details .cell_input, .tag_hide-input details pre").first
        hidden_before = not source.is_visible()
        summary.click()
        shown_after = source.is_visible()
    finally:
        context.close()
    assert hidden_before and shown_after, "the 'Show code cell source' toggle did not open the hidden code"


# ---------------------------------------------------------------------------------------------------------
# Solutions, search, references


def test_the_solution_title_link_does_not_fold_the_solution(site, browser):
    page_name = next(p for p in CHAPTER_PAGES if 'class="solution dropdown' in (SITE / p).read_text(encoding="utf-8"))
    context, page, traffic = open_page(browser, site + page_name, DESKTOP)
    try:
        page.wait_for_load_state("networkidle")
        solution = page.locator("div.solution.dropdown").first
        state = "el => el.classList.contains('toggle-hidden') || !!el.querySelector('.toggle-hidden')"
        before = solution.evaluate(state)
        solution.locator(".admonition-title a").first.click()
        page.wait_for_timeout(300)
        after = solution.evaluate(state)
    finally:
        context.close()
    assert before == after, "following the link in a solution's title folded or unfolded the solution"
    fail_with(list(traffic.console_errors), "console errors after following a solution title's link")


def search(site, browser, words: str) -> list[dict]:
    context, page, traffic = open_page(browser, site + "search.html?q=" + words.replace(" ", "+"))
    try:
        page.wait_for_function(
            "() => { const s = document.querySelector('#search-results .search-summary');"
            " return s && s.innerText.trim().length > 0; }", timeout=20_000)
        page.wait_for_timeout(2000)  # snippets are fetched after the list
        hits = page.eval_on_selector_all("#search-results ul.search li", """items => items.map(li => ({
            href: li.querySelector('a').getAttribute('href'),
            snippet: (li.querySelector('p.context') || {textContent: ''}).textContent}))""")
    finally:
        context.close()
    return hits


def test_search_finds_the_broadcasting_section(site, browser):
    hits = search(site, browser, "broadcast")
    assert any(hit["href"].startswith("chapters/") and "broadcast" in hit["href"] for hit in hits), (
        f"searching 'broadcast' links to no broadcasting section of a chapter: {[h['href'] for h in hits]}")


def test_search_snippets_show_no_raw_tex(site, browser):
    tex = re.compile(r"\\[()\[\]]|\\(mathbf|frac|odot|sigma|tanh|top|in)\b")
    hits = search(site, browser, "forget gate") + search(site, browser, "parameters")
    fail_with([f"{h['href']}: ...{h['snippet'][:120]}" for h in hits if tex.search(h["snippet"])],
              "search snippets with raw TeX")


class _Labels(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_label, self.labels = False, []

    def handle_starttag(self, tag, attrs):
        if tag == "span" and ("class", "label") in attrs:
            self.in_label, self.labels = True, self.labels + [""]

    def handle_endtag(self, tag):
        if tag == "span" and self.in_label and self.labels[-1].endswith("]"):
            self.in_label = False

    def handle_data(self, data):
        if self.in_label:
            self.labels[-1] += data


def test_the_reference_list_is_author_year_like_the_citations():
    page = SITE / "back" / "bibliography.html"
    parser = _Labels()
    parser.feed(page.read_text(encoding="utf-8"))
    labels = [label.strip("[] ") for label in parser.labels]
    assert labels, f"no reference list in {page}"
    pattern = re.compile(r"^[A-Z][\w\u00C0-\u024F' .-]*( and [\w\u00C0-\u024F' .-]+| et al\.)?, \d{4}[a-z]?$")
    fail_with([label for label in labels if not pattern.match(label)],
              "reference-list labels not in author-year form ('Gers et al., 2000')")
    assert labels == sorted(labels, key=str.lower), f"the reference list is not in author order: {labels}"
