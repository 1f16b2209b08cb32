# %% [markdown]
# # 03 · Themes across the corpus
#
# Themes come from paragraphs, not whole articles: NMF finds groups of words that occur
# together in paragraphs, and each article gets a mix of those themes that sums to 1.
# "其他" (other) is the share no theme explains: a paragraph fitted as well as the
# typical paragraph of its theme is fully explained, one fitted half as well is half
# other. A one-paragraph caption about something else is mostly "other" rather than
# forced onto the nearest theme. The number of themes is chosen by silhouette ×
# stability, like the clusters below.

# %%
from IPython.display import display

from analysis.output.report import notebook_report

report = notebook_report()
corpus = report.corpus
report.show_table("theme_terms")

# %%
report.show("themes")

# %%
report.show("group_themes")

# %%
with report.section("themes"):
    themes = report.themes
    mix = themes.article_weights.rename(columns=themes.names())
    display(mix.rename(index=report.label_of).round(2).head(40))

# %% [markdown]
# ## Clustering the articles, and how far to trust it
# The number of clusters is chosen by silhouette × stability across five seeds. On a
# handful of articles the only well-separated "clusters" are nearly one per article, and
# the package says that the choice is weakly supported: read the map then as a picture of
# distances, not as a finding about topics.

# %%
with report.section("clusters"):
    clusters = report.clusters
    print(f"k = {clusters.k}")
    print("\n".join(clusters.warnings) or "the choice of k is well supported")
report.show("k_selection")

# %%
report.show("document_map")
