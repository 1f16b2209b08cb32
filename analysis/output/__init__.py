"""Output: fonts and charts, the report, the notebooks and the explorer. Its public names
are exported by :mod:`analysis`."""

__all__: list[str] = []
