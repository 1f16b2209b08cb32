"""Text: the tokenizer and its backends, the token cache, term discovery. Reads only the
reading stage; its public names are exported by :mod:`analysis`."""

__all__: list[str] = []
