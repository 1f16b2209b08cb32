"""Large UTF-8 tables decoded as they are read, never held whole.

:func:`~analysis.reading.textio.read_text` reads a file's bytes and decodes them at once:
for a CSV of a million rows that is the file twice (650 MB of bytes, then 480 MB of
text) before a row is parsed. A table of at least :data:`STREAM_BYTES` that is UTF-8
throughout (with or without a byte-order mark) and holds no NUL byte is instead checked
in a first pass that decodes it without keeping the text (:func:`stream_utf8`), then
decoded again a block at a time while it is parsed (:meth:`StreamedText.chunks`). The
text is the same as ``read_text``'s, and so are the checks made on it: the same sample
of four places (taken as the text goes by) is judged for control characters and for
its language once the table is read (:meth:`StreamedText.checks`). Any other file (a
legacy encoding, UTF-16, a damaged last character, control characters at its start)
goes to ``read_text``, which reports it as for a small file.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputError
from analysis.reading.textio import (
    _BOMS,
    _FIX,
    _SAMPLE_SIZE,
    _check_language,
    _Counts,
)

__all__ = ["STREAM_BYTES", "StreamedText", "stream_utf8"]

#: A table file of at least this many bytes is decoded as it is read.
STREAM_BYTES = 64 * 1024 * 1024

# Bytes read and decoded at a time.
_BLOCK = 1 << 24


@dataclass
class StreamedText:
    """A large UTF-8 file checked by :func:`stream_utf8`: its encoding (``utf-8``, or
    ``utf-8-sig`` after a byte-order mark, as ``read_text`` names them), its length in
    characters and bytes, and whether it holds anything but white space."""

    path: Path
    encoding: str
    n_chars: int
    n_bytes: int
    has_text: bool
    _windows: list[tuple[int, int]] = field(default_factory=list, repr=False)
    _pieces: list[list[str]] = field(default_factory=list, repr=False)

    def chunks(self, progress=None) -> Iterator[str]:
        """The text in pieces that end with a line break (the last one, with the text),
        decoded as the file is read; ``progress`` (a tqdm bar) counts the bytes read."""
        self._windows = _sample_windows(self.n_chars)
        self._pieces = [[] for _ in self._windows]
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset, carry = 0, ""
        with open(self.path, "rb") as handle:
            handle.seek(len(codecs.BOM_UTF8) if self.encoding == "utf-8-sig" else 0)
            while block := handle.read(_BLOCK):
                text = carry + decoder.decode(block)
                cut = text.rfind("\n") + 1
                chunk, carry = text[:cut], text[cut:]
                if progress is not None:
                    progress.update(len(block))
                if chunk:
                    self._sample(chunk, offset)
                    offset += len(chunk)
                    yield chunk
        last = carry + decoder.decode(b"", final=True)
        if last:
            self._sample(last, offset)
            yield last

    def _sample(self, chunk: str, offset: int) -> None:
        """Keep the part of ``chunk`` (starting at character ``offset``) in the windows
        that ``read_text``'s sample takes."""
        end = offset + len(chunk)
        for (start, stop), pieces in zip(self._windows, self._pieces, strict=True):
            if start < end and stop > offset:
                pieces.append(chunk[max(start, offset) - offset : min(stop, end) - offset])

    def checks(self) -> list[tuple[type[Warning], str]]:
        """After :meth:`chunks` has run: an InputError for control characters, as
        ``read_text`` raises it, and the warnings it would give (not Chinese)."""
        sample = "\n".join("".join(pieces) for pieces in self._pieces)
        name = str(self.path)
        if self.encoding == "utf-8" and _Counts.script(sample).binary:
            raise InputError(
                f"{name}: has many control characters, so it looks like a binary file; {_FIX}"
            )
        found: list[tuple[type[Warning], str]] = []
        _check_language(sample, self.encoding, name, found)
        return found


def _sample_windows(n_chars: int) -> list[tuple[int, int]]:
    """The character ranges of ``read_text``'s sample of a text of ``n_chars``
    (``textio._sample_text``): the whole of a short text, else four places."""
    if n_chars <= _SAMPLE_SIZE:
        return [(0, n_chars)]
    size = _SAMPLE_SIZE // 4
    return [(s, s + size) for s in (0, n_chars // 3, 2 * n_chars // 3, n_chars - size)]


def stream_utf8(path: Path) -> StreamedText | None:
    """A :class:`StreamedText` of ``path`` when it is at least :data:`STREAM_BYTES` and
    UTF-8 throughout with no NUL byte, found by decoding it once without keeping the
    text; None for any other file (and one that cannot be read: ``read_text`` says why)."""
    try:
        n_bytes = path.stat().st_size
        if n_bytes < STREAM_BYTES:
            return None
        with open(path, "rb") as handle:
            head = handle.read(4)
            bom = next((encoding for mark, encoding in _BOMS if head.startswith(mark)), None)
            if bom not in (None, "utf-8-sig"):
                return None
            handle.seek(len(codecs.BOM_UTF8) if bom else 0)
            decoder = codecs.getincrementaldecoder("utf-8")()
            n_chars, has_text = 0, False
            while block := handle.read(_BLOCK):
                if b"\x00" in block:
                    return None
                text = decoder.decode(block)
                if not n_chars and bom is None and _Counts.script(text[:_SAMPLE_SIZE]).binary:
                    return None
                n_chars += len(text)
                has_text = has_text or not text.isspace()
            n_chars += len(decoder.decode(b"", final=True))
    except (OSError, UnicodeDecodeError):
        return None
    return StreamedText(path, bom or "utf-8", n_chars, n_bytes, has_text)
