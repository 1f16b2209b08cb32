"""The report's charts and tables, each declared once as a :class:`View`.

A view is a name, the :class:`~analysis.output.report.Report` results it reads, a
function that builds it from the Report, and the files it is saved as. The tables are
declared in :mod:`analysis.output.report_tables` (``@table``), the charts in
:mod:`analysis.output.report_charts` (``@chart``); the Report, the notebooks and the
writer read them from there, so adding a chart is one decorated function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["View", "declare"]


@dataclass(frozen=True)
class View:
    """One chart or table of the report.

    ``build(report)`` returns the table (a DataFrame) or the chart (a Figure, or a dict
    of file name → Figure for a chart of many files); it raises to say why this input
    has none. ``needs`` names the Report results it reads; ``formats`` the files it is
    saved as, in the order they are written.
    """

    name: str
    kind: str
    build: Callable[..., object]
    needs: tuple[str, ...]
    formats: tuple[str, ...]


def declare(
    views: dict[str, View],
    name: str,
    *,
    kind: str,
    needs: Iterable[str],
    formats: Iterable[str],
) -> Callable[[Callable], Callable]:
    """A decorator that adds the function below to ``views`` as the view ``name``, in
    the order of declaration (the order the report writes them)."""

    def add(build: Callable) -> Callable:
        if name in views:
            raise ValueError(f"the {kind} {name!r} is declared twice; give it another name")
        views[name] = View(name, kind, build, tuple(needs), tuple(formats))
        return build

    return add
