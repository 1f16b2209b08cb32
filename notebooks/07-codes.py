# %% [markdown]
# # 07 · Concepts, codes and tone
#
# Which concepts run through the articles, and in what tone? A concept is a **code**: a
# named condition on the words of an article, written in a dictionary (YAML, a word list)
# or as KH Coder-style coding rules (`docs/coding.md`). This notebook uses the rules the
# report was given (`--rules FILE`), else the small labour-relations rule file shipped as
# an example (`analysis/resources/labour_codes.txt`: 欠薪讨薪, 安全生产, 职工权益, 技能就业,
# 新就业形态, 工会服务, 劳模工匠). Entries match whole words: 工会 is not counted inside
# 总工会, 印度 not inside 印度尼西亚; a compound of dictionary words (工会驿站) counts.
#
# The same tables come from the command line:
# `python -m analysis code PATH --rules FILE [--view summary|groups|periods|cooccurrence|kwic]`
# and `python -m analysis tone PATH [--group-by COLUMN]`.

# %%
import warnings
from pathlib import Path

from analysis.methods.codebook import LABOUR_CODES
from analysis.methods.expansion import suggest_for_corpus
from analysis.output.report import notebook_report

report = notebook_report()
if not report.options.rules:  # no --rules given: the example rules
    report.options.rules = [str(LABOUR_CODES)]
print(report.describe())
for path in map(Path, report.options.rules):
    print(f"\n{path.name}:\n" + path.read_text(encoding="utf-8"))

# %% [markdown]
# ## How often each concept occurs
# The share of articles carrying each code, and the count of matches per article.

# %%
report.show("code_shares")

# %%
report.show_table("codes")

# %% [markdown]
# ## Where a code matched
# Every match in its context (the title is piece 0, paragraph k is piece k): the way to
# check that a rule finds what it means, and nothing else.

# %%
report.show_table("code_kwic", head=30)

# %% [markdown]
# ## Concepts that occur together, by group and over time
# The Jaccard index of the articles carrying two codes; with `--group-by`, the share of
# each group's articles carrying each code, ▲/▼ where the adjusted residual says the group
# differs from the rest at the 5 % level (χ² per code in the table); with dates, the share
# per period with its 95 % interval.

# %%
report.show("code_cooccurrence")

# %%
report.show("code_groups")

# %%
report.show_table("code_groups")

# %%
report.show("code_trends")

# %% [markdown]
# ## Tone
# One number per article, above 0 positive and below 0 negative, with the words that
# drove it; negation (不, 没有, 并非 …) flips a word, degree words (很, 极其, 稍 …) scale it.
# News is mostly neutral in wording: read the words beside the number.

# %%
report.show("tone")

# %%
report.show_table("tone")

# %%
report.show("tone_groups")

# %%
report.show("tone_trends")

# %% [markdown]
# ## Growing a dictionary from the corpus
# Words used like a code's entries (co-occurrence vectors learnt from this corpus) are
# candidates to add to the dictionary; read them in context before accepting any. A
# corpus of one page is too small for this: the list is short and noisy there.

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    suggestions = suggest_for_corpus(report.corpus, ["工会", "职工"], top=15, min_count=2)
for warning in caught:
    print(warning.message)
suggestions
