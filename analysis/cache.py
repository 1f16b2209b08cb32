"""A content-addressed cache of tokenized documents, so re-running a notebook does not
tokenize an unchanged corpus again.

- Key: sha256 of the text, inside a folder named by the tokenizer's fingerprint (a hash
  of its dictionaries, stopwords, options, backend and library versions). Any change to
  these gives a new folder, so stale tokens are never served.
- Storage: Parquet shards (``pyarrow``) of (key, tokens) rows under
  ``$ANALYSIS_CACHE_DIR`` (default ``.cache/`` in the project, git-ignored).
- Safe under concurrent runs: a shard is written to a temporary file and renamed into
  place, so a reader never sees half a shard; two runs writing the same keys only
  duplicate rows with identical content.
- Size cap: after a write, the oldest shards are removed until the cache is below
  ``max_bytes`` (default 1 GiB, ``$ANALYSIS_CACHE_MAX_BYTES``). ``python -m analysis cache
  --clear`` empties it.
- Bypass: ``--no-cache`` on the command line, or ``ANALYSIS_NO_CACHE=1``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["TokenCache", "cache_enabled", "cache_root", "text_key"]

DEFAULT_MAX_BYTES = 1 << 30


def cache_root() -> Path:
    """The cache folder: ``$ANALYSIS_CACHE_DIR`` or ``.cache/`` in the project."""
    from analysis.config import PROJECT_ROOT

    return Path(os.environ.get("ANALYSIS_CACHE_DIR") or PROJECT_ROOT / ".cache")


def cache_enabled() -> bool:
    """False when ``ANALYSIS_NO_CACHE`` is set to a true value."""
    return os.environ.get("ANALYSIS_NO_CACHE", "").lower() not in ("1", "true", "yes")


def text_key(text: str) -> str:
    """The cache key of a text: the hex sha256 of its UTF-8 bytes.

    >>> text_key("工会")[:12], len(text_key("工会"))
    ('088df342996b', 64)
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TokenCache:
    """Token lists of texts for one tokenizer fingerprint."""

    def __init__(
        self, fingerprint: str, *, root: Path | None = None, max_bytes: int | None = None
    ) -> None:
        self.root = Path(root or cache_root())
        self.folder = self.root / "tokens" / fingerprint
        env_max = os.environ.get("ANALYSIS_CACHE_MAX_BYTES")
        self.max_bytes = max_bytes or (int(env_max) if env_max else DEFAULT_MAX_BYTES)

    def _shards(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("*.parquet"))

    def get_many(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """Cached tokens for the keys that are present."""
        import pyarrow.parquet as pq

        wanted = set(keys)
        found: dict[str, list[str]] = {}
        for shard in self._shards():
            if not wanted - found.keys():
                break
            try:
                table = pq.read_table(shard)
            except (OSError, ValueError):
                continue  # a shard removed or being replaced by another run
            shard_keys = table.column("key").to_pylist()
            hits = [i for i, k in enumerate(shard_keys) if k in wanted and k not in found]
            if hits:
                tokens = table.column("tokens")
                for i in hits:
                    found[shard_keys[i]] = tokens[i].as_py()
        return found

    def put_many(self, items: dict[str, Sequence[str]]) -> Path | None:
        """Store token lists; returns the shard written (None when nothing to write)."""
        if not items:
            return None
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.folder.mkdir(parents=True, exist_ok=True)
        keys = sorted(items)
        table = pa.table(
            {"key": keys, "tokens": [list(items[k]) for k in keys]},
            schema=pa.schema([("key", pa.string()), ("tokens", pa.list_(pa.string()))]),
        )
        name = hashlib.sha256("".join(keys).encode()).hexdigest()[:24] + ".parquet"
        target = self.folder / name
        handle, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        os.close(handle)
        try:
            pq.write_table(table, tmp)
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; a shared cache should be readable
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self._enforce_cap()
        return target

    def size_bytes(self) -> int:
        """Bytes used by the whole cache (every fingerprint)."""
        return sum(p.stat().st_size for p in self.root.rglob("*.parquet") if p.is_file())

    def _enforce_cap(self) -> None:
        shards = [p for p in self.root.rglob("*.parquet") if p.is_file()]
        total = sum(p.stat().st_size for p in shards)
        for shard in sorted(shards, key=lambda p: p.stat().st_mtime):
            if total <= self.max_bytes:
                break
            total -= shard.stat().st_size
            shard.unlink(missing_ok=True)

    def clear(self) -> None:
        """Remove every cached token list, for every fingerprint."""
        shutil.rmtree(self.root / "tokens", ignore_errors=True)
