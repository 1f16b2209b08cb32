# %% [markdown]
# # 04 · Comparing articles
#
# How close are the articles to each other? Cosine similarity of their TF-IDF vectors,
# the same similarity as a tree (average linkage), and the top terms across all
# articles side by side.

# %%
from analysis import load_articles
from analysis.figures import article_labels
from analysis.keywords import keyness, top_terms
from analysis.plots import dendrogram_plot, keyness_plot, similarity_heatmap, term_heatmap
from analysis.themes import similarity

articles = load_articles()
labels = article_labels(articles)
sim, tree = similarity(articles)
similarity_heatmap(sim, labels=labels)
# %% [markdown]
# The three union-organisation reports (1, 5, 6) share vocabulary: 工会, 总工会, 服务.
# The diary, the flood drill and the training item stand apart.

# %%
dendrogram_plot(tree, labels)
# %%
keywords = top_terms(articles, k=10)
term_heatmap(keywords, article_labels=dict(zip(articles["id"], labels, strict=True)))
# %% [markdown]
# ## Two union reports against each other
# Keyness of the 西洽会 report against the 市南区 platform report alone. It shows what
# each union chose to emphasise.

# %%
pair = articles[articles["order"].isin([5, 6])]
keyness_plot(keyness(pair, pair["id"].iloc[0], k=12), title=f"{labels[4]} 对比 {labels[5]}")
