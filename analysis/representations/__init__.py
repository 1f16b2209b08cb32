"""Representations: the document-term matrix and the analysed corpus that every method
reads. Its public names are exported by :mod:`analysis`."""

__all__: list[str] = []
