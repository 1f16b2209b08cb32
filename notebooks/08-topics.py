# %% [markdown]
# # 08 · Topics and reprints
#
# **Topics**: an LDA topic model of the articles (tomotopy, a fixed seed), the number of
# topics chosen by how coherent their top words are in this corpus (NPMI: above 0 the
# words occur together more than chance). Each topic's share of the articles, then its
# share per period (with dates) and per group (with `--group-by`), with 95 % intervals.
# `python -m analysis topics PATH [--k N] [--model lda|nmf]` gives the same as data.
#
# **Reprints**: articles that share at least half of the shorter one's text (an agency
# item run by several papers, a template, an edited copy). They are listed, and
# `--dedupe` on any command or the report counts each story once.

# %%
from IPython.display import display

from analysis.output.report import notebook_report
from analysis.output.topic_view import topic_view_frame

report = notebook_report()
print(report.describe())
if report.topics.note:
    print(report.topics.note)
print(f"k = {report.topics.k}, chosen by mean NPMI among: ")
report.topics.scores

# %%
report.show("topics")

# %%
report.show_table("topics")

# %% [markdown]
# The topics to explore: click a topic on the map, move λ to rank its words from the
# most frequent in it (λ = 1) to the most specific to it (λ near 0). The report folder
# holds the same view as `topics.html`; `python -m analysis topics PATH --html FILE`
# writes it for any corpus. It loads nothing from the network.

# %%
with report.section("topic view"):
    display(topic_view_frame(report.topics, titles=report.articles["title"].tolist()))

# %%
report.show("topic_trends")

# %%
report.show_table("topic_groups")

# %% [markdown]
# ## Reprints

# %%
report.show_table("reprints")
