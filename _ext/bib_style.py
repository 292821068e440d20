"""The reference list in the same author-year style as the citations in the text.

The text cites with sphinxcontrib-bibtex's author_year style ("Gers et al., 2000"); pybtex's own
styles label the list "[GSC00]". This registers a pybtex style, `author_year`, whose labels are the
same author-year text and which sorts the list by author, then year; `bibtex_default_style` in
_config.yml selects it, for the website and the PDF alike.
"""

from collections import Counter

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitleSorting


def _last_name(person) -> str:
    return Text.from_latex(" ".join(person.prelast_names + person.last_names)).render_as("text")


def author_year_label(entry) -> str:
    """'Hochreiter and Schmidhuber, 1997', 'Gers et al., 2000', as the citations in the text read."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_last_name(person) for person in people]
    if not names:
        who = entry.fields.get("title", entry.key)
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        labels = [author_year_label(entry) for entry in sorted_entries]
        repeated, seen = Counter(labels), Counter()
        for label in labels:
            if repeated[label] > 1:  # two works by the same authors in one year: 2015a, 2015b
                seen[label] += 1
                label += "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            yield label


class AuthorYearSorting(AuthorYearTitleSorting):
    """By the authors' names as the label prints them (pybtex's own key puts a braced name such as
    {PyTorch Contributors} after Z), then year and title."""

    def sorting_key(self, entry):
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = " ".join(_last_name(person) for person in people).lower()
        return (names, entry.fields.get("year", ""), entry.fields.get("title", "").lower())


class AuthorYearStyle(PlainStyle):
    default_label_style = AuthorYearLabels
    default_sorting_style = AuthorYearSorting


def setup(app):
    register_plugin("pybtex.style.labels", "author_year", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "author_year", AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
