# %% [markdown]
# # 02 · What each article is about: keywords
#
# Keywords are TF-IDF over filtered jieba tokens. A domain dictionary keeps terms such as
# 县级工会 and 新就业形态劳动者 whole. Stopwords, numbers and a part-of-speech filter drop
# boilerplate. A seven-article page has too few documents for its own IDF, so the IDF is
# blended with jieba's background IDF. Below: the top ten per article, word clouds, what
# sets each article apart (keyness), and the terms a reader would add to the dictionary.

# %%
from analysis import load_articles
from analysis.figures import article_labels
from analysis.keywords import article_texts, keyness, top_terms
from analysis.plots import keyness_plot, keyword_grid, kwic, word_cloud
from analysis.terms import discover_terms
from analysis.tokenize import Tokenizer, default_tokenizer

articles = load_articles()
labels = dict(zip(articles["id"], article_labels(articles), strict=True))
keywords = top_terms(articles, k=10)
keywords.pivot(index="rank", columns="id", values="term").rename(columns=labels)

# %%
keyword_grid(keywords)
# %% [markdown]
# ## Word clouds
# The page as a whole, weighted by each word's summed TF-IDF. Stopwords never reach a
# cloud: the clouds are drawn from the filtered tokens.

# %%
page = keywords.groupby("term")["score"].sum().to_dict()
word_cloud(page, title="全版关键词", stopwords=default_tokenizer().stopwords_)
# %% [markdown]
# ## What sets an article apart: keyness
# The diary against the rest of the page. G² is signed: positive bars are words the diary
# uses more than the other articles, negative bars are words it uses less.

# %%
diary = articles.loc[articles["kind"] == "diary", "id"].iloc[0]
table = keyness(articles, diary, k=12)
keyness_plot(table, title=labels[diary])
table

# %% [markdown]
# ## Keyword in context
# Every use of the diary's top term, with fifteen characters on each side.

# %%
kwic(articles, table["term"].iloc[0])

# %% [markdown]
# ## Terms the dictionary does not know yet
# With the domain dictionary switched off, term discovery finds the compounds that jieba
# splits (县级工会, 新就业形态劳动者, 快递小哥). It uses recurrence, cohesion and boundary
# entropy. Proposed rows are candidates for the dictionary.

# %%
terms = discover_terms(article_texts(articles), Tokenizer(domain_dict=False))
terms[terms["proposed"]].head(12)
