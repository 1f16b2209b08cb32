"""Token cache, worker processes and streaming counts give the same results."""

from __future__ import annotations

import gc
import multiprocessing

import numpy as np
import pytest

from analysis.methods.keywords import article_texts
from analysis.reading.corpus import load_articles
from analysis.scale import count_matrix, tokenize_many
from analysis.scale import pool as scale_pool
from analysis.scale.partitions import _text_chunks
from analysis.scale.pool import _init_worker, _pool
from analysis.text.cache import TokenCache, text_key
from analysis.text.tokenize import Tokenizer, TokenizerConfig, default_tokenizer


def texts():
    return article_texts(load_articles())


def test_cache_round_trip_and_invalidation(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path))
    tok = default_tokenizer()
    docs = texts()
    cold = tokenize_many(docs, tok, use_cache=True)
    assert cold == [tok.tokens(t) for t in docs]
    shards = list(tmp_path.rglob("*.parquet"))
    assert len(shards) == 1
    assert shards[0].parent.name == tok.fingerprint()
    cache = TokenCache(tok.fingerprint(), root=tmp_path)
    assert cache.get_many([text_key(docs[0])]) == {text_key(docs[0]): cold[0]}
    # a warm run reads the shard and writes nothing new
    assert tokenize_many(docs, tok, use_cache=True) == cold
    assert len(list(tmp_path.rglob("*.parquet"))) == 1
    # a changed text is a new key; another fingerprint is another folder
    changed = [docs[0] + "县级工会", *docs[1:]]
    assert tokenize_many(changed, tok, use_cache=True)[0][-1] == "县级工会"
    assert TokenCache("other-fingerprint", root=tmp_path).get_many([text_key(docs[0])]) == {}


def test_cache_can_be_bypassed(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("ANALYSIS_NO_CACHE", "1")
    tokenize_many(texts(), default_tokenizer())
    assert not list(tmp_path.rglob("*.parquet"))


def test_cache_size_cap_removes_oldest_shards(tmp_path):
    cache = TokenCache("fp", root=tmp_path, max_bytes=1)
    cache.put_many({"a": ["工会"]})
    cache.put_many({"b": ["职工"]})
    assert len(list(tmp_path.rglob("*.parquet"))) <= 1
    cache.clear()
    assert not list(tmp_path.rglob("*.parquet"))


def test_parallel_tokenizing_matches_serial():
    docs = texts() * 3
    tok = default_tokenizer()
    serial = tokenize_many(docs, tok, use_cache=False, n_jobs=1)
    parallel = tokenize_many(docs, tok, use_cache=False, n_jobs=2, progress=False)
    assert parallel == serial


@pytest.mark.parametrize(("n_jobs", "chunk_docs"), [(2, 3), (3, 1)])
def test_streaming_counts_match_token_lists(n_jobs, chunk_docs):
    # workers keep their own vocabularies and send only new terms: many small chunks
    # over several workers interleave those the most
    docs = texts() * 2
    tok = default_tokenizer()
    terms, counts = count_matrix(
        iter(docs), tok, n_jobs=n_jobs, chunk_docs=chunk_docs, progress=False
    )
    one, counts_one = count_matrix(docs, tok, n_jobs=1, chunk_docs=100, progress=False)
    assert terms == one
    assert (counts != counts_one).nnz == 0
    index = {t: j for j, t in enumerate(terms)}
    for i, doc in enumerate(docs):
        expected = np.zeros(len(terms), dtype=np.int64)
        for token in tok.tokens(doc):
            expected[index[token]] += 1
        assert (counts.getrow(i).toarray().ravel() == expected).all()


def test_text_chunks_keep_every_text_in_order_and_stay_small():
    docs = texts() * 5
    chunks = list(_text_chunks(iter(docs), docs=4, chars=3000))
    assert [t for chunk in chunks for t in chunk] == docs
    for chunk in chunks:
        assert len(chunk) <= 4
        # a chunk closes at the first text that takes it to the character bound
        assert sum(map(len, chunk[:-1])) < 3000


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="workers are not forked here"
)
def test_forked_workers_use_the_parents_tokenizer_for_its_config_only():
    tok = Tokenizer(extra_words=("新就业形态",))
    with _pool(1, tok):
        _init_worker(tok.config)
        assert scale_pool._worker_tokenizer is tok
        _init_worker(TokenizerConfig())
        assert scale_pool._worker_tokenizer is not tok
        assert scale_pool._worker_tokenizer.config == TokenizerConfig(backend=tok.config.backend)
    assert scale_pool._inherited is None  # the parent does not keep it alive
    assert gc.isenabled()


def test_parallel_counts_follow_the_tokenizers_own_dictionary():
    docs = texts() * 2
    plain, custom = default_tokenizer(), Tokenizer(extra_words=("白关丝瓜",))
    for tok in (plain, custom):  # the second pool must not reuse the first tokenizer
        terms, counts = count_matrix(docs, tok, n_jobs=2, chunk_docs=5, progress=False)
        one, counts_one = count_matrix(docs, tok, n_jobs=1, progress=False)
        assert terms == one
        assert (counts != counts_one).nnz == 0
    assert "白关丝瓜" in terms
