# %% [markdown]
# # 06 · Over time
#
# When articles have dates (from a page header, a source line, the file name or a
# `--date-column`), words and themes can be followed over time: how often a term is used
# per 10,000 tokens in each period (day, week, month, quarter or year, the finest that
# gives at most 60 periods), how the theme mix shifts, and which terms rise or fall
# between the earlier and the later half of the span. Undated input says so below.

# %%
from analysis.output.report import notebook_report

report = notebook_report()
print(report.describe())

# %%
report.show("term_trends")

# %%
report.show("theme_trends")

# %%
report.show("rising_terms")
