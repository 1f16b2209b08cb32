"""The token cache never returns a wrong entry and never stops a run: damaged, foreign or
half-written files are misses that are removed and rebuilt, an unusable folder is one
warning, and concurrent writers leave every key readable."""

from __future__ import annotations

import errno
import hashlib
import multiprocessing
import os
import queue
import random
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.config import PROJECT_ROOT
from analysis.errors import OptionError
from analysis.text import cache as cache_module
from analysis.text.cache import (
    SCHEMA_VERSION,
    STALE_TMP_SECONDS,
    CacheWarning,
    ClearReport,
    TokenCache,
    cache_root,
    parse_size,
    text_key,
)


def tokens_of(key: str) -> list[str]:
    """Tokens that depend on the key only, so any mix-up between keys shows."""
    return [key, "工会", key[::-1]] * (1 + len(key) % 3)


def parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def place(folder: Path, data: bytes, name: str | None = None) -> Path:
    """Write ``data`` as a shard named by its checksum (or ``name``)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{hashlib.sha256(data).hexdigest()}.parquet")
    path.write_bytes(data)
    return path


@contextmanager
def caught() -> Iterator[list[warnings.WarningMessage]]:
    """Every warning issued inside ``with``, none dropped as a repeat."""
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        yield records


def cache_messages(records: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in records if issubclass(w.category, CacheWarning)]


@pytest.fixture
def cache(tmp_path) -> TokenCache:
    return TokenCache("fp", root=tmp_path)


# --- sizes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1048576", 1_048_576),
        ("1", 1),
        ("1GB", 1_000_000_000),
        ("500MB", 500_000_000),
        ("200 kb", 200_000),
        ("1.5GiB", 1_610_612_736),
        ("2 MiB", 2_097_152),
        ("64KiB", 65_536),
        ("0.5 gb", 500_000_000),
        (" 10b ", 10),
        ("1TB", 10**12),
    ],
)
def test_parse_size_reads_bytes_and_units(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize(
    "text", ["", "0", "0MB", "-5MB", "-1", "lots", "5 XB", "MB", "1e9", "1,000", "1.2.3GB", "nan"]
)
def test_parse_size_rejects_other_values_naming_variable_and_example(text):
    with pytest.raises(OptionError) as error:
        parse_size(text)
    message = str(error.value)
    assert "\n" not in message
    assert f"ANALYSIS_CACHE_MAX_BYTES={text!r}" in message
    assert "ANALYSIS_CACHE_MAX_BYTES=500MB" in message


def test_size_cap_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE_MAX_BYTES", "1.5GiB")
    assert TokenCache("fp", root=tmp_path).max_bytes == 1_610_612_736
    assert TokenCache("fp", root=tmp_path, max_bytes=10).max_bytes == 10
    with pytest.raises(OptionError, match="max_bytes must be positive"):
        TokenCache("fp", root=tmp_path, max_bytes=0)
    monkeypatch.setenv("ANALYSIS_CACHE_MAX_BYTES", "0")
    with pytest.raises(OptionError, match="ANALYSIS_CACHE_MAX_BYTES='0'"):
        TokenCache("fp", root=tmp_path)


# --- where the cache is ---------------------------------------------------------------------


def test_cache_root_is_absolute_whatever_the_variable_says(tmp_path, monkeypatch):
    monkeypatch.delenv("ANALYSIS_CACHE_DIR", raising=False)
    assert cache_root() == PROJECT_ROOT / ".cache"
    # a notebook kernel runs in notebooks/: it must be handed this path, not "cache"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", "cache")
    assert cache_root() == tmp_path / "cache"
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache_root() == tmp_path / "elsewhere"


# --- what a shard is --------------------------------------------------------------------


def test_shard_is_named_by_its_checksum_and_carries_its_version(cache):
    items = {text_key(t): tokens_of(t) for t in ("工会", "职工", "快递小哥")}
    shard = cache.put_many(items)
    data = shard.read_bytes()
    assert shard.name == hashlib.sha256(data).hexdigest() + ".parquet"
    schema = pq.read_schema(shard)
    assert schema.names == ["key", "tokens", "check"]
    assert schema.metadata[b"analysis.token_cache.version"] == b"2"
    assert schema.metadata[b"analysis.token_cache.fingerprint"] == b"fp"
    assert cache.get_many([*items, "absent"]) == items
    assert cache.size_bytes() == len(data)
    assert not list(cache.folder.glob("*.tmp"))


# --- damaged, foreign and half-written files ----------------------------------------------


@pytest.mark.parametrize("where", [0, 0.5, -6], ids=["magic", "middle", "footer"])
def test_flipped_bytes_are_a_miss_removed_and_rebuilt(cache, where):
    kept = cache.put_many({"a": tokens_of("a")})
    damaged = cache.put_many({"b": tokens_of("b"), "c": tokens_of("c")})
    data = bytearray(damaged.read_bytes())
    data[int(where * len(data)) if isinstance(where, float) else where] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with caught() as records:
        assert cache.get_many(["a", "b", "c"]) == {"a": tokens_of("a")}
    [message] = cache_messages(records)
    assert str(damaged) in message
    assert "checksum" in message
    assert "rebuilt" in message
    assert not damaged.exists()
    assert kept.exists()
    # the next put and get round-trip, with no further warning
    with caught() as records:
        assert cache.put_many({"b": tokens_of("b"), "c": tokens_of("c")}) == damaged
        assert cache.get_many(["a", "b", "c"]) == {k: tokens_of(k) for k in "abc"}
    assert cache_messages(records) == []


@pytest.mark.parametrize(
    "tokens",
    [[], [""], ["", ""], ["a\x00b", "工会"], ["工", "会"], ["工会"], ["𠀀", "é", " "]],
    ids=repr,
)
def test_any_token_list_round_trips(cache, tokens):
    # a check that hashed the tokens' bytes alone would not tell ["工会"] from ["工", "会"]
    items = {"k": tokens, "other": ["工会"], "empty": []}
    cache.put_many(items)
    with caught() as records:
        assert cache.get_many(items) == items
    assert cache_messages(records) == []


def read_shard(data: bytes) -> pa.Table:
    return pq.read_table(pa.BufferReader(data))


def ours(
    columns: dict | None = None,
    *,
    version: bytes = str(SCHEMA_VERSION).encode(),
    fingerprint: bytes = b"fp",
) -> bytes:
    """A Parquet file with this cache's metadata (by default, its columns too)."""
    metadata = {
        b"analysis.token_cache.version": version,
        b"analysis.token_cache.fingerprint": fingerprint,
    }
    if columns is None:
        table = read_shard(cache_module._shard_bytes({"k": ["工会"]}, "fp"))
    else:
        table = pa.table(columns)
    return parquet_bytes(table.replace_schema_metadata(metadata))


def no_check(rows: int = 1) -> pa.Array:
    return pa.array([bytes(32)] * rows, pa.binary(32))


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (parquet_bytes(pa.table({"key": ["k"], "n": [1]})), None, "schema version none"),
        (ours({"key": ["k"], "n": [1]}), None, "columns ['key', 'n']"),
        (
            ours({"key": ["k"], "tokens": ["工会"], "check": no_check()}),
            None,
            "tokens column of type string",
        ),
        (
            ours({"key": [1], "tokens": [["工会"]], "check": no_check()}),
            None,
            "key column of type int64",
        ),
        (
            ours({"key": ["k"], "tokens": [["工会"]], "check": [b"x"]}),
            None,
            "check column of type binary",
        ),
        (
            ours({"key": ["k", "j"], "tokens": [None, ["工会"]], "check": no_check(2)}),
            None,
            "missing token lists",
        ),
        (
            ours({"key": ["k"], "tokens": [["工会", None]], "check": no_check()}),
            None,
            "missing token lists",
        ),
        (ours({"key": ["k"], "tokens": [["工会"]]}, version=b"1"), None, "version 1, expected 2"),
        (ours(version=b"3"), None, "schema version 3, expected 2"),
        (ours(fingerprint=b"other"), None, "another tokenizer"),
        ("key,tokens\nk,工会\n".encode(), None, "not a readable Parquet file"),
        (b"", None, "not a readable Parquet file"),
        (ours(), "data.parquet", "checksum"),
        (ours(), "0123456789abcdef01234567.parquet", "checksum"),
    ],
    ids=[
        "other-schema",
        "other-columns",
        "tokens-not-lists",
        "keys-not-strings",
        "check-not-32-bytes",
        "null-tokens",
        "null-token",
        "version-1-shard",
        "other-version",
        "other-tokenizer",
        "csv",
        "empty",
        "name-not-checksum",
        "older-version-name",
    ],
)
def test_foreign_files_are_a_miss_with_a_warning(cache, data, name, reason):
    foreign = place(cache.folder, data, name)
    good = cache.put_many({"a": tokens_of("a")})
    with caught() as records:
        assert cache.get_many(["k", "a"]) == {"a": tokens_of("a")}
    [message] = cache_messages(records)
    assert str(foreign) in message
    assert reason in message
    assert not foreign.exists()
    assert good.exists()


@pytest.mark.parametrize("named_by", ["whole shard", "cut bytes"])
def test_killed_writer_never_yields_a_wrong_entry_and_is_cleaned_up(cache, named_by):
    cache.put_many({"a": tokens_of("a")})
    full = cache_module._shard_bytes({"b": tokens_of("b"), "c": tokens_of("c")}, "fp")
    cut = full[: len(full) // 2]
    # an atomic write cannot leave this, but a copied folder or a failing disk can
    name = hashlib.sha256(full if named_by == "whole shard" else cut).hexdigest()
    truncated = place(cache.folder, cut, f"{name}.parquet")
    stale = cache.folder / "tmpkilled.tmp"
    stale.write_bytes(full[:100])
    old = time.time() - STALE_TMP_SECONDS - 60
    os.utime(stale, (old, old))
    empty = cache.folder / "tmpempty.tmp"  # killed between creating the file and writing it
    empty.touch()
    os.utime(empty, (old, old))
    writing = cache.folder / "tmpwriting.tmp"  # young: maybe another run writing right now
    writing.write_bytes(full[:100])
    with caught() as records:
        assert cache.get_many(["a", "b", "c"]) == {"a": tokens_of("a")}
    messages = cache_messages(records)
    assert len(messages) == 3
    assert sum(str(truncated) in m for m in messages) == 1
    assert sum("killed run" in m for m in messages) == 2
    assert not truncated.exists()
    assert not stale.exists()
    assert not empty.exists()
    assert writing.exists()
    cache.put_many({"b": tokens_of("b"), "c": tokens_of("c")})
    assert cache.get_many(["a", "b", "c"]) == {k: tokens_of(k) for k in "abc"}


def corpus():
    """Texts, a tokenizer and ``tokenize_many``. Imported here, not at the top: the writer
    processes of the concurrency tests import this module, and these take a second."""
    from analysis.methods.keywords import article_texts
    from analysis.reading.corpus import load_articles
    from analysis.scale import tokenize_many
    from analysis.text.tokenize import default_tokenizer

    return article_texts(load_articles()), default_tokenizer(), tokenize_many


def test_tokenize_many_tokenizes_a_damaged_shards_texts_again(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path))
    docs, tok, tokenize_many = corpus()
    expected = [tok.tokens(t) for t in docs]
    assert tokenize_many(docs, tok, use_cache=True) == expected
    [shard] = tmp_path.rglob("*.parquet")
    data = bytearray(shard.read_bytes())
    data[len(data) // 2] ^= 0x01
    shard.write_bytes(bytes(data))
    with caught() as records:
        assert tokenize_many(docs, tok, use_cache=True) == expected
    assert len(cache_messages(records)) == 1
    [rebuilt] = tmp_path.rglob("*.parquet")
    assert rebuilt == shard  # the same rows give the same bytes, so the same name
    assert rebuilt.read_bytes() != bytes(data)
    with caught() as records:
        assert tokenize_many(docs, tok, use_cache=True) == expected
    assert cache_messages(records) == []


# --- shards damaged before they were named -------------------------------------------------


def tampered(table: pa.Table, how: str) -> pa.Table:
    """``table`` with the content of its rows changed, its checks and metadata kept."""
    keys, tokens = table.column("key").to_pylist(), table.column("tokens").to_pylist()
    if how == "tokens swapped":
        tokens[0], tokens[1] = tokens[1], tokens[0]
    elif how == "keys swapped":
        keys[0], keys[1] = keys[1], keys[0]
    elif how == "token dropped":
        tokens[0] = tokens[0][:-1]
    elif how == "character changed":
        tokens[0] = [t.replace("工", "公") for t in tokens[0]]
    elif how == "token split":  # the same characters, cut differently
        tokens[0] = [part for t in tokens[0] for part in (t[:1], t[1:]) if part]
    elif how == "tokens joined":
        tokens[0] = ["".join(tokens[0])]
    columns = {"key": keys, "tokens": tokens, "check": table.column("check")}
    return pa.table(columns, schema=table.schema)


@pytest.mark.parametrize(
    "how",
    [
        "tokens swapped",
        "keys swapped",
        "token dropped",
        "character changed",
        "token split",
        "tokens joined",
    ],
)
def test_tokens_that_do_not_match_their_check_are_a_miss(cache, how):
    kept = cache.put_many({"z": tokens_of("z")})
    items = {k: tokens_of(k) for k in ("ab", "cd", "ef")}
    table = read_shard(cache_module._shard_bytes(items, "fp"))
    # a valid checksum over changed content: what a fault before the naming leaves
    damaged = place(cache.folder, parquet_bytes(tampered(table, how)))
    with caught() as records:
        assert cache.get_many([*items, "z"]) == {"z": tokens_of("z")}
    [message] = cache_messages(records)
    assert str(damaged) in message
    assert "do not match their check" in message
    assert not damaged.exists()
    assert kept.exists()


def corrupted(data: bytes, how: str, seed: int) -> bytes:
    """``data`` damaged in one of the ways of :data:`CORRUPTIONS`, at places from ``seed``."""
    rng = random.Random(seed)
    out = bytearray(data)
    at = rng.randrange(len(out))
    if how == "bit flipped":
        out[at] ^= 1 << rng.randrange(8)
    elif how == "byte replaced":
        out[at] = (out[at] + rng.randrange(1, 256)) % 256
    elif how == "run overwritten":
        out[at : at + 64] = rng.randbytes(len(out[at : at + 64]))
    elif how == "footer bytes replaced":  # the schema, column offsets and metadata
        for _ in range(3):
            out[len(out) - 1 - rng.randrange(min(900, len(out)))] = rng.randrange(256)
    elif how == "bytes cut out":
        del out[at : at + rng.randint(1, 8)]
    elif how == "bytes inserted":
        out[at:at] = rng.randbytes(rng.randint(1, 8))
    return bytes(out)


CORRUPTIONS = [
    "bit flipped",
    "byte replaced",
    "run overwritten",
    "footer bytes replaced",
    "bytes cut out",
    "bytes inserted",
]
#: Damaged shards per kind of damage (issue #22 found wrong keywords with 40 bit flips).
TRIALS = 40


@pytest.mark.parametrize("how", CORRUPTIONS)
def test_shards_damaged_before_they_were_named_never_change_a_result(tmp_path, monkeypatch, how):
    """Issue #22's experiment: damage a shard, name it by the checksum of the damaged bytes
    (as a fault before the naming would), and run again. Every run gives the tokens and
    keywords of an uncached run, with no exception."""
    from analysis.methods.keywords import top_terms
    from analysis.reading.corpus import load_articles

    docs, tok, tokenize_many = corpus()
    articles = load_articles()

    def results() -> tuple[list[list[str]], pd.DataFrame]:
        # every term of every article, with its count and score, not just the top ten
        return tokenize_many(docs, tok), top_terms(articles, k=1000)

    monkeypatch.setenv("ANALYSIS_NO_CACHE", "1")
    tokens, keywords = results()
    monkeypatch.delenv("ANALYSIS_NO_CACHE")
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path))
    results()
    pristine = {path: path.read_bytes() for path in tmp_path.rglob("*.parquet")}
    assert len(pristine) == 2  # the articles' shard, and the headlines' and paragraphs'
    failures, warned = [], 0
    for seed in range(TRIALS):
        for path in tmp_path.rglob("*.parquet"):
            path.unlink()
        victim = sorted(pristine)[seed % 2]
        for path, data in pristine.items():
            place(path.parent, corrupted(data, how, seed) if path == victim else data)
        with caught() as records:
            try:
                got_tokens, got_keywords = results()
            except Exception as exc:  # every seed's outcome is reported, not the first
                failures.append(f"seed {seed}: {exc!r}")
                continue
        if got_tokens != tokens or not got_keywords.equals(keywords):
            failures.append(f"seed {seed}: results differ from an uncached run")
        if others := [str(r.message) for r in records if r.category is not CacheWarning]:
            failures.append(f"seed {seed}: warnings {others}")
        warned += bool(cache_messages(records))
    assert failures == []
    # most damage is seen and rebuilt (some bytes, such as statistics, are never read)
    assert warned > TRIALS // 2


def test_a_bad_shard_that_cannot_be_removed_is_reported_once(cache, monkeypatch):
    bad = place(cache.folder, b"not parquet")

    def refuse(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(os, "unlink", refuse)
    with caught() as records:
        assert cache.get_many(["k"]) == {}
        assert TokenCache("fp", root=cache.root).get_many(["k"]) == {}
    [message] = cache_messages(records)
    assert "could not remove it (Permission denied" in message
    assert bad.exists()


# --- a cache that cannot be used ------------------------------------------------------------


def read_only_root(tmp_path: Path) -> Path:
    """A cache root that cannot be written: a read-only folder, or, where chmod does not
    restrict this user (root), a path under a regular file."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        (folder / "probe").mkdir()
    except PermissionError:
        return folder
    (folder / "probe").rmdir()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    return blocker / "cache"


def test_unwritable_cache_warns_once_and_the_run_goes_on(tmp_path, monkeypatch):
    root = read_only_root(tmp_path)
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(root))
    docs, tok, tokenize_many = corpus()
    docs = docs[:5]
    with caught() as records:
        assert tokenize_many(docs, tok, use_cache=True) == [tok.tokens(t) for t in docs]
    [message] = cache_messages(records)
    assert f"cache at {root} cannot be written" in message
    assert "continuing without the cache" in message
    assert "ANALYSIS_CACHE_DIR" in message
    assert "--no-cache" in message
    cache = TokenCache("fp", root=root)
    with caught() as records:
        assert cache.put_many({"a": ["工会"]}) is None
        assert cache.get_many(["a"]) == {}
        assert cache.put_many({"b": ["职工"]}) is None
        assert cache.size_bytes() == 0
    assert len(cache_messages(records)) == 1
    assert not cache.usable


def test_a_read_only_cache_stops_reading_after_its_first_failed_write(tmp_path):
    root = tmp_path / "cache"
    TokenCache("fp", root=root).put_many({"a": ["工会"]})
    folder = root / "tokens" / "fp"
    folder.chmod(0o555)
    try:
        cache = TokenCache("fp", root=root)
        assert cache.get_many(["a"]) == {"a": ["工会"]}
        with caught() as records:
            written = cache.put_many({"b": ["职工"]})
        if written is not None:
            pytest.skip("chmod does not restrict this user (root)")
        [message] = cache_messages(records)
        assert f"cache at {root} cannot be written (Permission denied" in message
        assert cache.get_many(["a"]) == {}  # the instance has stopped trying
    finally:
        folder.chmod(0o755)


def test_a_cache_cleared_by_another_run_during_a_write_is_no_failure(cache, monkeypatch):
    real_replace = os.replace

    def cleared_first(source, target):
        TokenCache("-", root=cache.root).clear()
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", cleared_first)
    with caught() as records:
        assert cache.put_many({"a": ["工会"]}) is None
    monkeypatch.setattr(os, "replace", real_replace)
    with caught() as more:
        assert cache.put_many({"a": ["工会"]}) is not None
        assert cache.get_many(["a"]) == {"a": ["工会"]}
    assert cache_messages(records) == cache_messages(more) == []


def test_full_disk_is_one_warning_and_leaves_no_temporary_file(cache, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(cache.folder))

    monkeypatch.setattr(os, "replace", full)
    with caught() as records:
        assert cache.put_many({"a": ["工会"]}) is None
        assert cache.put_many({"b": ["职工"]}) is None
        assert cache.get_many(["a"]) == {}
    [message] = cache_messages(records)
    assert "No space left on device" in message
    assert list(cache.folder.iterdir()) == []


def test_unreadable_cache_warns_once_and_reads_nothing(cache, monkeypatch):
    cache.put_many({"a": ["工会"]})
    real_scandir = os.scandir

    def refuse(path=".", *args):
        if Path(path) == cache.folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path, *args)

    monkeypatch.setattr(os, "scandir", refuse)
    with caught() as records:
        assert cache.get_many(["a"]) == {}
        assert cache.get_many(["a"]) == {}
        assert cache.put_many({"b": ["职工"]}) is None
    [message] = cache_messages(records)
    assert f"cache at {cache.root} cannot be read (Permission denied" in message


# --- clear ------------------------------------------------------------------------------------


def test_clear_reports_what_it_removed(tmp_path):
    shards = [
        TokenCache(fp, root=tmp_path).put_many({k: tokens_of(k)})
        for fp, k in [("fp1", "a"), ("fp1", "b"), ("fp2", "a")]
    ]
    leftover = tmp_path / "tokens" / "fp1" / "tmpold.tmp"
    leftover.write_bytes(b"x" * 10)
    size = sum(s.stat().st_size for s in shards) + 10
    assert TokenCache("-", root=tmp_path).clear() == ClearReport(4, size, [])
    assert not (tmp_path / "tokens").exists()
    assert TokenCache("-", root=tmp_path).clear() == ClearReport(0, 0, [])


def test_clear_counts_the_bytes_of_every_file(tmp_path):
    cache = TokenCache("fp", root=tmp_path)
    cache.put_many({"a": tokens_of("a")})
    cache.put_many({"b": tokens_of("b")})
    size = cache.size_bytes()
    assert size > 0
    assert cache.clear() == ClearReport(2, size, [])
    assert cache.size_bytes() == 0


def test_clear_reports_files_it_could_not_remove(tmp_path, monkeypatch):
    cache = TokenCache("fp", root=tmp_path)
    stuck = cache.put_many({"a": tokens_of("a")})
    cache.put_many({"b": tokens_of("b")})
    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):
        if Path(path) == stuck:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    report = cache.clear()
    assert not report.ok
    assert report.removed_files == 1
    assert report.failed == [(str(stuck), f"Permission denied: {stuck}")]
    assert stuck.exists()
    assert f"1 could not be removed: {stuck}" in str(report)


def test_clear_reports_a_read_only_folder(tmp_path):
    cache = TokenCache("fp", root=tmp_path)
    shard = cache.put_many({"a": tokens_of("a")})
    cache.folder.chmod(0o555)
    try:
        report = cache.clear()
    finally:
        with suppress(FileNotFoundError):  # removed, where chmod does not restrict root
            cache.folder.chmod(0o755)
    if report.ok:
        pytest.skip("chmod does not restrict this user (root)")
    assert report.removed_files == 0
    assert [path for path, _ in report.failed] == [str(shard)]
    assert shard.exists()


# --- concurrent runs --------------------------------------------------------------------------

ROUNDS = 12
#: Seconds all workers of one test may take. About 2 s on an idle machine and 15 s on two
#: cores shared with ten busy processes; a worker that dies fails the test at once.
WORKERS_DEADLINE = 300


def planned_batches(worker: int, round_: int) -> list[dict[str, list[str]]]:
    """What one worker writes in one round: a batch every worker writes identically (the
    same shard name, replaced concurrently), keys overlapping its neighbours' in
    different batches, and keys of its own."""
    same = [f"same-{round_}-{i}" for i in range(10)]
    overlap = [f"overlap-{round_}-{i}" for i in range(5 * worker, 5 * worker + 15)]
    own = [f"own-{worker}-{round_}-{i}" for i in range(20)]
    return [{k: tokens_of(k) for k in keys} for keys in (same, overlap + own)]


def write_and_read(root: str, worker: int, max_bytes: int, barrier, results) -> None:
    cache = TokenCache("fp", root=Path(root), max_bytes=max_bytes)
    wrong = missed = 0
    with caught() as records:
        barrier.wait(timeout=WORKERS_DEADLINE)  # broken, not endless, if a sibling died
        for round_ in range(ROUNDS):
            for batch in planned_batches(worker, round_):
                cache.put_many(batch)
            for other in range(worker + 2):  # read what this worker and others wrote
                keys = [k for b in planned_batches(other, round_) for k in b]
                got = cache.get_many(keys)
                wrong += sum(got[k] != tokens_of(k) for k in got)
                if other == worker:
                    missed += len(keys) - len(got)
    results.put((worker, wrong, missed, cache_messages(records), cache.usable))


def run_workers(root: Path, n: int, max_bytes: int) -> list[tuple]:
    """Each worker's outcome, in worker order. A worker that dies (its traceback is in the
    captured stderr) or is still running at the deadline fails the test with its exit
    code, at once; no worker outlives the test."""
    # spawn: like separate runs of the program, nothing shared but the cache folder
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(n), context.Queue()
    workers = [
        context.Process(
            target=write_and_read, args=(str(root), w, max_bytes, barrier, results), daemon=True
        )
        for w in range(n)
    ]
    outcomes: dict[int, tuple] = {}
    start = time.monotonic()
    deadline = start + WORKERS_DEADLINE
    try:
        for worker in workers:
            worker.start()
        while len(outcomes) < n:
            try:
                outcome = results.get(timeout=0.1)
            except queue.Empty:
                pass  # fail below, outside this handler: no queue.Empty in the report
            else:
                outcomes[outcome[0]] = outcome
                continue
            codes = {w: p.exitcode for w, p in enumerate(workers)}
            if any(codes.values()) or time.monotonic() > deadline:
                pytest.fail(
                    f"outcomes from workers {sorted(outcomes)} only; exit codes {codes} "
                    f"(None: still running after {time.monotonic() - start:.0f} s)"
                )
        for worker in workers:
            worker.join(timeout=60)
            assert worker.exitcode == 0
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
                worker.join()
    return [outcomes[w] for w in range(n)]


def test_a_shard_removed_between_listing_and_reading_is_a_silent_miss(cache, monkeypatch):
    # what another run's size cap does to a run that is reading: a miss, not a bad shard
    gone = cache.put_many({"a": tokens_of("a")})
    cache.put_many({"b": tokens_of("b")})
    listed = TokenCache._shards

    def removed_after_listing(self):
        shards = listed(self)
        os.unlink(gone)
        return shards

    monkeypatch.setattr(TokenCache, "_shards", removed_after_listing)
    with caught() as records:
        assert cache.get_many(["a", "b"]) == {"b": tokens_of("b")}
    assert cache_messages(records) == []


@pytest.mark.parametrize("n", [2, 4])
def test_concurrent_writers_leave_every_key_readable(tmp_path, n):
    outcomes = run_workers(tmp_path, n, max_bytes=1 << 30)
    # no wrong entry, and each worker read back everything it had written
    assert outcomes == [(w, 0, 0, [], True) for w in range(n)]
    expected = {
        k: tokens_of(k)
        for w in range(n)
        for r in range(ROUNDS)
        for batch in planned_batches(w, r)
        for k in batch
    }
    with caught() as records:
        assert TokenCache("fp", root=tmp_path).get_many([*expected, "absent"]) == expected
    assert cache_messages(records) == []
    assert not list(tmp_path.rglob("*.tmp"))


def test_concurrent_writers_under_a_tight_cap_never_read_a_wrong_entry(tmp_path):
    # the cap removes shards while other runs list and read them
    outcomes = run_workers(tmp_path, 4, max_bytes=20_000)
    assert [(w, wrong, messages, usable) for w, wrong, _, messages, usable in outcomes] == [
        (w, 0, [], True) for w in range(4)
    ]
    assert not list(tmp_path.rglob("*.tmp"))
