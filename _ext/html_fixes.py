"""Fixes to the HTML that Jupyter Book 1.0.4, docutils and sphinx-exercise write, found by the browser tests.

- Jupyter Book adds the inline Thebe script twice, so `const THEBE_JS_URL` is declared twice and
  every page logs a console error. Each script is kept once.
- docutils marks bibliography entries role="doc-biblioentry", a role ARIA has deprecated; axe-core
  then finds a list with no items (a critical violation). They become role="listitem".
- sphinx-exercise gives the body of every exercise and every solution the same id
  (`exercise-content`, `solution-content`), so a page with two exercises has duplicate ids. The body
  keeps the name as a class instead; nothing links to it.
- A figure's number reads "Figure 3.2:" before its caption, as in a printed book (numfig_format in
  _config.yml gives "Figure 3.2", which {numref} uses in the text, where a colon does not belong).
"""

import re

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


def setup(app):
    app.connect("html-page-context", fix_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
