"""Two groups compared term by term, drawn: the scattertext-style chart, the comparison
cloud and a self-contained HTML page (:func:`analysis.methods.compare.compare_groups`
makes the table they read)."""

from __future__ import annotations

import html
import json
import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from analysis.errors import NotEnoughDataError
from analysis.methods.compare import COLOR_A, COLOR_B, _check_sides, _key_terms
from analysis.methods.keywords import G2_THRESHOLD
from analysis.output.plots import _axes, _checked

__all__ = ["HTML_MAX_POINTS", "comparison_cloud", "comparison_html", "comparison_plot"]


#: Terms drawn in :func:`comparison_html`: the most frequent ones (both groups together).
HTML_MAX_POINTS = 2000


# coolwarm's middle is light grey, so terms used alike in both groups stay visible on white
_CMAP = "coolwarm"


# Terms with equal counts share a percentile; a fixed jitter keeps them from hiding each
# other (scattertext jitters too). In units of the 0-1 axes.
_JITTER = 0.006


def _norm(log_ratio: np.ndarray):
    """A diverging norm centred at 0, saturating at the 95th percentile of |log ratio|
    (at least 1), so the few terms absent from one side do not wash out the rest."""
    from matplotlib.colors import CenteredNorm

    values = np.abs(np.asarray(log_ratio, dtype=float))
    half = max(float(np.quantile(values, 0.95)) if values.size else 1.0, 1.0)
    return CenteredNorm(vcenter=0.0, halfrange=half)


def _jitter(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.uniform(-_JITTER, _JITTER, n), rng.uniform(-_JITTER, _JITTER, n)


def _text_width(text: str) -> float:
    """Width of ``text`` in ems: CJK and full-width characters 1, others at most 0.7."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.7 for c in text)


def _place_labels(
    points: np.ndarray,
    texts: Sequence[str],
    *,
    size: float,
    bounds: tuple[float, float, float, float],
    steps: int = 4,
) -> list[tuple[int, float, float, str]]:
    """Greedy label placement: for each point in order (most important first), the first
    position (right of the point, left of it, then right and left shifted up and down by
    one to ``steps`` line heights, then all these again farther out) whose box (text
    width estimated, height 1.15 ``size``) overlaps no label placed yet and no labelled point
    and stays inside ``bounds`` (x0, y0, x1, y1); labels that fit nowhere are dropped.
    Any unit (points, pixels). Returns (index, dx, dy, ha), ha "left" (the text starts
    right of the point) or "right"; a label away from its point needs a leader line.

    >>> pts = np.array([[30.0, 50.0], [40.0, 50.0]])
    >>> _place_labels(pts, ["比赛", "球队"], size=10, bounds=(0, 0, 100, 100))
    [(0, -3.0, 0.0, 'right'), (1, 3.0, 0.0, 'left')]
    """
    gap, pad, dot = size * 0.3, size * 0.15, size * 0.2
    line = size * 1.15  # a CJK line is a little taller than the font size
    x0b, y0b, x1b, y1b = bounds
    boxes = [(x - dot, y - dot, x + dot, y + dot) for x, y in points]
    candidates = [
        (sign * reach, float(shift * line), "left" if sign > 0 else "right")
        for reach in (gap, gap + 1.5 * size)
        for step in range(steps + 1)
        for sign in (1, -1)
        for shift in ((0,) if step == 0 else (step, -step))
    ]
    placed: list[tuple[int, float, float, str]] = []
    for i, ((x, y), text) in enumerate(zip(points, texts, strict=True)):
        width = _text_width(text) * size
        for dx, dy, ha in candidates:
            left = x + dx if ha == "left" else x + dx - width
            box = (left - pad, y + dy - line / 2, left + width + pad, y + dy + line / 2)
            inside = box[0] >= x0b and box[1] >= y0b and box[2] <= x1b and box[3] <= y1b
            if inside and not any(_overlap(box, other) for j, other in enumerate(boxes) if j != i):
                boxes.append(box)
                placed.append((i, float(dx), dy, ha))
                break
    return placed


def _overlap(p: tuple[float, ...], q: tuple[float, ...]) -> bool:
    return p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]


def _labelled(table: pd.DataFrame, a: str, b: str, n: int) -> pd.DataFrame:
    """Up to ``n`` key terms of each side, the strongest of both first."""
    rows = pd.concat([_key_terms(table, a, n), _key_terms(table, b, n)])
    order = np.lexsort((rows["term"].to_numpy(), -rows["g2"].abs().to_numpy()))
    return rows.iloc[order]


def comparison_plot(
    table: pd.DataFrame, *, a: str, b: str, ax: Axes | None = None, n_labels: int = 15
) -> Axes:
    """Scatter of a :func:`compare_groups` table as scattertext draws it: every term at
    (frequency percentile in ``a``, frequency percentile in ``b``), slightly jittered so
    that equal counts do not hide each other, coloured by log ratio (red: more frequent in
    ``a``, blue: in ``b``); the ``n_labels`` most key terms (largest |G²|) of each side
    labelled where a label fits without overlapping another. Terms on the diagonal are as
    frequent, relatively, in both groups. The labelled terms are kept as
    ``ax.comparison_labels``.
    """
    from matplotlib.cm import ScalarMappable

    _check_sides(table, a, b)
    if table.empty:
        raise NotEnoughDataError("nothing to plot: the comparison table has no terms")
    ax = _axes(ax, (7, 6.5))
    xlabel, ylabel = f"{a}中的词频百分位", f"{b}中的词频百分位"
    bar_label = f"log2 比值(正值:{a}更常用,负值:{b}更常用)"
    _checked(xlabel, ylabel, bar_label)
    jx, jy = _jitter(len(table))
    x = table["percentile_a"].to_numpy() + jx
    y = table["percentile_b"].to_numpy() + jy
    norm = _norm(table["log_ratio"])
    keyed = table["side"].notna().to_numpy()
    ax.plot([0, 1], [0, 1], color="0.6", linewidth=0.8, linestyle="--", zorder=1)
    for selected, size, alpha in ((~keyed, 6, 0.5), (keyed, 14, 0.85)):
        ax.scatter(
            x[selected],
            y[selected],
            c=table["log_ratio"].to_numpy()[selected],
            cmap=_CMAP,
            norm=norm,
            s=size,
            alpha=alpha,
            linewidths=0,
            zorder=2,
        )
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.03, 1.03)
    ax.set_aspect("equal")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.figure.colorbar(ScalarMappable(norm, _CMAP), ax=ax, shrink=0.8, label=bar_label)
    labels = _labelled(table, a, b, n_labels)
    _checked(labels["term"])
    ax.comparison_labels = _annotate(ax, labels, x, y, table)
    return ax


def _annotate(
    ax: Axes, labels: pd.DataFrame, x: np.ndarray, y: np.ndarray, table: pd.DataFrame
) -> list[str]:
    fontsize = 8.0
    position = {term: i for i, term in enumerate(table["term"])}
    rows = [position[t] for t in labels["term"]]
    # the final axes position (constrained layout, equal aspect) is known only after a
    # layout pass; then work in display points (y up), the unit of annotate's offsets
    ax.figure.draw_without_rendering()
    scale = 72.0 / ax.figure.dpi
    pts = ax.transData.transform(np.column_stack([x[rows], y[rows]])) * scale
    corners = ax.transData.transform([(-0.03, -0.03), (1.03, 1.03)]) * scale
    placed = _place_labels(
        pts, labels["term"].tolist(), size=fontsize, bounds=(*corners[0], *corners[1])
    )
    for i, dx, dy, ha in placed:
        ax.annotate(
            labels["term"].iat[i],
            (x[rows[i]], y[rows[i]]),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va="center",
            fontsize=fontsize,
            color=COLOR_A if labels["g2"].iat[i] > 0 else COLOR_B,
            zorder=3,
            arrowprops={"arrowstyle": "-", "color": "0.55", "linewidth": 0.5, "shrinkA": 1}
            if dy or abs(dx) > fontsize
            else None,
        )
    return [labels["term"].iat[i] for i, *_ in placed]


def comparison_cloud(
    table: pd.DataFrame, *, a: str, b: str, ax: Axes | None = None, max_words: int = 80
) -> Axes:
    """A comparison word cloud of a :func:`compare_groups` table: the key terms of both
    sides (``side``), each sized by its |G²| (the strength of the evidence), red for
    ``a`` and blue for ``b`` as the legend says. Each side gets half of ``max_words``,
    and a side with fewer key terms leaves its share to the other. The words laid out
    are kept as ``ax.cloud_words`` and their colours as ``ax.cloud_colors``.
    """
    from wordcloud import WordCloud

    from analysis.output.fonts import chinese_font
    from analysis.output.plots import _axes, _checked

    _check_sides(table, a, b)
    rows_a, rows_b = _key_terms(table, a, None), _key_terms(table, b, None)
    if rows_a.empty and rows_b.empty:
        raise NotEnoughDataError(
            f"no key term on either side of {a} vs {b} (G² ≥ {G2_THRESHOLD} and a log ratio "
            "of at least 1): the groups may be too small or too alike; compare larger groups"
        )
    n_a = min(len(rows_a), max(math.ceil(max_words / 2), max_words - len(rows_b)))
    n_b = min(len(rows_b), max_words - n_a)
    chosen = pd.concat([rows_a.head(n_a), rows_b.head(n_b)])
    weights = dict(zip(chosen["term"], chosen["g2"].abs(), strict=True))
    colors = {
        t: COLOR_A if g > 0 else COLOR_B for t, g in zip(chosen["term"], chosen["g2"], strict=True)
    }
    ax = _axes(ax, (7, 4.5))
    _checked(weights, a, b)
    cloud = WordCloud(
        font_path=str(chinese_font().path),
        width=900,
        height=560,
        background_color="white",
        max_words=len(weights),
        random_state=0,
        prefer_horizontal=1.0,
        collocations=False,
        color_func=lambda word, **_: colors[word],
    ).generate_from_frequencies(weights)
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    ax.legend(
        handles=[Patch(color=COLOR_A, label=a), Patch(color=COLOR_B, label=b)],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=2,
        frameon=False,
    )
    ax.cloud_words = [item[0][0] for item in cloud.layout_]
    ax.cloud_colors = {item[0][0]: item[4] for item in cloud.layout_}
    return ax


_SVG_SIZE, _MARGIN = 640, 56


_STYLE = """
body{font-family:"@@FAMILY@@","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:1.5em;color:#222}
h1{font-size:1.3em}p.note{color:#555;max-width:60em}input{font:inherit}
.wrap{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}
svg{width:640px;max-width:100%;height:auto;border:1px solid #ddd}
#points circle{cursor:pointer;stroke:none}#points circle.key{stroke:#fff;stroke-width:.6}
#points circle.hit{stroke:#000;stroke-width:2;r:6px}
#points circle.on{stroke:#000;stroke-width:2}
#info{min-width:16em;border:1px solid #ddd;padding:.8em;line-height:1.6}
#info strong{font-size:1.3em}
.axis{font-size:12px;fill:#333}.tick{font-size:10px;fill:#666}.lab{font-size:11px}
"""


_SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById("data").textContent);
  var rows = data.terms;
  var dots = Array.prototype.slice.call(document.querySelectorAll("#points circle"));
  var info = document.getElementById("info");
  var box = document.getElementById("q");
  var found = document.getElementById("found");
  var current = null;
  function per10k(n, total) { return (n / total * 10000).toFixed(2); }
  function show(i) {
    var r = rows[i];
    var lines = [r[0],
      data.a + ":" + r[1] + " 次,每万词 " + per10k(r[1], data.total_a),
      data.b + ":" + r[2] + " 次,每万词 " + per10k(r[2], data.total_b),
      "G²:" + r[3], "log2 比值:" + r[4]];
    info.textContent = "";
    lines.forEach(function (text, k) {
      var el = document.createElement(k ? "div" : "strong");
      el.textContent = text;
      info.appendChild(el);
    });
    if (current !== null) { dots[current].classList.remove("on"); }
    current = i;
    dots[i].classList.add("on");
  }
  dots.forEach(function (dot, i) {
    dot.addEventListener("mouseenter", function () { show(i); });
    dot.addEventListener("click", function () { show(i); });
  });
  box.addEventListener("input", function () {
    var query = box.value.trim();
    var hits = 0, best = -1;
    dots.forEach(function (dot, i) {
      var hit = query !== "" && rows[i][0].indexOf(query) >= 0;
      dot.classList.toggle("hit", hit);
      if (hit) {
        hits += 1;
        dot.parentNode.appendChild(dot);
        if (best < 0 || rows[i][0] === query) { best = i; }
      }
    });
    found.textContent = query === "" ? "" : hits + " 个词";
    if (best >= 0) { show(best); }
  });
})();
"""


def comparison_html(
    table: pd.DataFrame, *, a: str, b: str, path: str | Path, title: str | None = None
) -> Path:
    """Write the scatter of a :func:`compare_groups` table as one self-contained HTML
    file (inline SVG, inline JavaScript, no network, the Chinese font embedded for the
    characters it shows) and return its path.

    Every term is a point at (percentile in ``a``, percentile in ``b``) coloured by log
    ratio; hovering or clicking shows its counts and rate per 10,000 words in both
    groups, G² and log ratio; the search box highlights the terms containing what is
    typed. The :data:`HTML_MAX_POINTS` most frequent terms (both groups together) are
    drawn, as the page says. The bytes depend only on the table: no timestamp, points in
    a fixed order, all text escaped.
    """
    _check_sides(table, a, b)
    if table.empty:
        raise NotEnoughDataError("nothing to draw: the comparison table has no terms")
    total = (table["n_a"] + table["n_b"]).to_numpy()
    order = np.lexsort((table["term"].to_numpy(), -total))[:HTML_MAX_POINTS]
    jx, jy = _jitter(len(table))
    shown = table.iloc[order].assign(_x=jx[order], _y=jy[order])
    # strongest last, so that key terms are drawn on top
    shown = shown.iloc[np.lexsort((shown["term"].to_numpy(), shown["g2"].abs().to_numpy()))]
    title = title or f"{a}与{b}的用词比较"
    body = [
        f"<h1>{_esc(title)}</h1>",
        _note(table, shown, a, b),
        '<p><input id="q" type="search" placeholder="查找词语" aria-label="查找词语"> '
        '<span id="found"></span></p>',
        '<div class="wrap">',
        _svg(table, shown, a, b),
        '<div id="info">把鼠标移到一个点上,或点击它,查看该词的数据。</div>',
        "</div>",
        '<script type="application/json" id="data">' + _data_json(table, shown, a, b) + "</script>",
        "<script>" + _SCRIPT + "</script>",
        "</body>",
        "</html>",
        "",
    ]
    # the font holds every character beyond ASCII the page can show, the data's included
    body.insert(0, _page_head(title, "".join(body)))
    from analysis.files import atomic_path

    path = Path(path)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(body))
    return path


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _page_head(title: str, shown: str) -> str:
    """The page's head, with the Chinese font cut down to the characters of ``shown``
    beyond ASCII embedded (a reader without CJK fonts would see boxes)."""
    from analysis.output.fonts import EMBEDDED_FAMILY, font_face_css

    font = font_face_css(title + shown, latin=False)
    style = _STYLE.replace("@@FAMILY@@", EMBEDDED_FAMILY)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(title)}</title>\n<style>{font}{style}</style>\n</head>\n<body>"
    )


def _note(table: pd.DataFrame, shown: pd.DataFrame, a: str, b: str) -> str:
    n_key_a = int((table["side"] == a).sum())
    n_key_b = int((table["side"] == b).sum())
    cap = (
        f"图中是全部 {len(table):,} 个词中两组合计最常见的 {len(shown):,} 个。"
        if len(shown) < len(table)
        else f"图中是全部 {len(table):,} 个词。"
    )
    return (
        f'<p class="note">横轴:词在{_esc(a)}中的词频百分位,纵轴:在{_esc(b)}中的词频百分位'
        "(按出现次数的密集排名缩放到 0–1;点有轻微抖动)。颜色:log2 比值,"
        f'<span style="color:{COLOR_A}">红色</span>为{_esc(a)}更常用,'
        f'<span style="color:{COLOR_B}">蓝色</span>为{_esc(b)}更常用;'
        f"对角线上的词在两组中同样常用。关键词(G² ≥ {G2_THRESHOLD}、log2 比值 ≥ 1):"
        f"{_esc(a)} {n_key_a:,} 个,{_esc(b)} {n_key_b:,} 个,以描边的大点表示。{cap}</p>"
    )


def _svg(table: pd.DataFrame, shown: pd.DataFrame, a: str, b: str) -> str:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    size, m = _SVG_SIZE, _MARGIN
    span = size - 2 * m

    def sx(v: float) -> float:
        return m + (v + 0.03) / 1.06 * span

    def sy(v: float) -> float:
        return size - m - (v + 0.03) / 1.06 * span

    cmap, norm = colormaps[_CMAP], _norm(table["log_ratio"])
    parts = [
        f'<svg id="plot" viewBox="0 0 {size} {size}" '
        f'role="img" aria-label="{_esc(a)}与{_esc(b)}的词频散点图">',
        f'<rect x="{m}" y="{m}" width="{span}" height="{span}" fill="#fafafa" stroke="#ccc"/>',
        f'<line x1="{sx(0):.1f}" y1="{sy(0):.1f}" x2="{sx(1):.1f}" y2="{sy(1):.1f}" '
        'stroke="#999" stroke-dasharray="4 3"/>',
    ]
    for v in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<text class="tick" x="{sx(v):.1f}" y="{size - m + 14}" text-anchor="middle">'
            f"{v:g}</text>"
            f'<text class="tick" x="{m - 6}" y="{sy(v):.1f}" text-anchor="end" '
            f'dominant-baseline="central">{v:g}</text>'
        )
    parts.append(
        f'<text class="axis" x="{size / 2:.0f}" y="{size - m + 34}" text-anchor="middle">'
        f"{_esc(a)}中的词频百分位 →</text>"
        f'<text class="axis" transform="translate({m - 34} {size / 2:.0f}) rotate(-90)" '
        f'text-anchor="middle">{_esc(b)}中的词频百分位 →</text>'
    )
    parts.append('<g id="points">')
    x = (shown["percentile_a"] + shown["_x"]).map(sx).to_numpy()
    y = (shown["percentile_b"] + shown["_y"]).map(sy).to_numpy()
    colors = [to_hex(c) for c in cmap(norm(shown["log_ratio"].to_numpy()))]
    for term, side, cx, cy, color in zip(shown["term"], shown["side"], x, y, colors, strict=True):
        attrs = ' class="key" r="4"' if side is not None else ' r="2.5" fill-opacity="0.6"'
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}"{attrs} fill="{color}">'
            f"<title>{_esc(term)}</title></circle>"
        )
    parts.append("</g>")
    parts.append(_svg_labels(shown, a, b, x, y))
    parts.append("</svg>")
    return "\n".join(parts)


def _svg_labels(shown: pd.DataFrame, a: str, b: str, x: np.ndarray, y: np.ndarray) -> str:
    labels = _labelled(shown, a, b, 10)
    position = {term: i for i, term in enumerate(shown["term"])}
    rows = [position[t] for t in labels["term"]]
    m = _MARGIN
    placed = _place_labels(
        np.column_stack([x[rows], y[rows]]),
        labels["term"].tolist(),
        size=11.0,
        bounds=(m, m, _SVG_SIZE - m, _SVG_SIZE - m),
    )
    parts = ['<g id="labels" pointer-events="none">']
    for i, dx, dy, ha in placed:
        color = COLOR_A if labels["g2"].iat[i] > 0 else COLOR_B
        anchor = "start" if ha == "left" else "end"
        px, py = x[rows[i]], y[rows[i]]
        if dy or abs(dx) > 11.0:
            parts.append(
                f'<line x1="{px:.1f}" y1="{py:.1f}" x2="{px + dx:.1f}" y2="{py + dy:.1f}" '
                'stroke="#999" stroke-width="0.6"/>'
            )
        parts.append(
            f'<text class="lab" x="{px + dx:.1f}" y="{py + dy:.1f}" '
            f'text-anchor="{anchor}" dominant-baseline="central" fill="{color}">'
            f"{_esc(labels['term'].iat[i])}</text>"
        )
    parts.append("</g>")
    return "\n".join(parts)


def _data_json(table: pd.DataFrame, shown: pd.DataFrame, a: str, b: str) -> str:
    """The points' data for the script, safe inside <script>: every < > & escaped."""
    data = {
        "a": a,
        "b": b,
        "total_a": _total(table, "a"),
        "total_b": _total(table, "b"),
        "terms": [
            [term, int(n_a), int(n_b), _round(g2), _round(lr)]
            for term, n_a, n_b, g2, lr in zip(
                shown["term"],
                shown["n_a"],
                shown["n_b"],
                shown["g2"],
                shown["log_ratio"],
                strict=True,
            )
        ],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _round(value: float) -> float:
    return round(float(value), 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def _total(table: pd.DataFrame, side: str) -> int:
    """Tokens in the group, recovered from any term's count and rate per 10,000."""
    rows = table[table[f"n_{side}"] > 0]
    if rows.empty:
        return 0
    row = rows.iloc[0]
    return round(row[f"n_{side}"] / row[f"per_10k_{side}"] * 10_000)
