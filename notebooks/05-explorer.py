# %% [markdown]
# # 05 · Explore an article
#
# Pick an article to see its keywords and word cloud. Type a term to see every use of it
# in context. In JupyterLab the controls below are live. In a rendered copy, the static
# result after them shows the diary with the term 快递小哥.

# %%
from analysis import load_articles
from analysis.explore import explorer, show_article
from analysis.keywords import top_terms

articles = load_articles()
keywords = top_terms(articles, k=10)
explorer(articles, keywords)

# %%
diary = articles.loc[articles["kind"] == "diary", "id"].iloc[0]
figure, concordance = show_article(articles, keywords, diary, "快递小哥")
concordance
