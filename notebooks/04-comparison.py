# %% [markdown]
# # 04 · Comparing articles and groups
#
# How close are the articles to each other? Cosine similarity of their TF-IDF vectors,
# the same similarity as a tree (average linkage), and the top terms side by side. With
# `--group-by`, the groups are compared instead: how similar they are, and the two
# largest term by term. Then the words that occur together (a co-occurrence network)
# and the people, places and organisations named.

# %%
from analysis.output.report import notebook_report

report = notebook_report()
corpus = report.corpus
report.show("similarity")

# %%
report.show("dendrogram")

# %%
report.show("term_heatmap")

# %% [markdown]
# ## Groups
# Each group's mean TF-IDF vector against every other's, then the two largest groups
# term by term in the manner of scattertext: each word placed by how frequent it is in
# each group, coloured by log ratio, the most key words of each side labelled
# (`python -m analysis keyness --group-by COLUMN --target A --reference B` for any pair).

# %%
report.show("group_similarity")

# %%
report.show("comparison")

# %%
report.show("comparison_cloud")

# %% [markdown]
# ## Words that occur together
# Terms that share paragraphs, linked by the Jaccard coefficient of the paragraphs they
# occur in (at least three paragraphs together), the strongest links drawn, communities
# of terms coloured.

# %%
report.show("network")

# %%
report.show_table("network", head=20)

# %% [markdown]
# ## People, places and organisations
# From the tokenizer's part-of-speech tags (nr, ns, nt) and the domain dictionary,
# cleaned of fragments.

# %%
report.show("entities")
