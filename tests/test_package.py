"""Importing lstm has no side effects; the public API is documented."""

import inspect
import subprocess
import sys

import lstm


def test_import_has_no_side_effects():
    probe = (
        "import sys, warnings, matplotlib\n"
        # rcParams.copy(), not dict(rcParams): reading every key resolves the backend, importing pyplot
        "before = matplotlib.rcParams.copy(); filters = list(warnings.filters)\n"
        "import lstm, lstm.diagram, lstm.check\n"
        "assert dict.__eq__(before, matplotlib.rcParams), 'rcParams changed'\n"
        "assert warnings.filters == filters, 'warning filters changed'\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""


def test_every_public_function_has_a_docstring_with_shapes():
    for name in lstm.__all__:
        obj = getattr(lstm, name)
        if inspect.isfunction(obj):
            doc = inspect.getdoc(obj) or ""
            assert doc, f"{name} has no docstring"
            returns = inspect.signature(obj).return_annotation
            assert returns is not inspect.Signature.empty, f"{name} lacks a return type"


def test_every_annotation_in_the_package_resolves():
    # `from __future__ import annotations` keeps annotations as strings: a name used only in an
    # annotation and never imported fails here, not at import time. Names imported only for type
    # checkers (under `if TYPE_CHECKING:`) are supplied here.
    import typing

    import torch

    import lstm.check
    import lstm.counting
    import lstm.diagram
    import lstm.vanilla

    only_for_type_checkers = {"torch": torch, "RNNParams": lstm.vanilla.RNNParams}
    for module in (lstm.cell, lstm.check, lstm.counting, lstm.diagram, lstm.errors, lstm.fused,
                   lstm.interop, lstm.params, lstm.vanilla):
        for obj in vars(module).values():
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                typing.get_type_hints(obj, localns=only_for_type_checkers)  # NameError if a name is unresolved
