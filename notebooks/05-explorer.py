# %% [markdown]
# # 05 · Explore the corpus
#
# Ask "where and when does this word appear, in which groups, next to which words?" and
# go from the answer to the sentences. Type one word or several (each gets its own line
# in the trend), a regular expression, or a code of a codebook; narrow the articles by a
# column's values, a date range or their length. Every view follows the search and the
# filters:
#
# - **文章**: the matching articles, sortable and paged; click one to read it with the
#   matches marked, its keywords, people, places and organisations, and its themes;
# - **时间趋势** and **分组**: hits per 10,000 tokens per period and per group;
# - **KWIC**: every match in its context, sorted by the left or the right context;
# - **搭配词**: the words near the matches, by log-likelihood (G²) or PMI;
# - **关键词**: what sets the matching articles apart from all the others.
#
# "导出当前视图" writes what the tab shows (all its rows) to `exports/` as CSV or xlsx.
#
# In JupyterLab (`make lab`) the explorer below is live. A rendered copy cannot run it,
# so after it comes a static snapshot: a search of the corpus's most distinctive word
# with its views.

# %%
from IPython.display import display

from analysis.output.explore import explorer
from analysis.output.explore_views import snapshot
from analysis.output.report import notebook_report

report = notebook_report()
with report.section("explorer"):
    live = explorer(report.corpus, themes=report.themes_if_found, export_dir="exports")
    display(live)

# %%
with report.section("explorer"):
    term = report.corpus_keywords["term"].iloc[0]
    columns = live.search.group_columns
    group = report.group_by or (columns[0] if columns else None)
    display(*snapshot(live.search.search(term), group_column=group))
