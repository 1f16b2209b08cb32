"""The corpus explorer for JupyterLab (ipywidgets): search, filter, and linked views from
the question to the sentence.

A query (words, a regular expression or a code) and the filters (a column's values, a
date range, body lengths) drive every view: the matching articles (sortable, paged; pick
one to read it with the matches marked, its keywords, entities and themes), the hits per
period and per group, the KWIC lines, the collocates, and the keywords of the matching
articles against the rest. Each view is drawn when its tab is shown, so an interaction
costs the search and the one view on screen. "导出" writes what the current tab shows
(all its rows) as CSV or xlsx into ``export_dir``, under a new name, never over a file.

The work is done by :class:`~analysis.methods.search.CorpusSearch`; the views are drawn by
:mod:`analysis.output.explore_views`. The same methods a click calls can be called from
code (:meth:`CorpusExplorer.search_for`, :meth:`~CorpusExplorer.filter`,
:meth:`~CorpusExplorer.open`, :meth:`~CorpusExplorer.export`), which is what the
benchmark times.
"""

from __future__ import annotations

import contextlib
import html
import re
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError
from analysis.methods.search import SORTS, CorpusSearch, Filters, Query, SearchResult
from analysis.output import explore_views as views
from analysis.representations.analysed import PERIODS, AnalysedCorpus

__all__ = ["TABS", "CorpusExplorer", "explorer"]

#: The explorer's tabs: key → label.
TABS = {
    "articles": "文章",
    "trend": "时间趋势",
    "groups": "分组",
    "kwic": "KWIC",
    "collocates": "搭配词",
    "keywords": "关键词",
}
_MODES = {"词语": "terms", "正则表达式": "regex", "编码": "code"}
_SORT_NAMES = {"hits": "命中数", "date": "日期", "title": "标题", "chars": "篇幅"}
_ALL = "（不筛选）"


def explorer(corpus: AnalysedCorpus | pd.DataFrame, **options) -> CorpusExplorer:
    """A :class:`CorpusExplorer` of ``corpus`` (``options`` go to it)."""
    return CorpusExplorer(corpus, **options)


class CorpusExplorer:
    """Widgets over a :class:`~analysis.methods.search.CorpusSearch` of ``corpus``.

    ``codebook`` makes its codes searchable, ``themes`` adds each article's themes to
    the reading pane, ``export_dir`` is where "导出" writes, ``page_size`` the articles
    listed per page, ``kwic_lines`` the KWIC lines shown (an export has them all).
    Display it (it is the last value of a cell, or ``display(explorer)``).
    """

    def __init__(
        self,
        corpus: AnalysedCorpus | pd.DataFrame,
        *,
        codebook=None,
        themes=None,
        export_dir: str | Path = "exports",
        page_size: int = 20,
        kwic_lines: int = 200,
    ) -> None:
        self.search = CorpusSearch(corpus, codebook=codebook, themes=themes)
        self.export_dir = Path(export_dir)
        self.page_size = page_size
        self.kwic_lines = kwic_lines
        self.page = 0
        self.result: SearchResult = self.search.search()
        self.article: dict | None = None
        self._drawn: set[str] = set()
        self._quiet = False
        self._build()
        self._refresh()

    # -- the widgets ----------------------------------------------------------------------

    def _build(self) -> None:
        import ipywidgets as w

        columns = self.search.group_columns
        dates = self.search.date_range or ("", "")
        self.query = w.Text(
            description="检索", placeholder="词语，如：欠薪 拖欠工资", continuous_update=False
        )
        self.mode = w.Dropdown(options=list(_MODES), value="词语", description="方式")
        self.column = w.Dropdown(options=[_ALL, *columns], value=_ALL, description="分组列")
        self.values = w.SelectMultiple(options=[], rows=4, description="取值")
        self.start = w.Text(description="起始日期", placeholder=dates[0], continuous_update=False)
        self.end = w.Text(description="截止日期", placeholder=dates[1], continuous_update=False)
        longest = int(self.search.table["chars"].max()) if len(self.search) else 0
        self.length = w.IntRangeSlider(
            value=(0, longest), min=0, max=max(longest, 1), description="篇幅(字)",
            continuous_update=False,
        )  # fmt: skip
        self.status = w.HTML()
        self.sort = w.Dropdown(options=[(_SORT_NAMES[s], s) for s in SORTS], description="排序")
        self.previous, self.next = w.Button(description="上一页"), w.Button(description="下一页")
        self.page_label = w.Label()
        self.listing = w.Select(options=[], rows=12, layout=w.Layout(width="98%"))
        self.reader = w.HTML()
        # "auto", not None: a dropdown whose value is None has no option selected
        self.period = w.Dropdown(
            options=[("自动", "auto"), *((p, p) for p in PERIODS)], description="时段"
        )
        self.trend_image, self.group_image = w.Image(format="png"), w.Image(format="png")
        self.trend_note, self.group_note = w.HTML(), w.HTML()
        self.group_by = w.Dropdown(options=columns, description="分组")
        self.kwic_sort = w.ToggleButtons(
            options=[("语料顺序", "order"), ("按左侧", "left"), ("按右侧", "right")]
        )
        self.kwic_table = w.HTML()
        self.measure = w.ToggleButtons(options=[("G²", "g2"), ("PMI", "pmi")])
        self.window = w.IntSlider(
            value=5, min=1, max=10, description="窗口(词)", continuous_update=False
        )
        self.collocate_table, self.keyword_table = w.HTML(), w.HTML()
        self.export_format = w.Dropdown(options=["csv", "xlsx"], layout=w.Layout(width="90px"))
        self.export_button = w.Button(description="导出当前视图", icon="download")
        self.export_note = w.HTML()
        self.tabs = w.Tab(children=self._tab_pages(w))
        for index, label in enumerate(TABS.values()):
            self.tabs.set_title(index, label)
        self.widget = w.VBox(
            [
                w.HBox([self.query, self.mode]),
                w.HBox([self.column, self.values]),
                w.HBox([self.start, self.end, self.length]),
                self.status,
                self.tabs,
                w.HBox([self.export_format, self.export_button, self.export_note]),
            ]
        )
        for name in ("query", "mode", "column", "values", "start", "end", "length"):
            getattr(self, name).add_class(f"analysis-{name}")
        for name in ("listing", "reader", "status", "kwic_table", "collocate_table"):
            getattr(self, name).add_class(f"analysis-{name.split('_')[0]}")
        for name in ("keyword_table", "trend_image", "group_image"):
            getattr(self, name).add_class(f"analysis-{name.replace('_', '-')}")
        self.export_button.add_class("analysis-export")
        self._connect()

    def _tab_pages(self, w) -> list:
        return [
            w.VBox(
                [
                    w.HBox([self.sort, self.previous, self.page_label, self.next]),
                    self.listing,
                    self.reader,
                ]
            ),
            w.VBox([self.period, self.trend_note, self.trend_image]),
            w.VBox([self.group_by, self.group_note, self.group_image]),
            w.VBox([self.kwic_sort, self.kwic_table]),
            w.VBox([w.HBox([self.measure, self.window]), self.collocate_table]),
            w.VBox([self.keyword_table]),
        ]

    def _connect(self) -> None:
        def on(widget, handler) -> None:
            widget.observe(lambda change: self._guarded(handler), names="value")

        for widget in (self.query, self.mode, self.values, self.start, self.end, self.length):
            on(widget, self._refresh)
        on(self.column, self._choose_column)
        on(self.sort, self._first_page)
        on(self.listing, self._read)
        on(self.period, lambda: self._redraw("trend"))
        on(self.group_by, lambda: self._redraw("groups"))
        on(self.kwic_sort, lambda: self._redraw("kwic"))
        on(self.measure, lambda: self._redraw("collocates"))
        on(self.window, lambda: self._redraw("collocates"))
        self.tabs.observe(lambda change: self._guarded(self._draw_tab), names="selected_index")
        self.previous.on_click(lambda _: self._guarded(lambda: self._turn(-1)))
        self.next.on_click(lambda _: self._guarded(lambda: self._turn(1)))
        self.export_button.on_click(lambda _: self._guarded(self._export_clicked))

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _guarded(self, action) -> None:
        """Run ``action``; an error of ours is shown in the status line, not raised.
        Nothing runs while several widgets are set from code (:meth:`_quietly`)."""
        if self._quiet:
            return
        try:
            action()
        except AnalysisError as exc:
            self.status.value = f'<span style="color:#b00020">{html.escape(str(exc))}</span>'

    # -- what a click does ----------------------------------------------------------------

    def _filters(self) -> Filters:
        column = None if self.column.value == _ALL else self.column.value
        low, high = self.length.value
        return Filters(
            column=column,
            values=tuple(self.values.value) if column else (),
            start=self.start.value.strip() or None,
            end=self.end.value.strip() or None,
            min_chars=low,
            max_chars=None if high >= self.length.max else high,
        )

    def _refresh(self) -> None:
        """Search again with the current query and filters; redraw the list and the tab
        on screen, mark the other tabs to be drawn when shown."""
        query = Query(self.query.value, _MODES[self.mode.value])
        self.result = self.search.search(query, self._filters())
        self.status.value = html.escape(views.status_line(self.result))
        self._drawn.clear()
        self.page = 0
        self._draw_list()
        self._draw_tab()

    def _choose_column(self) -> None:
        with self._quietly():
            self._choose_column_values()

    def _choose_column_values(self) -> None:
        column = self.column.value
        self.values.options = [] if column == _ALL else self.search.group_values(column)[:500]
        if column in self.group_by.options:
            self.group_by.value = column

    def _first_page(self) -> None:
        self.page = 0
        self._draw_list()

    def _turn(self, step: int) -> None:
        last = max(0, (self.result.n_articles - 1) // self.page_size)
        self.page = min(max(0, self.page + step), last)
        self._draw_list()

    def _draw_list(self) -> None:
        table = self.result.articles(self.sort.value, page=self.page, size=self.page_size)
        group = self.result.filters.column
        self.listing.options = [
            (" · ".join(_row_label(row, group)), row["id"]) for row in table.to_dict("records")
        ]
        pages = max(1, -(-self.result.n_articles // self.page_size))
        self.page_label.value = f"第 {self.page + 1} / {pages} 页"

    def _read(self) -> None:
        if self.listing.value is not None:
            self.open(self.listing.value)

    def _draw_tab(self) -> None:
        key = list(TABS)[self.tabs.selected_index or 0]
        if key not in self._drawn:
            self._redraw(key)

    def _redraw(self, key: str) -> None:
        draw = {
            "articles": self._draw_list,
            "trend": self._draw_trend,
            "groups": self._draw_groups,
            "kwic": lambda: setattr(self.kwic_table, "value", self._kwic_html()),
            "collocates": lambda: setattr(self.collocate_table, "value", self._collocates_html()),
            "keywords": lambda: setattr(self.keyword_table, "value", self._keywords_html()),
        }[key]
        self._drawn.add(key)
        draw()

    def _draw_trend(self) -> None:
        try:
            self.trend_image.value = views.trend_chart(self.result.trend(self._period()))
            self.trend_note.value = ""
        except AnalysisError as exc:
            self.trend_image.value, self.trend_note.value = b"", html.escape(str(exc))

    def _period(self) -> str | None:
        return None if self.period.value == "auto" else self.period.value

    def _draw_groups(self) -> None:
        if not self.group_by.value:
            self.group_image.value, self.group_note.value = b"", "这个语料没有可分组的列。"
            return
        self.group_image.value = views.group_chart(self.result.by_group(self.group_by.value))
        self.group_note.value = ""

    def _kwic_html(self) -> str:
        lines = self.result.kwic(self.kwic_sort.value, limit=self.kwic_lines)
        note = f"显示前 {len(lines):,} 行，共 {self.result.n_hits:,} 行（导出包含全部）"
        return f"<p>{note}</p>" + views.table_html(lines, kwic=True)

    def _collocates_html(self) -> str:
        table = self.result.collocates(window=self.window.value, measure=self.measure.value)
        return views.table_html(table) if len(table) else "<p>没有出现两次以上的搭配词。</p>"

    def _keywords_html(self) -> str:
        try:
            return views.table_html(self.result.keywords(30)[views.KEYNESS_COLUMNS])
        except AnalysisError as exc:
            return f"<p>{html.escape(str(exc))}</p>"

    def _export_clicked(self) -> None:
        path = self.export(self.export_format.value)
        self.export_note.value = f"已写入 {html.escape(str(path))}"

    # -- the same from code ---------------------------------------------------------------

    @contextlib.contextmanager
    def _quietly(self):
        """Set several widgets, then search once."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False
        self._guarded(self._refresh)

    def search_for(self, text: str, mode: str = "terms") -> SearchResult:
        """Type ``text`` into the search box (``mode`` terms, regex or code)."""
        with self._quietly():
            self.mode.value = {v: k for k, v in _MODES.items()}[mode]
            self.query.value = text
        return self.result

    def filter(self, column: str | None = None, values=(), *, start="", end="", chars=None):
        """Set the filters as a user would: a column and its values, a date range, a
        (low, high) range of body lengths."""
        with self._quietly():
            self.column.value = column or _ALL
            self._choose_column_values()
            self.values.value = tuple(str(v) for v in values)
            self.start.value, self.end.value = start, end
            self.length.value = chars or (0, self.length.max)
        return self.result

    def show(self, tab: str) -> None:
        """Bring the tab ``tab`` (a key of :data:`TABS`) on screen, drawing it."""
        self.tabs.selected_index = list(TABS).index(tab)

    def open(self, article_id: str) -> dict:
        """Read one article in the reading pane, the current query's matches marked."""
        self.article = self.search.read(article_id, self.result.query)
        self.reader.value = views.article_html(self.article)
        return self.article

    def current_table(self) -> tuple[str, pd.DataFrame]:
        """The name and rows of what the current tab shows (all rows)."""
        key = list(TABS)[self.tabs.selected_index or 0]
        result = self.result
        tables = {
            "articles": lambda: result.articles(self.sort.value, size=None),
            "trend": lambda: result.trend(self._period()),
            "groups": lambda: result.by_group(self.group_by.value),
            "kwic": lambda: result.kwic(self.kwic_sort.value),
            "collocates": lambda: result.collocates(
                window=self.window.value, measure=self.measure.value
            ),
            "keywords": lambda: result.keywords(30),
        }
        return key, tables[key]()

    def export(self, fmt: str = "csv") -> Path:
        """Write what the current tab shows to a new file in ``export_dir`` (CSV cells a
        spreadsheet would run as formulas are made inert; xlsx cells are text); the
        file's path."""
        from analysis.output.report_writer import write_csv, write_xlsx

        key, table = self.current_table()
        self.export_dir.mkdir(parents=True, exist_ok=True)
        words = re.sub(r"[^\w\u4e00-\u9fff]+", "_", self.result.query.text).strip("_")[:30]
        stem = "-".join(p for p in (key, words) if p)
        for number in range(1, 10_000):
            path = self.export_dir / f"{stem}-{number:03d}.{fmt}"
            if not path.exists():
                break
        if fmt == "xlsx":
            return write_xlsx({key: table}, path)
        return write_csv(table, path)


def _row_label(row: dict, group: str | None) -> list[str]:
    """An article in the list: title, date, its group (when filtering by one), hits."""
    date = row["date"] if isinstance(row["date"], str) else "无日期"
    return [row["title"], date, *([str(row[group])] if group else []), f"{row['hits']} 处"]
