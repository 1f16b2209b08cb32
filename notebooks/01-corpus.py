# %% [markdown]
# # 01 · The page and its articles
#
# One page of a national labour daily, as raw text in `seeds/`. This notebook splits it
# into articles and shows what the splitter found for each: title, kicker, column,
# authors, kind and body. It also shows how each line of the page was classified.
# Every later notebook starts from this table.

# %%
from analysis import explain_pages, load_articles
from analysis.figures import article_labels
from analysis.plots import article_lengths

articles = load_articles()
articles[["id", "kind", "column", "kicker", "title", "authors", "n_paragraphs", "n_chars"]]

# %% [markdown]
# Seven items: three news reports, a diary from the 蹲点日记 column, two photo items,
# and a feature. The bar chart shows how unequal they are. The lead story is twenty times
# longer than the last photo caption, which matters for keywords and themes later.

# %%
article_lengths(articles, labels=article_labels(articles))
# %% [markdown]
# ## How the page was split
# Each line of the page has a label and the rule that decided it, so a reviewer can
# check the split line by line. Bylines, photo credits, diary date lines and author
# notes are metadata, never body text. Lines that the column layout cut in mid-word are
# joined back.

# %%
lines = explain_pages()
lines[["line", "label", "article", "rule", "text"]].head(30)

# %%
lines[lines["rule"].str.startswith("continues")][["line", "article", "text"]]

# %% [markdown]
# Authors come with their roles. A role applies to the names after it.

# %%
articles[["id", "contributors", "dateline", "date_line", "author_unit"]]
