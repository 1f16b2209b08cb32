"""Line roles learned from labelled pages: every line of a page gets a role (title,
kicker, subtitle, byline, dateline, body, section, caption, note, column, furniture) from
a model trained on hand-labelled pages of many sources, and articles follow from the
roles.

The rule-based splitter (:mod:`analysis.reading.pages`) is not thrown away: its label and
form for each line are features of the model, with the line's own shape (length, the
punctuation it ends with, how it starts, layout words such as 记者 or 编辑, dates,
markdown marks), its place on the page, whether it repeats on the page, and the same
features of its neighbours. The model is a multinomial logistic regression
(scikit-learn's, fitted with lbfgs: deterministic); what ships is its vocabulary and
weights as JSON (``analysis/resources/line_roles.json``), read and applied with numpy, so
no pickle and no scikit-learn version is involved in reading a page.

Labels are a role, with ``^`` added on the first line of an article (``title^``,
``kicker^``, ``body^`` for a brief without a headline): boundaries are predicted with
the roles. :func:`articles_from_roles` turns labelled lines into articles.

The model is trained and scored leave-one-source-out by ``benchmarks/line_roles.py``
(``make reader`` retrains it); the labelled pages and where they came from are in
``benchmarks/pages/``.
"""

from analysis.reading.lineroles.articles import (
    article_numbers,
    articles_from_roles,
    credited_authors,
    split_by_roles,
)
from analysis.reading.lineroles.features import (
    html_features,
    kind_of,
    line_features,
    page_features,
    rule_labels,
)
from analysis.reading.lineroles.lines import html_blocks, html_lines, page_lines, plain_markdown
from analysis.reading.lineroles.model import (
    MODEL_FILE,
    ROLES,
    START,
    LineRoleModel,
    default_model,
)

__all__ = [
    "MODEL_FILE",
    "ROLES",
    "START",
    "LineRoleModel",
    "article_numbers",
    "articles_from_roles",
    "credited_authors",
    "default_model",
    "html_blocks",
    "html_features",
    "html_lines",
    "kind_of",
    "line_features",
    "page_features",
    "page_lines",
    "plain_markdown",
    "rule_labels",
    "split_by_roles",
]
