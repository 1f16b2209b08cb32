"""An offline, interactive view of a fitted topic model, in the spirit of LDAvis
(Sievert & Shirley 2014), as one self-contained HTML page.

- **Left**, the inter-topic map: each topic a circle, placed by classical
  multidimensional scaling (principal coordinate analysis) of the Jensen–Shannon
  divergences between the topics' word distributions (as LDAvis does), its area
  proportional to the topic's share (its mean share in the articles).
- **Right**, the selected topic's top terms by relevance
  r(w, t) = λ·log φ(t, w) + (1 − λ)·log(φ(t, w) / p(w)), with a λ slider (default 0.6,
  Sievert & Shirley's suggestion). The red bar is the term's estimated frequency within
  the topic (share_t · φ(t, w)), the grey bar its overall frequency p(w), the topics'
  mixture Σ_t share_t · φ(t, w). With no topic selected, the corpus's most salient terms
  (Chuang, Manning & Heer 2012: p(w) times the Kullback–Leibler divergence of P(t | w)
  from P(t)).
- Each topic's share and NPMI coherence, and (given the titles) the titles of the five
  articles with the highest share of it.

The page loads nothing: no scripts, styles, fonts or images from anywhere, and a
Content-Security-Policy says so to the browser. Its script is plain JavaScript written
here; the data sits in a ``<script type="application/json">`` block with ``<``, ``>`` and
``&`` escaped, and the script builds the page with ``textContent`` only. Chinese shows
on a machine without CJK fonts: the page embeds a subset of the package's Chinese font
(:func:`analysis.output.fonts.font_face_css`) holding exactly the characters of the page.

Only the terms the page can show are embedded: for each topic, the union of its top 30
terms by relevance at every λ the slider can reach (0, 0.01, …, 1), so the top 20 the
page ranks at any λ are exactly those of the whole vocabulary; and the most salient
terms. The same topics give the same bytes.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.errors import NotEnoughDataError, OptionError
from analysis.files import atomic_path
from analysis.methods.topics import Topics
from analysis.output.fonts import EMBEDDED_FAMILY, font_face_css

# the subset cache, named here for tests that clear it (tests/test_topic_view.py)
from analysis.output.fonts import _font_subset as _font_subset

__all__ = [
    "BARS",
    "FONT_FAMILY",
    "LAMBDA",
    "STEPS",
    "ranked_terms",
    "topic_view_data",
    "topic_view_frame",
    "topic_view_html",
    "write_topic_view",
]

#: Default relevance weight λ (Sievert & Shirley 2014).
LAMBDA = 0.6
#: The slider's positions: λ = i / STEPS for i = 0 … STEPS.
STEPS = 100
#: Terms shown as bars.
BARS = 20
#: Terms kept per topic and λ (a margin over BARS).
CANDIDATES = 30
#: Articles listed per topic.
ARTICLES = 5
#: The CSS family name of the embedded font (:func:`analysis.output.fonts.font_face_css`).
FONT_FAMILY = EMBEDDED_FAMILY

_PLACEHOLDER = re.compile(r"@@([A-Z]+)@@")

MODEL_NAMES = {
    "lda": "LDA (latent Dirichlet allocation)",
    "nmf": "NMF (non-negative matrix factorization of TF-IDF)",
}


def _checked(topics: Topics) -> np.ndarray:
    """The topic-word distributions of ``topics`` (rows renormalized), checked."""
    phi = np.asarray(topics.topic_words, dtype=np.float64)
    vocabulary = len(topics.vocabulary)
    if phi.ndim != 2 or phi.shape[0] != topics.k or phi.shape[1] != vocabulary or not vocabulary:
        raise NotEnoughDataError(
            f"these {topics.model} topics have no topic-word distributions over their "
            f"vocabulary (topic_words {phi.shape}, {vocabulary} words); refit them with "
            "fit_topics to draw a topic view"
        )
    if not np.isfinite(phi).all() or (phi < 0).any():
        raise NotEnoughDataError("topic_words holds negative or non-finite values")
    sums = phi.sum(axis=1, keepdims=True)
    return np.divide(phi, sums, out=np.zeros_like(phi), where=sums > 0)


def _shares(topics: Topics) -> np.ndarray:
    """Each topic's mean share in the articles (equal shares when there are none)."""
    shares = np.asarray(topics.doc_topics, dtype=np.float64)
    if shares.ndim != 2 or not len(shares) or shares.shape[1] != topics.k:
        return np.full(topics.k, 1.0 / topics.k)
    mean = np.nan_to_num(shares.mean(axis=0))
    total = mean.sum()
    return mean / total if total > 0 else np.full(topics.k, 1.0 / topics.k)


def _kl(x: np.ndarray, m: np.ndarray) -> float:
    keep = x > 0
    return float(np.sum(x[keep] * np.log(x[keep] / m[keep])))


def _jensen_shannon(phi: np.ndarray) -> np.ndarray:
    """Jensen–Shannon divergence (natural log) between every pair of rows."""
    k = len(phi)
    out = np.zeros((k, k))
    for a in range(k):
        for b in range(a + 1, k):
            m = (phi[a] + phi[b]) / 2
            out[a, b] = out[b, a] = 0.5 * (_kl(phi[a], m) + _kl(phi[b], m))
    return out


def _pcoa(distances: np.ndarray) -> np.ndarray:
    """Classical multidimensional scaling (R's ``cmdscale``, as LDAvis uses it) into two
    dimensions; each axis turned so that its largest coordinate is positive."""
    k = len(distances)
    coords = np.zeros((k, 2))
    if k < 2:
        return coords
    center = np.eye(k) - 1.0 / k
    b = -0.5 * center @ (distances**2) @ center
    values, vectors = np.linalg.eigh((b + b.T) / 2)
    order = np.argsort(-values, kind="stable")[:2]
    found = vectors[:, order] * np.sqrt(np.clip(values[order], 0, None))
    coords[:, : found.shape[1]] = found
    for axis in range(2):
        if coords[np.argmax(np.abs(coords[:, axis])), axis] < 0:
            coords[:, axis] *= -1
    return coords


def _saliency(phi: np.ndarray, shares: np.ndarray, p: np.ndarray) -> np.ndarray:
    """p(w) · KL(P(t | w) ‖ P(t)) (Chuang, Manning & Heer 2012)."""
    joint = shares[:, None] * phi
    given = np.divide(joint, p, out=np.zeros_like(joint), where=p > 0)
    ratio = np.divide(given, shares[:, None], out=np.ones_like(given), where=given > 0)
    return p * np.sum(given * np.log(ratio), axis=0)


def _top(values: np.ndarray, rank: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` largest ``values``, ties to the lower ``rank``."""
    if len(values) > n:
        cut = np.partition(values, len(values) - n)[len(values) - n]
        keep = np.flatnonzero(values >= cut)
    else:
        keep = np.arange(len(values))
    return keep[np.lexsort((rank[keep], -values[keep]))][:n]


def _candidates(lp: np.ndarray, ll: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Positions of the terms among the top CANDIDATES by relevance at any slider λ, the
    relevance computed exactly as the page's script computes it."""
    found: set[int] = set()
    for step in range(STEPS + 1):
        lam = step / STEPS
        found.update(_top(lam * lp + (1 - lam) * ll, rank, CANDIDATES).tolist())
    return np.array(sorted(found), dtype=np.int64)


def _number(value: float, digits: int = 6) -> float | None:
    """A float with ``digits`` significant digits for the page (None when not finite)."""
    value = float(value)
    return float(f"{value:.{digits}g}") if np.isfinite(value) else None


def _article_titles(titles: Sequence[object] | None, n: int) -> list[str] | None:
    if titles is None:
        return None
    titles = list(titles)
    if len(titles) != n:
        raise OptionError(f"titles: {len(titles)} given for {n} articles; give one per article")
    out = []
    for i, title in enumerate(titles):
        text = "" if title is None or (isinstance(title, float) and np.isnan(title)) else title
        out.append(str(text).strip() or f"Article {i + 1}")
    return out


def _top_articles(shares: np.ndarray, titles: list[str] | None, t: int) -> list[list]:
    if titles is None or not len(shares):
        return []
    column = shares[:, t]
    order = np.lexsort((np.arange(len(column)), -column))[:ARTICLES]
    return [[titles[i], round(float(column[i]), 4)] for i in order]


def _terms_and_ranks(phi: np.ndarray, shares: np.ndarray):
    """p(w), the logs the relevance is computed from, and each word's rank (by p, then
    by vocabulary order) that breaks ties."""
    weights = shares if (shares > 0).all() else (shares + 1e-9) / (shares + 1e-9).sum()
    p = weights @ phi
    with np.errstate(divide="ignore", invalid="ignore"):
        log_phi = np.log(phi)
        lp = np.round(log_phi, 6)
        ll = np.round(log_phi - np.log(p), 6)
    rank = np.empty(len(p), dtype=np.int64)
    rank[np.lexsort((np.arange(len(p)), -p))] = np.arange(len(p))
    return p, lp, ll, rank


def topic_view_data(
    topics: Topics, *, titles: Sequence[object] | None = None, title: str = "Topics"
) -> dict:
    """The data the page shows: ``terms`` (the words it can show, by overall frequency),
    ``p`` (their overall frequency), ``salient`` (indices of the most salient terms) and
    one entry per topic in ``topics``: ``id``, ``share``, ``npmi``, ``x`` / ``y`` (the
    inter-topic map), ``top`` (the model's top words), ``w`` / ``phi`` / ``lp`` / ``ll``
    (its candidate terms as indices into ``terms``, φ, log φ and log lift) and
    ``articles`` ([title, share] of the articles with most of it, given ``titles``)."""
    phi = _checked(topics)
    shares = _shares(topics)
    doc_topics = np.asarray(topics.doc_topics, dtype=np.float64).reshape(-1, topics.k)
    names = _article_titles(titles, len(doc_topics))
    p, lp, ll, rank = _terms_and_ranks(phi, shares)
    per_topic = []
    for t in range(topics.k):
        valid = np.flatnonzero(phi[t] > 0)
        per_topic.append(valid[_candidates(lp[t, valid], ll[t, valid], rank[valid])])
    salient = _top(_saliency(phi, shares, p), rank, BARS)
    used = np.unique(np.concatenate([salient, *per_topic]))
    used = used[np.argsort(rank[used], kind="stable")]
    index = {int(w): i for i, w in enumerate(used)}
    coords = np.round(_pcoa(_jensen_shannon(phi)), 6) + 0.0
    npmi = np.asarray(topics.npmi, dtype=np.float64)
    entries = []
    for t, words in enumerate(per_topic):
        words = sorted(words.tolist(), key=index.__getitem__)
        entries.append(
            {
                "id": t + 1,
                "share": round(float(shares[t]), 6),
                "npmi": _number(npmi[t], 4) if t < len(npmi) else None,
                "x": float(coords[t, 0]),
                "y": float(coords[t, 1]),
                "top": [str(w) for w in (topics.terms[t] if t < len(topics.terms) else [])],
                "w": [index[w] for w in words],
                "phi": [_number(phi[t, w]) for w in words],
                "lp": [float(lp[t, w]) for w in words],
                "ll": [float(ll[t, w]) for w in words],
                "articles": _top_articles(doc_topics, names, t),
            }
        )
    return {
        "title": str(title),
        "model": str(topics.model),
        "k": int(topics.k),
        "articles": len(doc_topics),
        "lambda": LAMBDA,
        "steps": STEPS,
        "bars": BARS,
        "terms": [str(topics.vocabulary[w]) for w in used],
        "p": [_number(p[w]) for w in used],
        "salient": [index[int(w)] for w in salient],
        "topics": entries,
    }


def ranked_terms(data: dict, topic: int, lam: float, n: int | None = None) -> list[str]:
    """The top ``n`` (``data["bars"]``) terms of topic number ``topic`` (0-based) at
    relevance weight ``lam``, ranked as the page's script ranks them."""
    entry = data["topics"][topic]
    scored = [
        (-(lam * lp + (1 - lam) * ll), w)
        for w, lp, ll in zip(entry["w"], entry["lp"], entry["ll"], strict=True)
    ]
    return [data["terms"][w] for _, w in sorted(scored)[: n or data["bars"]]]


def _json_for_script(data: dict) -> str:
    """``data`` as JSON that cannot end its ``<script>`` block or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _meta_line(data: dict, topics: Topics) -> str:
    model = MODEL_NAMES.get(data["model"], data["model"])
    npmi = np.asarray(topics.npmi, dtype=np.float64)
    coherence = f"{npmi.mean():.3f}" if len(npmi) and np.isfinite(npmi).all() else "–"
    return (
        f"{model} · k = {data['k']} topics · {data['articles']} articles · "
        f"mean NPMI coherence {coherence}"
    )


def topic_view_html(
    topics: Topics, *, titles: Sequence[object] | None = None, title: str = "Topics"
) -> str:
    """The topic view of ``topics`` as one self-contained HTML page (see the module
    docstring); ``titles`` (one per article, in the order of ``topics.doc_topics``) lists
    each topic's top articles."""
    data = topic_view_data(topics, titles=titles, title=title)
    about = _ABOUT
    if data["model"] == "nmf":
        about += _ABOUT_NMF
    parts = {
        "TITLE": html.escape(data["title"]),
        "META": html.escape(_meta_line(data, topics)),
        "ABOUT": about,
        "LAMBDA": str(round(LAMBDA * STEPS)),
        "STEPS": str(STEPS),
        "CSS": _CSS,
        "DATA": _json_for_script(data),
        "SCRIPT": _SCRIPT,
    }
    # the font holds every character of the page, data and script included
    shown = json.dumps(data, ensure_ascii=False)
    parts["FONT"] = font_face_css(_PAGE + "".join(parts.values()) + shown)
    # one pass over the template: a placeholder inside the data stays as it is
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _PAGE)


def topic_view_frame(topics: Topics, *, height: int = 1200, **kw):
    """The topic view for a notebook: an ``IPython.display.HTML`` holding the page in an
    iframe (its own document, so its script, styles and font stay inside it); keywords
    as :func:`topic_view_html`."""
    from IPython.display import HTML

    page = html.escape(topic_view_html(topics, **kw), quote=True)
    return HTML(  # in a div: IPython warns of an HTML that starts with <iframe
        f'<div><iframe srcdoc="{page}" title="Topic view" '
        f'style="width: 100%; height: {int(height)}px; border: 0"></iframe></div>'
    )


def write_topic_view(path: str | Path, topics: Topics, **kw) -> Path:
    """Write :func:`topic_view_html` of ``topics`` (keywords as there) to ``path``,
    whole or not at all; returns the path."""
    path = Path(path)
    text = topic_view_html(topics, **kw)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return path


_ABOUT = (
    "Each circle is a topic. Circles are placed by classical multidimensional scaling "
    "(principal coordinate analysis) of the Jensen–Shannon divergences between the "
    "topics' word distributions, so topics that use similar words lie close together; a "
    "circle's area is proportional to the topic's share (its mean share in the articles). "
    "Hover over a circle to preview a topic, click it (or pick it from the list) to select "
    "it, and click it again to clear the selection. The bars rank the selected topic's "
    "terms by relevance, λ·log P(term | topic) + (1 - λ)·log(P(term | topic) / P(term)): "
    "λ = 1 ranks by probability within the topic, a small λ favours terms specific to the "
    "topic (Sievert &amp; Shirley 2014 suggest λ = 0.6). The red bar is the term's "
    "estimated frequency within the topic (topic share · P(term | topic)), the grey bar "
    "its overall frequency in the corpus (the topics' mixture). With no topic selected, "
    "the bars show the corpus's most salient terms (Chuang, Manning &amp; Heer 2012). NPMI "
    "is a topic's coherence on the corpus, from -1 to 1: the higher, the more often its "
    "top words occur together in articles."
)
_ABOUT_NMF = (
    " For NMF, P(term | topic) is the topic's factor of the articles' TF-IDF scaled to sum "
    "to 1, so frequencies are shares of TF-IDF weight rather than of words."
)

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
style-src 'unsafe-inline'; script-src 'unsafe-inline'; font-src data:; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@TITLE@@</title>
<style>@@FONT@@
@@CSS@@</style>
</head>
<body>
<header>
<h1>@@TITLE@@</h1>
<p class="meta">@@META@@</p>
<p class="about">@@ABOUT@@</p>
</header>
<div class="controls">
<label>Topic <select id="topic-select"></select></label>
<button type="button" id="previous">Previous topic</button>
<button type="button" id="next">Next topic</button>
<button type="button" id="clear">Clear</button>
<label>Relevance <output id="lambda-value">λ = 0.60</output>
<input type="range" id="lambda" min="0" max="@@STEPS@@" step="1" value="@@LAMBDA@@"></label>
</div>
<main class="panels">
<figure>
<figcaption>Inter-topic distance map (PCoA of Jensen–Shannon divergences)</figcaption>
<svg id="map" viewBox="0 0 520 556" width="520" height="556" role="img"
 aria-label="Inter-topic distance map"></svg>
</figure>
<figure>
<figcaption id="bars-title">Most salient terms</figcaption>
<svg id="bars" lang="zh-Hans" viewBox="0 0 600 540" width="600" height="540" role="img"
 aria-label="Term bars"></svg>
<p class="legend"><span class="swatch overall"></span>Overall term frequency
<span class="swatch within"></span>Estimated term frequency within the selected topic</p>
</figure>
</main>
<section id="info" lang="zh-Hans" aria-live="polite"></section>
<table id="topics">
<caption>Topics: mean share in the articles, NPMI coherence, the model's top words</caption>
<thead><tr><th>Topic</th><th>Mean share</th><th>NPMI</th><th>Top words</th></tr></thead>
<tbody lang="zh-Hans"></tbody>
</table>
<script type="application/json" id="topic-data">@@DATA@@</script>
<script>
@@SCRIPT@@
</script>
</body>
</html>
"""

_CSS = (
    """
:root { --topic: #1f77b4; --chosen: #d62728; --overall: #bcc6cf; --within: #d62728; }
body { font-family: "@@FAMILY@@", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; margin: 1.2rem 1.6rem; color: #222; max-width: 1240px; }
h1 { font-size: 1.5rem; margin: 0 0 .2rem; }
h2 { font-size: 1.1rem; margin: .8rem 0 .3rem; }
h3 { font-size: .95rem; margin: .6rem 0 .2rem; }
.meta { color: #555; margin: 0 0 .5rem; }
.about { max-width: 76em; font-size: .88rem; line-height: 1.5; color: #333; margin: 0; }
.controls { display: flex; flex-wrap: wrap; gap: .6rem 1.2rem; align-items: center;
  margin: .9rem 0; font-size: .9rem; }
.controls input[type=range] { width: 14rem; vertical-align: middle; }
select, button { font: inherit; }
.panels { display: flex; flex-wrap: wrap; gap: 1.2rem; align-items: flex-start; }
figure { margin: 0; }
figcaption { font-weight: 600; font-size: .95rem; margin-bottom: .3rem; }
svg { font-family: inherit; display: block; }
#map .frame { fill: #fcfcfc; stroke: #ddd; }
#map .topic circle { fill: var(--topic); fill-opacity: .3; stroke: var(--topic);
  stroke-width: 1; cursor: pointer; }
#map .topic.chosen circle { fill: var(--chosen); stroke: var(--chosen); fill-opacity: .5; }
#map .topic.preview circle { stroke-width: 3; }
#map .topic:focus { outline: none; }
#map .topic:focus-visible circle { stroke-width: 3; stroke-dasharray: 4 2; }
#map .topic text { font-size: 13px; font-weight: 600; pointer-events: none; }
#map .axis { stroke: #bbb; stroke-dasharray: 4 3; }
#map .note, #bars .note { font-size: 11px; fill: #666; }
#map .key { fill: none; stroke: #999; }
#bars .overall { fill: var(--overall); }
#bars .within { fill: var(--within); }
#bars .term { font-size: 12px; }
#bars .tick line { stroke: #e2e2e2; }
#bars .tick text { font-size: 10px; fill: #666; }
.legend { font-size: .8rem; color: #555; margin: .2rem 0 0 150px; }
.swatch { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em;
  margin: 0 .3em 0 .8em; }
.swatch.overall { background: var(--overall); }
.swatch.within { background: var(--within); }
#info { font-size: .9rem; max-width: 76em; }
#info ol { margin: .2rem 0; padding-left: 1.6rem; }
.muted { color: #777; }
table { border-collapse: collapse; font-size: .85rem; margin-top: 1rem; }
caption { text-align: left; font-weight: 600; margin-bottom: .3rem; }
th, td { border-bottom: 1px solid #e4e4e4; padding: .25rem .6rem; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr { cursor: pointer; }
tbody tr.chosen { background: #fbe3e3; }
"""
).replace("@@FAMILY@@", FONT_FAMILY)

_SCRIPT = r"""
"use strict";
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const data = JSON.parse(document.getElementById("topic-data").textContent);
  const MAP = { size: 520, pad: 12 };
  const BAR = { w: 600, h: 540, left: 150, right: 24, top: 30, bottom: 6, label: 12 };
  const state = { chosen: -1, preview: -1, step: Math.round(data.lambda * data.steps) };
  const $ = (id) => document.getElementById(id);

  const svg = (name, attrs, text) => {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const tag = (name, text, cls) => {
    const node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };
  const clear = (node) => { while (node.firstChild) node.removeChild(node.firstChild); };
  const pct = (x, digits = 1) => (100 * x).toFixed(digits) + " %";
  const npmi = (x) => (x === null ? "–" : x.toFixed(3));
  const lambda = () => state.step / data.steps;
  const shown = () => (state.preview >= 0 ? state.preview : state.chosen);
  const short = (term) => (term.length > BAR.label ? term.slice(0, BAR.label - 1) + "…" : term);

  // a topic's candidate terms by relevance, ties to the more frequent term (as in Python)
  const ranked = (t, lam) => {
    const topic = data.topics[t];
    const rows = topic.w.map((w, i) => ({ w, phi: topic.phi[i],
      r: lam * topic.lp[i] + (1 - lam) * topic.ll[i] }));
    rows.sort((a, b) => (a.r > b.r ? -1 : a.r < b.r ? 1 : a.w - b.w));
    return rows.slice(0, data.bars);
  };

  // circle centres and radii: area proportional to share, one scale for both axes
  const places = () => {
    const half = MAP.size / 2, room = half - MAP.pad;
    const most = Math.max(1e-9, ...data.topics.map((t) => t.share));
    const scale = Math.min(Math.sqrt(0.15 * MAP.size * MAP.size / Math.PI),
      0.55 * room / Math.sqrt(most));
    const radius = data.topics.map((t) => scale * Math.sqrt(Math.max(t.share, 0)));
    const xs = data.topics.map((t) => t.x), ys = data.topics.map((t) => t.y);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
    const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
    let unit = Infinity;
    data.topics.forEach((t, i) => {
      for (const d of [t.x - cx, t.y - cy]) {
        if (Math.abs(d) > 1e-12) unit = Math.min(unit, (room - radius[i]) / Math.abs(d));
      }
    });
    if (!Number.isFinite(unit)) unit = 0;
    return { scale, spots: data.topics.map((t, i) => ({ x: half + unit * (t.x - cx),
      y: half - unit * (t.y - cy), r: radius[i] })) };
  };

  const drawMap = () => {
    const root = $("map"), half = MAP.size / 2, { scale, spots } = places();
    root.append(svg("rect", { x: 0.5, y: 0.5, width: MAP.size - 1, height: MAP.size - 1,
      class: "frame" }));
    root.append(svg("line", { x1: half, y1: 0, x2: half, y2: MAP.size, class: "axis" }));
    root.append(svg("line", { x1: 0, y1: half, x2: MAP.size, y2: half, class: "axis" }));
    root.append(svg("text", { x: MAP.size - 6, y: half - 6, "text-anchor": "end",
      class: "note" }, "PC1"));
    root.append(svg("text", { x: half + 6, y: 14, class: "note" }, "PC2"));
    const order = data.topics.map((_, i) => i).sort((a, b) => spots[b].r - spots[a].r || a - b);
    for (const i of order) {
      const topic = data.topics[i], spot = spots[i];
      const group = svg("g", { class: "topic", tabindex: 0, role: "button",
        "data-topic": i, "aria-label": "Topic " + topic.id });
      group.append(svg("circle", { cx: spot.x, cy: spot.y, r: Math.max(spot.r, 0.5) }));
      group.append(svg("text", { x: spot.x, y: spot.y, dy: "0.35em", "text-anchor": "middle" },
        String(topic.id)));
      group.append(svg("title", {}, `Topic ${topic.id}: mean share ${pct(topic.share)}, ` +
        `NPMI ${npmi(topic.npmi)}`));
      group.addEventListener("click", (event) => {
        event.stopPropagation();
        choose(state.chosen === i ? -1 : i);
      });
      group.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        choose(state.chosen === i ? -1 : i);
      });
      group.addEventListener("mouseenter", () => preview(i));
      group.addEventListener("mouseleave", () => preview(-1));
      root.append(group);
    }
    const r = scale * Math.sqrt(0.01), y = MAP.size + 18;
    root.append(svg("circle", { cx: 4 + r, cy: y, r, class: "key" }));
    root.append(svg("text", { x: 10 + 2 * r, y, dy: "0.35em", class: "note" },
      "circle area ∝ mean share in the articles; this circle: 1 %"));
    root.addEventListener("click", () => choose(-1));
  };

  const ticks = (root, most, width) => {
    const raw = most / 4, power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
    const digits = Math.max(0, -Math.floor(Math.log10(step * 100)));
    for (let v = 0; v <= most * (1 + 1e-9); v += step) {
      const x = BAR.left + width * v / most;
      const group = svg("g", { class: "tick" });
      group.append(svg("line", { x1: x, y1: BAR.top - 4, x2: x, y2: BAR.h - BAR.bottom }));
      group.append(svg("text", { x, y: BAR.top - 8, "text-anchor": "middle" },
        (100 * v).toFixed(digits) + "%"));
      root.append(group);
    }
  };

  const drawBars = () => {
    const root = $("bars"), t = shown(), lam = lambda();
    clear(root);
    let rows, caption;
    if (t < 0) {
      rows = data.salient.map((w) => ({ w, phi: null }));
      caption = `Top ${rows.length} most salient terms of the corpus`;
    } else {
      const topic = data.topics[t];
      rows = ranked(t, lam);
      caption = `Top ${rows.length} most relevant terms for topic ${topic.id} ` +
        `(mean share ${pct(topic.share)}), λ = ${lam.toFixed(2)}`;
    }
    $("bars-title").textContent = caption;
    const share = t < 0 ? 0 : data.topics[t].share;
    const most = Math.max(1e-12, ...rows.map((row) => data.p[row.w]));
    const width = BAR.w - BAR.left - BAR.right;
    const height = (BAR.h - BAR.top - BAR.bottom) / data.bars;
    ticks(root, most, width);
    rows.forEach((row, i) => {
      const term = data.terms[row.w], p = data.p[row.w];
      const group = svg("g", { class: "bar", transform: `translate(0,${BAR.top + i * height})` });
      group.append(svg("rect", { x: BAR.left, y: 1, height: height - 2,
        width: width * p / most, class: "overall" }));
      let tip = `${term}: overall ${pct(p, 2)}`;
      if (row.phi !== null) {
        group.append(svg("rect", { x: BAR.left, y: 1, height: height - 2,
          width: width * share * row.phi / most, class: "within" }));
        tip += `, within the topic ${pct(share * row.phi, 2)}; P(term | topic) = ` +
          `${row.phi.toPrecision(3)}, lift ${(row.phi / p).toPrecision(3)}`;
      }
      group.append(svg("text", { x: BAR.left - 6, y: height / 2, dy: "0.35em",
        "text-anchor": "end", class: "term", "data-term": term }, short(term)));
      group.append(svg("title", {}, tip));
      root.append(group);
    });
    if (!rows.length) {
      root.append(svg("text", { x: BAR.left, y: BAR.top + 20, class: "note" },
        "This topic gives no term any weight."));
    }
  };

  const drawInfo = () => {
    const box = $("info"), t = shown();
    clear(box);
    if (t < 0) {
      box.append(tag("p", "No topic selected: the bars show the corpus's most salient " +
        "terms. Click a circle or a row of the table to select a topic.", "muted"));
      return;
    }
    const topic = data.topics[t];
    box.append(tag("h2", `Topic ${topic.id}`));
    box.append(tag("p", `Mean share ${pct(topic.share)} · NPMI ${npmi(topic.npmi)} · ` +
      `the model's top words: ${topic.top.join("、")}`));
    if (!topic.articles.length) return;
    box.append(tag("h3", `Articles with the highest share of topic ${topic.id}`));
    const list = tag("ol");
    for (const [title, part] of topic.articles) {
      const item = tag("li", title);
      item.append(tag("span", ` (${pct(part, 0)} of the article)`, "muted"));
      list.append(item);
    }
    box.append(list);
  };

  const drawTable = () => {
    const body = document.querySelector("#topics tbody");
    data.topics.forEach((topic, i) => {
      const row = tag("tr");
      row.dataset.topic = String(i);
      row.append(tag("td", String(topic.id), "number"), tag("td", pct(topic.share), "number"),
        tag("td", npmi(topic.npmi), "number"), tag("td", topic.top.join(" ")));
      row.addEventListener("click", () => choose(state.chosen === i ? -1 : i));
      body.append(row);
    });
  };

  const drawSelect = () => {
    const select = $("topic-select");
    const none = tag("option", "None (salient terms)");
    none.value = "-1";
    select.append(none);
    data.topics.forEach((topic, i) => {
      const option = tag("option", `Topic ${topic.id} (${pct(topic.share)})`);
      option.value = String(i);
      select.append(option);
    });
    select.addEventListener("change", () => choose(Number(select.value)));
  };

  const update = () => {
    const t = shown();
    document.querySelectorAll("#map .topic").forEach((node) => {
      const i = Number(node.getAttribute("data-topic"));
      node.classList.toggle("chosen", i === state.chosen);
      node.classList.toggle("preview", i === state.preview);
    });
    document.querySelectorAll("#topics tbody tr").forEach((row) => {
      row.classList.toggle("chosen", Number(row.dataset.topic) === state.chosen);
    });
    $("topic-select").value = String(state.chosen);
    $("lambda-value").textContent = `λ = ${lambda().toFixed(2)}`;
    $("bars").setAttribute("data-shown", String(t));
    drawBars();
    drawInfo();
  };
  const choose = (i) => { state.chosen = i; state.preview = -1; update(); };
  const preview = (i) => { if (state.preview !== i) { state.preview = i; update(); } };

  const k = data.topics.length;
  const step = (by) => choose(state.chosen < 0 ? (by > 0 ? 0 : k - 1)
    : (state.chosen + by + k) % k);
  $("previous").addEventListener("click", () => step(-1));
  $("next").addEventListener("click", () => step(1));
  $("clear").addEventListener("click", () => choose(-1));
  const slider = $("lambda");
  slider.max = String(data.steps);
  slider.value = String(state.step);
  slider.addEventListener("input", () => { state.step = Number(slider.value); update(); });
  drawMap();
  drawTable();
  drawSelect();
  update();
})();
"""
