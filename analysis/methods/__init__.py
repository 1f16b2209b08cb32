"""Methods: keywords and keyness, KWIC, groups, comparisons, trends, themes and clusters,
networks, entities, archives; each reads the analysed corpus. Their public names are
exported by :mod:`analysis`."""

__all__: list[str] = []
