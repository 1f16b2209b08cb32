# %% [markdown]
# # 03 · Themes across the page
#
# Themes come from paragraphs, not whole articles. The page has 46 body paragraphs and
# only 7 articles. NMF finds groups of words that occur together in paragraphs, and each
# article gets a mix of those themes that sums to 1. "其他" (other) is the share that no
# theme explains. A one-paragraph photo caption is mostly "other", and it is not forced
# onto the nearest theme.

# %%
import warnings

from analysis import load_articles
from analysis.figures import article_labels
from analysis.keywords import article_texts
from analysis.plots import document_map_plot, k_selection_plot, theme_heatmap
from analysis.themes import cluster_documents, document_map, find_themes

articles = load_articles()
labels = article_labels(articles)
themes = find_themes(articles)
{t: " ".join(words) for t, words in themes.terms.items()}

# %%
theme_heatmap(themes.article_weights, themes.names(), article_labels=labels)
# %%
themes.article_weights.round(2).rename(index=dict(zip(articles["id"], labels, strict=True)))

# %% [markdown]
# ## Clustering the articles, and why to distrust it on one page
# The number of clusters is chosen by silhouette × stability across five seeds. With
# seven articles, the only well-separated "clusters" are nearly one per article. The
# package warns that the choice is weakly supported. Read the map as a description of
# distances, not as a finding about topics.

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    clusters = cluster_documents(article_texts(articles))
print("\n".join(str(w.message) for w in caught))
k_selection_plot(clusters.scores)
# %%
document_map_plot(document_map(articles), labels=labels, groups=clusters.labels)
