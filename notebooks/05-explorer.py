# %% [markdown]
# # 05 · Explore an article
#
# Pick an article to see its keywords and word cloud. Type a term to see every use of it
# in that article. In JupyterLab the controls below are live. A rendered copy cannot run
# them, so the static result after them shows the article that stands apart most, with
# its top keyword in context.

# %%
from IPython.display import display

from analysis.output.explore import explorer, show_article
from analysis.output.report import notebook_report

report = notebook_report()
with report.section("explorer"):
    display(explorer(report.corpus, report.keywords))

# %%
with report.section("explorer"):
    figure, concordance = show_article(
        report.corpus, report.keywords, report.standout, report.standout_term
    )
    display(concordance)
