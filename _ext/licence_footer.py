"""The site footer: licences, how to attribute, and the authors, on every page.

`html.extra_footer` in _config.yml holds the footer's HTML. Jupyter Book passes it to the theme
as it is, so this extension fills in `{repository_url}` there from the one repository setting
(`repository.url`), and in the student copy (_ext/student_copy.py), which must not lead to the
repository that holds the solutions, it drops the link and keeps its text.
"""

from __future__ import annotations

import re

PLACEHOLDER = "{repository_url}"


def footer_html(footer: str, repository_url: str, students: bool) -> str:
    """The footer with the repository's address filled in, or its links unwrapped for students."""
    if students:
        link = re.compile(r'<a\s[^>]*href="' + re.escape(PLACEHOLDER) + r'[^"]*"[^>]*>(.*?)</a>', re.S)
        return link.sub(r"\1", footer)
    return footer.replace(PLACEHOLDER, repository_url.rstrip("/"))


def setup(app):
    def config_inited(app, config):
        options = config.html_theme_options
        footer = options.get("extra_footer")
        if footer:
            options["extra_footer"] = footer_html(footer, options.get("repository_url", ""), config.hide_solutions)

    # After student_copy (priority 900), which decides whether this is the student copy.
    app.connect("config-inited", config_inited, priority=950)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
