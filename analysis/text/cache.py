"""A content-addressed cache of tokenized documents, so re-running a notebook does not
tokenize an unchanged corpus again.

- Key: sha256 of the text, inside a folder named by the tokenizer's fingerprint (a hash
  of its dictionaries, stopwords, options, backend and library versions). Any change to
  these gives a new folder, so stale tokens are never served.
- Storage: Parquet shards (``pyarrow``) of (key, tokens, check) rows under
  ``$ANALYSIS_CACHE_DIR`` (default ``.cache/`` in the project, git-ignored; a relative
  folder is taken from the working directory, see :func:`cache_root`). A shard is named
  by the sha256 of the very bytes written to disk and carries a schema version and the
  fingerprint in its Parquet metadata.
- Each entry checks itself: ``check`` is a sha256 of the key and of the token lists the
  caller gave, taken before they are encoded into Parquet. The checksum in the name only
  proves that the bytes are the ones that were named; bytes changed before they were
  named (in memory, or by a program that rewrites a shard and renames it) give tokens
  that no longer match their check. A check of the tokens against the text itself would
  be stronger, but the cache sees only keys, never texts, and the tokens are not the
  text: the filter drops stopwords, numbers and punctuation, so they do not join back to
  it (they are only pieces of it, in order).
- Every shard is checked when read: its name, its metadata and columns, its bytes as
  Arrow data (valid UTF-8, offsets in bounds) and each entry it returns against its
  check. One that fails (truncated, damaged, another schema, version or tokenizer, not
  Parquet, a temporary file left by a killed run) is a miss: it is removed with a
  :class:`CacheWarning`, and its texts are tokenized and stored again. No wrong tokens
  and no decoding error reach the caller.
- Safe under concurrent runs: a shard is written to a temporary file and renamed into
  place, so a reader never sees half a shard; two runs writing the same keys only
  duplicate rows with identical content.
- Never stops a run: a cache folder that cannot be created, read or written gives one
  :class:`CacheWarning`, and that :class:`TokenCache` then acts as an empty cache.
- Size cap: after a write, the oldest shards are removed until the cache is below
  ``max_bytes`` (default 1 GiB, ``$ANALYSIS_CACHE_MAX_BYTES``, see :func:`parse_size`).
  ``python -m analysis cache --clear`` empties it.
- Bypass: ``--no-cache`` on the command line, or ``ANALYSIS_NO_CACHE=1``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import struct
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import OptionError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "CacheWarning",
    "ClearReport",
    "TokenCache",
    "cache_enabled",
    "cache_root",
    "parse_size",
    "text_key",
]

DEFAULT_MAX_BYTES = 1 << 30
#: Stored in every shard's metadata; a shard with another version is a miss. Version 2
#: added the per-entry ``check`` column.
SCHEMA_VERSION = 2
#: A ``.tmp`` file older than this was left by a killed run; a younger one may be a
#: shard another run is writing right now, so it is left alone.
STALE_TMP_SECONDS = 600

_VERSION_KEY = b"analysis.token_cache.version"
_FINGERPRINT_KEY = b"analysis.token_cache.fingerprint"
_ADVICE = (
    "continuing without the cache; set ANALYSIS_CACHE_DIR to a writable folder or use --no-cache"
)
_REBUILT = "its entries will be rebuilt"
# Bad shards this process could not remove: warned about once, not on every read.
_undeletable: set[Path] = set()


class CacheWarning(UserWarning):
    """The token cache skipped a file or folder it could not trust or use; the run goes on."""


@dataclass
class ClearReport:
    """What :meth:`TokenCache.clear` removed, and each path it could not remove, with why.

    >>> print(ClearReport(2, 3_000_000, [("/c/tokens/fp/a.parquet", "Permission denied")]))
    removed 2 files (3.0 MB); 1 could not be removed: /c/tokens/fp/a.parquet (Permission denied)
    """

    removed_files: int = 0
    removed_bytes: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was left behind."""
        return not self.failed

    def __str__(self) -> str:
        text = f"removed {self.removed_files} files ({self.removed_bytes / 1e6:.1f} MB)"
        if self.failed:
            paths = ", ".join(f"{path} ({reason})" for path, reason in self.failed)
            text += f"; {len(self.failed)} could not be removed: {paths}"
        return text


_UNITS = {"": 1, "b": 1}
_UNITS |= {f"{p}b": 1000**i for i, p in enumerate("kmgt", 1)}
_UNITS |= {f"{p}ib": 1024**i for i, p in enumerate("kmgt", 1)}
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*", re.IGNORECASE)


def parse_size(text: str, *, name: str = "ANALYSIS_CACHE_MAX_BYTES") -> int:
    """Bytes in ``text``: a whole number of bytes, or a number with a unit.

    KB, MB, GB and TB are powers of 1000; KiB, MiB, GiB and TiB powers of 1024; case
    and spaces do not matter. Anything else, zero included, raises
    :class:`~analysis.errors.OptionError` naming the variable ``name``.

    >>> parse_size("500MB"), parse_size("1.5GiB"), parse_size("200 kb"), parse_size("4096")
    (500000000, 1610612736, 200000, 4096)
    """
    match = _SIZE.fullmatch(text)
    unit = _UNITS.get(match[2].lower()) if match else None
    size = int(Decimal(match[1]) * unit) if match and unit else 0
    if size <= 0:
        raise OptionError(
            f"{name}={text!r} is not a positive size; give bytes or a number with a unit "
            f"(KB, MB, GB: powers of 1000; KiB, MiB, GiB: powers of 1024), e.g. {name}=500MB"
        )
    return size


def cache_root() -> Path:
    """The cache folder, as an absolute path: ``$ANALYSIS_CACHE_DIR`` (a relative one is
    taken from the working directory) or ``.cache/`` in the project.

    Absolute, so that a process started in another folder (a notebook kernel runs in
    ``notebooks/``) can be handed this path and use the same cache.

    >>> cache_root().is_absolute()
    True
    """
    from analysis.config import PROJECT_ROOT

    return Path(os.environ.get("ANALYSIS_CACHE_DIR") or PROJECT_ROOT / ".cache").absolute()


def cache_enabled() -> bool:
    """False when ``ANALYSIS_NO_CACHE`` is set to a true value."""
    return os.environ.get("ANALYSIS_NO_CACHE", "").lower() not in ("1", "true", "yes")


def text_key(text: str) -> str:
    """The cache key of a text: the hex sha256 of its UTF-8 bytes.

    >>> text_key("工会")[:12], len(text_key("工会"))
    ('088df342996b', 64)
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reason(exc: OSError) -> str:
    return f"{exc.strerror}: {exc.filename}" if exc.strerror and exc.filename else str(exc)


def _warn(message: str) -> None:
    # point at the first caller outside this module: the line a user can act on
    frame, level = sys._getframe(), 1
    while frame.f_back is not None and frame.f_globals.get("__name__") == __name__:
        frame, level = frame.f_back, level + 1
    warnings.warn(message, CacheWarning, stacklevel=level)


class _BadShard(Exception):
    """A shard whose bytes are not what this module writes; the message says why."""


def _schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [("key", pa.string()), ("tokens", pa.list_(pa.string())), ("check", pa.binary(32))]
    )


def _entry_checks(keys: Sequence[str], tokens: pa.ChunkedArray) -> list[bytes]:
    """The check of each (key, token list): the sha256 of the key's and the list's lengths,
    the key, each token's UTF-8 length, then the tokens' bytes, so that no two different
    entries hash the same input. ``tokens`` must hold no nulls and have passed
    ``validate(full=True)``.

    Read from the Arrow buffers: hashing the Python token lists would add about a sixth
    to a warm run's tokenization step.
    """
    import numpy as np

    checks: list[bytes] = []
    for chunk in tokens.chunks:
        words = chunk.values
        _, offsets, data = words.buffers()
        bounds = np.zeros(1, "<i4")  # an empty array may have no offsets buffer
        if len(words):
            bounds = np.frombuffer(offsets, "<i4", len(words) + 1, 4 * words.offset)
        view = memoryview(data or b"")  # nor data, when every token is empty
        sizes = np.diff(bounds).astype("<i4").tobytes()
        rows = chunk.offsets.to_pylist()
        names = keys[len(checks) : len(checks) + len(chunk)]
        for key, low, high in zip(names, rows[:-1], rows[1:], strict=True):
            raw = key.encode()
            entry = hashlib.sha256(struct.pack("<QQ", len(raw), high - low))
            entry.update(raw)
            entry.update(sizes[4 * low : 4 * high])
            entry.update(view[bounds[low] : bounds[high]])
            checks.append(entry.digest())
    return checks


def _shard_bytes(items: dict[str, Sequence[str]], fingerprint: str) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    keys = sorted(items)
    tokens = pa.chunked_array([pa.array([list(items[k]) for k in keys], pa.list_(pa.string()))])
    checks = pa.array(_entry_checks(keys, tokens), pa.binary(32))
    metadata = {_VERSION_KEY: str(SCHEMA_VERSION).encode(), _FINGERPRINT_KEY: fingerprint.encode()}
    table = pa.table([keys, tokens, checks], schema=_schema().with_metadata(metadata))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def _wanted_rows(
    data: bytes, name: str, fingerprint: str, wanted: pa.Array
) -> tuple[list[str], list[list[str]]]:
    """The (keys, token lists) of a shard's rows whose key is in ``wanted`` (an Arrow
    array); raises :class:`_BadShard` or an Arrow error for a shard that fails a check."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if hashlib.sha256(data).hexdigest() != name:
        raise _BadShard(
            "its bytes do not match the checksum in its name: damaged, cut short, "
            "or written by another program or an older version"
        )
    shard = pq.ParquetFile(pa.BufferReader(data))
    schema = shard.schema_arrow
    metadata = schema.metadata or {}
    version = metadata.get(_VERSION_KEY, b"none").decode(errors="replace")
    if version != str(SCHEMA_VERSION):
        raise _BadShard(f"schema version {version}, expected {SCHEMA_VERSION}")
    expected = _schema()
    if schema.names != expected.names:
        raise _BadShard(f"columns {schema.names}, expected {expected.names}")
    for column in expected:
        if schema.field(column.name).type != column.type:
            kind = schema.field(column.name).type
            raise _BadShard(f"{column.name} column of type {kind}, expected {column.type}")
    if metadata.get(_FINGERPRINT_KEY) != fingerprint.encode():
        raise _BadShard("written for another tokenizer fingerprint")
    keys = shard.read(columns=["key"]).column("key")
    mask = pc.is_in(keys, value_set=wanted)
    if not pc.any(mask).as_py():
        return [], []  # tokens are most of a shard; a shard without hits skips decoding them
    rows = shard.read(columns=["tokens", "check"])
    if len(rows) != len(keys):
        raise _BadShard(f"{len(keys)} keys but {len(rows)} token lists")
    if not pc.all(mask).as_py():
        keys, rows = keys.filter(mask), rows.filter(mask)
    # Parquet does not check UTF-8; to_pylist would raise on it, so Arrow checks it first
    keys.validate(full=True)
    rows.validate(full=True)
    tokens, checks = rows.column("tokens"), rows.column("check")
    if tokens.null_count or pc.list_flatten(tokens).null_count or checks.null_count:
        raise _BadShard("missing token lists or tokens")
    keys = keys.to_pylist()
    computed = _entry_checks(keys, tokens)
    for key, check, stored in zip(keys, computed, checks.to_pylist(), strict=True):
        if check != stored:
            raise _BadShard(
                f"the tokens stored under key {key[:16]}... do not match their check: "
                "they were changed after they were tokenized"
            )
    return keys, tokens.to_pylist()


class TokenCache:
    """Token lists of texts for one tokenizer fingerprint.

    No ``OSError`` escapes: the first operation that finds the cache folder unusable
    issues a :class:`CacheWarning`, and from then on reads return ``{}`` and writes do
    nothing (``usable`` is False).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     cache = TokenCache("fp", root=Path(tmp))
    ...     _ = cache.put_many({"k": ["工会", "职工"]})
    ...     cache.get_many(["k", "absent"])
    {'k': ['工会', '职工']}
    """

    def __init__(
        self, fingerprint: str, *, root: Path | None = None, max_bytes: int | None = None
    ) -> None:
        self.fingerprint = fingerprint
        self.root = Path(root or cache_root())
        self.folder = self.root / "tokens" / fingerprint
        if max_bytes is None:
            env_max = os.environ.get("ANALYSIS_CACHE_MAX_BYTES", "").strip()
            max_bytes = parse_size(env_max) if env_max else DEFAULT_MAX_BYTES
        if max_bytes <= 0:
            raise OptionError(f"max_bytes must be positive, got {max_bytes}; e.g. 500_000_000")
        self.max_bytes = max_bytes
        self.usable = True

    def _give_up(self, action: str, exc: OSError) -> None:
        self.usable = False
        _warn(f"cache at {self.root} cannot be {action} ({_reason(exc)}); {_ADVICE}")

    def _drop(self, path: Path, reason: str) -> None:
        """Remove a file that failed its check, and say so once."""
        try:
            os.unlink(path)
            outcome = "removed it"
        except FileNotFoundError:
            outcome = "another run removed it"
        except OSError as exc:
            if path in _undeletable:
                return
            _undeletable.add(path)
            outcome = f"could not remove it ({_reason(exc)})"
        _warn(f"token cache file {path} cannot be used ({reason}); {outcome}; {_REBUILT}")

    def _shards(self) -> list[Path]:
        """The shards of this fingerprint; removes temporary files left by killed runs."""
        shards = []
        now = time.time()
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name.endswith(".parquet") and entry.is_file():
                    shards.append(Path(entry.path))
                elif entry.name.endswith(".tmp"):
                    with suppress(FileNotFoundError):  # renamed into place meanwhile
                        if now - entry.stat().st_mtime > STALE_TMP_SECONDS:
                            self._drop(Path(entry.path), "a temporary file left by a killed run")
        return sorted(shards)

    def get_many(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """Cached tokens for the keys that are present in a shard that passes its checks."""
        wanted = set(keys)
        found: dict[str, list[str]] = {}
        if not wanted or not self.usable:
            return found
        try:
            shards = self._shards()
        except (FileNotFoundError, NotADirectoryError):
            return found  # nothing cached yet; put_many reports a folder it cannot create
        except OSError as exc:
            self._give_up("read", exc)
            return found
        import pyarrow as pa

        lookup = pa.array(list(wanted), pa.string())
        for shard in shards:
            if len(found) == len(wanted):
                break
            # two shards may share keys, always with the same tokens
            found.update(self._read(shard, lookup))
        return found

    def _read(self, shard: Path, lookup: pa.Array) -> Iterator[tuple[str, list[str]]]:
        """(key, tokens) of the shard's rows whose key is in ``lookup``; none from a shard
        that is missing or fails a check, which is removed."""
        import pyarrow as pa

        try:
            data = shard.read_bytes()
        except FileNotFoundError:
            return iter(())  # removed by another run's size cap since the listing
        except OSError as exc:
            self._drop(shard, _reason(exc))
            return iter(())
        try:
            keys, tokens = _wanted_rows(data, shard.stem, self.fingerprint, lookup)
        except _BadShard as exc:
            self._drop(shard, str(exc))
            return iter(())
        # pyarrow reports bad bytes as either; its Python layer decodes the column names
        # in the footer, which may not be UTF-8
        except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
            self._drop(shard, f"not a readable Parquet file: {exc}")
            return iter(())
        return zip(keys, tokens, strict=True)

    def put_many(self, items: dict[str, Sequence[str]]) -> Path | None:
        """Store token lists; returns the shard written (None when nothing was written)."""
        if not items or not self.usable:
            return None
        data = _shard_bytes(items, self.fingerprint)
        target = self.folder / f"{hashlib.sha256(data).hexdigest()}.parquet"
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with open(handle, "wb") as file:
                file.write(data)
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; a shared cache should be readable
            os.replace(tmp, target)
            tmp = None
        except FileNotFoundError:
            # another run cleared the cache, or took a long-stalled temporary file for a
            # killed run's, meanwhile: this batch is not stored, the next one will be
            return None
        except OSError as exc:
            # Windows refuses to replace a file another run has open; that file has the
            # same name, so the same bytes
            if not (isinstance(exc, PermissionError) and tmp and target.is_file()):
                self._give_up("written", exc)
                return None
        finally:
            if tmp is not None:
                with suppress(OSError):
                    os.unlink(tmp)
        self._enforce_cap()
        return target

    def _files(self) -> Iterable[Path]:
        # unreadable folders are skipped: size and cap are best effort, clear reports them
        for folder, _, names in os.walk(self.root / "tokens"):
            for name in names:
                yield Path(folder, name)

    def size_bytes(self) -> int:
        """Bytes used by the whole cache (every fingerprint)."""
        total = 0
        for path in self._files():
            with suppress(OSError):
                total += path.lstat().st_size
        return total

    def _enforce_cap(self) -> None:
        shards = []
        for path in self._files():
            if path.suffix == ".parquet":
                with suppress(OSError):
                    stat = path.lstat()
                    shards.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in shards)
        for _, size, path in sorted(shards):
            if total <= self.max_bytes:
                break
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError:
                continue  # another user's shard in a shared cache: the cap is best effort
            total -= size

    def clear(self) -> ClearReport:
        """Remove every cached token list, for every fingerprint; report what was left."""
        report = ClearReport()

        def unlisted(exc: OSError) -> None:
            if not isinstance(exc, FileNotFoundError):
                report.failed.append((str(exc.filename), _reason(exc)))

        for folder, dirs, names in os.walk(self.root / "tokens", topdown=False, onerror=unlisted):
            # a link to a folder is listed with the folders but is removed like a file
            links = [name for name in dirs if os.path.islink(os.path.join(folder, name))]
            for name in [*names, *links]:
                path = os.path.join(folder, name)
                try:
                    size = os.lstat(path).st_size
                    os.unlink(path)
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    report.failed.append((path, _reason(exc)))
                    continue
                report.removed_files += 1
                report.removed_bytes += size
            try:
                os.rmdir(folder)
            except FileNotFoundError:
                pass
            except OSError as exc:
                # a folder kept by a file reported above, or filled by a run meanwhile
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    report.failed.append((folder, _reason(exc)))
        return report
