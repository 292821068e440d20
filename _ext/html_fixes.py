"""Two fixes to the HTML that Jupyter Book 1.0.4 and docutils write, found by the browser tests.

- Jupyter Book adds the inline Thebe script twice, so `const THEBE_JS_URL` is declared twice and
  every page logs a console error. Each script is kept once.
- docutils marks bibliography entries role="doc-biblioentry", a role ARIA has deprecated; axe-core
  then finds a list with no items (a critical violation). They become role="listitem".
"""


def fix_page(app, pagename, templatename, context, doctree):
    seen, scripts = set(), []
    for script in context.get("script_files", []):
        key = (script.filename or "", tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            scripts.append(script)
    context["script_files"] = scripts
    if 'role="doc-biblioentry"' in context.get("body", ""):
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("html-page-context", fix_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
