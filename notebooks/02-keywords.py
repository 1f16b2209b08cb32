# %% [markdown]
# # 02 · What the articles are about: keywords
#
# Keywords are TF-IDF over filtered jieba tokens. A domain dictionary keeps terms such as
# 县级工会 and 新就业形态劳动者 whole. Stopwords, numbers and a part-of-speech filter drop
# boilerplate. A small corpus has too few documents for its own IDF, so the IDF is blended
# with jieba's background IDF. For a few articles the notebook shows each article; for a
# large corpus it shows the corpus and its groups.

# %%
from IPython.display import display

from analysis.methods.keywords import article_texts
from analysis.methods.kwic import kwic
from analysis.output.report import notebook_report
from analysis.text.terms import discover_terms
from analysis.text.tokenize import Tokenizer

report = notebook_report()
corpus = report.corpus
with report.section("keywords"):
    if report.small:
        table = report.keywords.pivot(index="rank", columns="id", values="term")
        display(table.rename(columns=report.label_of))
    else:
        display(report.corpus_keywords)

# %%
report.show("keywords" if report.small else "corpus_keywords")

# %% [markdown]
# ## Word clouds
# The whole corpus, each word weighted by its summed TF-IDF. The clouds are drawn from
# the filtered tokens, so stopwords never reach them.

# %%
report.show("wordcloud")

# %% [markdown]
# ## What sets an article, or a group, apart: keyness
# G² (log-likelihood) of each word in one article against all the others, signed:
# positive bars are words it uses more than the rest, negative bars words it uses less.
# Below, the article whose text stands furthest from the rest (1 − the TF-IDF cosine with
# the other articles together, among articles of at least the median length).
# With `--group-by`, each group against the rest. A term is *key* when G² ≥ 10.83
# (p < 0.001) and it is at least twice as frequent, relatively (log ratio ≥ 1).

# %%
with report.section("keyness"):
    print("article:", report.label_of[report.standout])
    report.show("keyness")
    display(report.standout_keyness)

# %%
report.show("group_keywords")

# %% [markdown]
# ## Keyword in context
# Every use of that article's top key term in the corpus, with fifteen characters on each
# side (`python -m analysis kwic TERM PATH…` does the same from the command line).

# %%
with report.section("kwic"):
    display(kwic(corpus.articles, report.standout_term).head(30))

# %% [markdown]
# ## Terms the dictionary does not know yet
# With the domain dictionary switched off, term discovery finds the compounds that jieba
# splits (on the seed: 县级工会, 新就业形态劳动者, 快递小哥), by recurrence, cohesion and
# boundary entropy. Proposed rows are candidates for the dictionary (on a large corpus,
# from its first 300 articles).

# %%
with report.section("terms"):
    texts = article_texts(corpus.articles.head(300))
    terms = discover_terms(texts, Tokenizer(domain_dict=False))
    display(terms[terms["proposed"]].head(12))
