# %% [markdown]
# # 01 · The corpus and its articles
#
# The corpus is split into articles, and each gets its title, kicker, column, authors,
# kind, date and body. Run as is, the notebook reads `seeds/`: one page of a national
# labour daily. `python -m analysis report PATH… --out reports/NAME` runs the same
# notebooks on any corpus (pages, web pages, markdown, crawler dumps, CSV/TSV/JSONL
# tables) and passes its options in the `ANALYSIS_REPORT` environment variable, which
# the first cell reads. Every later notebook starts the same way.

# %%
from analysis.output.report import notebook_report

report = notebook_report()
corpus = report.corpus
print(report.describe())

# %%
columns = ["label_in_charts", "kind", "column", "authors", "n_paragraphs", "n_chars"]
report.table("articles")[columns].head(40)

# %% [markdown]
# How long the articles are. Length matters for everything after: a long report has many
# words to rank, a one-line photo caption has almost none.

# %%
report.show("article_lengths")

# %% [markdown]
# ## How the pages were split
# Each line of a page has a label and the rule that decided it, so a reviewer can check
# the split line by line. Bylines, photo credits, dates and notes are metadata, never body
# text; site furniture (headers, navigation, footers) is set aside with its rule. Lines
# that a column layout cut in mid-word are joined back. Tables have no lines to explain.

# %%
lines = report.page_lines()
lines[["line", "label", "article", "rule", "text"]].head(30)

# %%
lines[lines["rule"].astype(str).str.startswith("continues")][["line", "article", "text"]]

# %% [markdown]
# Authors come with their roles; a role applies to the names after it.

# %%
corpus.articles[["id", "contributors", "dateline", "date_line", "author_unit"]].head(20)
