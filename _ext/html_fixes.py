"""Fixes to the HTML that Jupyter Book 1.0.4, docutils and sphinx-exercise write, found by the browser tests.

- Jupyter Book adds the inline Thebe script twice, so `const THEBE_JS_URL` is declared twice and
  every page logs a console error. Each script is kept once.
- docutils marks bibliography entries role="doc-biblioentry", a role ARIA has deprecated; axe-core
  then finds a list with no items (a critical violation). They become role="listitem".
- sphinx-exercise gives the body of every exercise and every solution the same id
  (`exercise-content`, `solution-content`), so a page with two exercises has duplicate ids. The body
  keeps the name as a class instead; nothing links to it.
- Search finds a section by the glossary term its title contains: "broadcast" finds "Auditing
  every broadcast", not only the glossary. (Sphinx matches a query against a whole title only when
  the query is at least half the title's length; a term is short enough.) Each such section gets an
  index entry named after the term, which Sphinx's search reads.
- A figure's number reads "Figure 3.2:" before its caption, as in a printed book (numfig_format in
  _config.yml gives "Figure 3.2", which {numref} uses in the text, where a colon does not belong).
"""

import re

from docutils import nodes
from sphinx import addnodes

DUPLICATED_IDS = re.compile(r'<section id="(exercise-content|solution-content)">')
FIGURE_NUMBER = re.compile(r'(<figcaption>\s*<p>\s*<span class="caption-number">[^<]*?)\s*</span>')


def fix_page(app, pagename, templatename, context, doctree):
    seen, scripts = set(), []
    for script in context.get("script_files", []):
        key = (script.filename or "", tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            scripts.append(script)
    context["script_files"] = scripts
    body = context.get("body", "")
    body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    body = DUPLICATED_IDS.sub(r'<section class="\1">', body)
    body = FIGURE_NUMBER.sub(r"\1: </span>", body)
    context["body"] = body


def _stem(term: str) -> str:
    """Enough of a term to find it in a title in another form: 'broadcasting' in 'every broadcast'."""
    return term[: max(4, len(term) - 3)]


def index_sections_by_glossary_term(app, doctree, docname):
    if app.builder.format != "html":
        return
    terms = {name.lower() for (kind, name) in app.env.domains["std"].objects if kind == "term"}
    for section in doctree.findall(nodes.section):
        if not section["ids"] or not section.children or not isinstance(section[0], nodes.title):
            continue
        title = section[0].astext().lower()
        found = sorted(t for t in terms if re.search(rf"\b{re.escape(_stem(t))}", title))
        if found:
            entries = [("single", term, section["ids"][0], False, None) for term in found]
            section.insert(1, addnodes.index(entries=entries, inline=False))


def setup(app):
    app.connect("html-page-context", fix_page)
    app.connect("doctree-resolved", index_sections_by_glossary_term)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
