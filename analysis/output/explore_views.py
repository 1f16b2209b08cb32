"""What the corpus explorer shows, as plain HTML and PNG: tables, the trend and group
charts, an article to read, and the static snapshot a rendered notebook keeps in the
explorer's place (:func:`snapshot`).

Every function takes a :class:`~analysis.methods.search.SearchResult` or a table made
from one, so the live explorer (:mod:`analysis.output.explore`) and the snapshot draw
the same views.
"""

from __future__ import annotations

import html
import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.errors import AnalysisError
from analysis.methods.search import SearchResult
from analysis.output.plots import series_styles, setup

__all__ = [
    "KEYNESS_COLUMNS",
    "LIVE_NOTE",
    "article_html",
    "group_chart",
    "snapshot",
    "status_line",
    "table_html",
    "trend_chart",
]

#: What the snapshot says about the live explorer.
LIVE_NOTE = (
    "这是检索“{term}”的静态快照。在 JupyterLab 中（make lab）运行本笔记本，"
    "即可输入任意词语、正则表达式或编码，按分组、日期和篇幅筛选，并点击文章阅读原文。"
)
#: Charts show at most this many groups.
MAX_GROUPS = 15
_STYLE = """<style>
.analysis-table {border-collapse: collapse; font-size: 13px; margin: 4px 0}
.analysis-table th, .analysis-table td {border-bottom: 1px solid #ddd; padding: 2px 8px;
  text-align: left !important; vertical-align: top}
.analysis-table td.left {text-align: right !important; color: #444}
.analysis-table td.match {font-weight: bold; color: #b03000}
.analysis-article mark {background: #ffe08a}
.analysis-note {color: #555; font-size: 12px}
</style>"""


def status_line(result: SearchResult) -> str:
    """One line: how many articles match, with how many hits, of how many filtered."""
    kept = int(result.kept.sum())
    if result.query.empty:
        return f"筛选范围内共 {kept:,} 篇文章（全库 {len(result.kept):,} 篇）"
    return (
        f"{result.n_articles:,} 篇文章匹配，共 {result.n_hits:,} 处"
        f"（筛选范围内 {kept:,} 篇，全库 {len(result.kept):,} 篇）"
    )


def table_html(
    frame: pd.DataFrame, *, kwic: bool = False, digits: int = 2, styled: bool = True
) -> str:
    """``frame`` as an HTML table (every cell escaped); KWIC lines get their left context
    right-aligned and the match in bold. ``styled=False`` leaves out the style sheet, for
    a page that has it once already."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, values, strict=True):
            css = f' class="{column}"' if kwic and column in ("left", "match") else ""
            cells.append(f"<td{css}>{html.escape(_cell(value, digits))}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'{_STYLE if styled else ""}<table class="analysis-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _cell(value: object, digits: int) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating):
        return f"{value:,.{digits}f}"
    return str(value)


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96)
    plt.close(fig)
    return buffer.getvalue()


def trend_chart(table: pd.DataFrame) -> bytes:
    """PNG of :meth:`SearchResult.trend`: hits per 10,000 tokens per period, one line per
    word (articles per period when there is no query)."""
    setup()
    period = table.columns[0]
    fig, ax = plt.subplots(figsize=(8, 3.2), layout="constrained")
    value = "per_10k" if table["per_10k"].notna().any() else "n_articles"
    if value == "n_articles":
        table = table.assign(n_articles=table["hits"])
    wide = table.pivot_table(index=period, columns="term", values=value, sort=True)
    wide = wide.reindex(columns=list(dict.fromkeys(table["term"])))
    x = np.arange(len(wide))
    for (term, values), style in zip(wide.items(), series_styles(wide.shape[1]), strict=True):
        ax.plot(x, values.to_numpy(), markersize=3, label=str(term), **style)
    _period_ticks(ax, wide.index.tolist())
    ax.set_ylabel("每万词出现次数" if value == "per_10k" else "文章数")
    ax.set_xlabel(str(period))
    ax.set_ylim(bottom=0)
    if wide.shape[1] > 1:
        ax.legend(fontsize=8, frameon=False)
    return _png(fig)


def _period_ticks(ax, labels: list[str], most: int = 12) -> None:
    step = max(1, int(np.ceil(len(labels) / most)))
    ticks = np.arange(0, len(labels), step)
    ax.set_xticks(ticks, [labels[i] for i in ticks], rotation=30, ha="right", fontsize=8)


def group_chart(table: pd.DataFrame) -> bytes:
    """PNG of :meth:`SearchResult.by_group`: hits per 10,000 tokens per group (articles
    per group without a query), the :data:`MAX_GROUPS` groups with most hits."""
    setup()
    group = table.columns[0]
    value = "per_10k" if table["per_10k"].notna().any() else "hits"
    names = list(dict.fromkeys(table[group]))[:MAX_GROUPS]
    wide = table.pivot_table(index=group, columns="term", values=value, sort=False)
    wide = wide.reindex(index=names[::-1], columns=list(dict.fromkeys(table["term"])))
    height = 1.2 + 0.28 * len(names) * max(1, min(wide.shape[1], 3))
    fig, ax = plt.subplots(figsize=(8, min(height, 9)), layout="constrained")
    styles = series_styles(wide.shape[1], kind="area")
    bar = 0.8 / max(wide.shape[1], 1)
    y = np.arange(len(wide))
    for k, ((term, values), style) in enumerate(zip(wide.items(), styles, strict=True)):
        ax.barh(y + k * bar, values.fillna(0).to_numpy(), height=bar, label=str(term), **style)
    ax.set_yticks(y + bar * (wide.shape[1] - 1) / 2, [str(n)[:16] for n in wide.index])
    ax.set_xlabel("每万词出现次数" if value == "per_10k" else "文章数")
    if wide.shape[1] > 1:
        ax.legend(fontsize=8, frameon=False)
    return _png(fig)


def article_html(article: dict) -> str:
    """One article from :meth:`~analysis.methods.search.CorpusSearch.read`: its text with
    the hits marked, then its keywords, entities and themes."""
    facts = [f"日期：{article['date']}" if isinstance(article["date"], str) else "日期：未知"]
    facts.append(f"命中：{article['hits']} 处")
    entities = article["entities"]
    kinds = {"person": "人物", "place": "地点", "organisation": "机构"}
    lines = [
        f"<b>关键词</b>：{html.escape('、'.join(article['keywords'])) or '（无）'}",
        *(
            f"<b>{name}</b>：{html.escape('、'.join(entities[entities['kind'] == kind]['term']))}"
            for kind, name in kinds.items()
            if (entities["kind"] == kind).any()
        ),
    ]
    if article["themes"]:
        themes = "；".join(f"{html.escape(n)}（{s:.0%}）" for n, s in article["themes"])
        lines.append(f"<b>主题</b>：{themes}")
    if entities.attrs.get("alone"):
        lines.append(
            '<span class="analysis-note">人物、地点、机构：仅由本文标注（LAC），未经全库核对</span>'
        )
    return (
        f'{_STYLE}<div class="analysis-article">'
        f'<div class="analysis-note">{html.escape(" · ".join(facts))} · '
        f"id {html.escape(str(article['id']))}</div>"
        f"{article['html']}<hr>{'<br>'.join(lines)}</div>"
    )


def snapshot(result: SearchResult, *, group_column: str | None = None, lines: int = 15) -> list:
    """The explorer's views of ``result`` as IPython display objects, for a rendered
    notebook: :data:`LIVE_NOTE`, the count and the matching articles, then the trend
    (when dated) and the groups (``group_column``) as PNG images, the KWIC lines, the
    collocates and the keywords as HTML tables. A view this input cannot give says why."""
    from IPython.display import HTML, Image

    term = result.query.text
    out: list = [
        HTML(
            f'<p class="analysis-note">{html.escape(LIVE_NOTE.format(term=term))}</p>'
            f"<p><b>{html.escape(status_line(result))}</b></p>"
            + table_html(result.articles(size=10))  # with the style sheet, once
        )
    ]

    def table(frame: pd.DataFrame, **options) -> HTML:  # the style sheet is in the first
        return HTML(table_html(frame, styled=False, **options))

    views = [
        ("时间趋势", lambda: Image(trend_chart(result.trend()))),
        (
            f"按 {group_column} 分组",
            lambda: Image(group_chart(result.by_group(group_column))) if group_column else None,
        ),
        ("KWIC（按右侧语境排序）", lambda: table(result.kwic("right", limit=lines), kwic=True)),
        ("搭配词（G²）", lambda: table(result.collocates(top=15))),
        ("关键词（匹配文章对其余文章）", lambda: table(result.keywords(15)[KEYNESS_COLUMNS])),
    ]
    for title, view in views:
        try:
            shown = view()
        except AnalysisError as exc:
            shown = HTML(f'<p class="analysis-note">{html.escape(str(exc))}</p>')
        if shown is not None:
            out += [HTML(f"<h4>{html.escape(title)}</h4>"), shown]
    return out


#: The columns of the keywords of the matching articles that the explorer shows.
KEYNESS_COLUMNS = ["term", "n_target", "n_reference", "g2", "log_ratio"]
