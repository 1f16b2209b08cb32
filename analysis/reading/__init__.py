"""Reading: files of every kind (pages, web pages, markdown, tables) into the articles
table. The first stage; its public names are exported by :mod:`analysis`."""

__all__: list[str] = []
