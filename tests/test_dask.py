"""The archive on Dask gives what the local pool gives: the same vocabulary in the same
order, the same matrix, keywords and themes, whatever the partitions; the same errors."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import cloudpickle
import pytest

import analysis.representations.matrix
from analysis.cli import main
from analysis.errors import AnalysisError, InputError, OptionError
from analysis.methods.archive import archive_keywords_and_themes, count_files
from analysis.methods.keywords import article_texts
from analysis.reading.corpus import folder_boilerplate, load_articles
from analysis.scale import count_matrix, count_partition, dask_backend
from analysis.text.tokenize import Tokenizer, TokenizerConfig, default_tokenizer
from tests.conftest import corpus_dir

# the sources below that kill or fail their worker are classes of this module, which the
# workers cannot import: they travel by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="session")
def cluster():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
        ) as local,
        Client(local, set_as_default=False) as client,
    ):
        yield local, client
        dask_backend.close_clients()


@pytest.fixture(scope="session")
def dask_schedulers(cluster):
    """The test cluster as a client object and as a tcp:// address."""
    local, client = cluster
    assert local.scheduler_address.startswith("tcp://")
    return [client, local.scheduler_address]


@pytest.fixture(scope="session")
def thucnews_texts() -> list[str]:
    path = corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv"
    return article_texts(load_articles(path))[:300]


def assert_same_counts(a, b) -> None:
    terms_a, counts_a = a
    terms_b, counts_b = b
    assert terms_a == terms_b  # the same terms in the same order
    assert counts_a.shape == counts_b.shape
    for name in ("indptr", "indices", "data"):
        left, right = getattr(counts_a, name), getattr(counts_b, name)
        assert left.dtype == right.dtype
        assert left.tobytes() == right.tobytes()


def assert_same_result(a: dict, b: dict) -> None:
    assert a["terms"] == b["terms"]
    for name in ("document_frequency", "keywords", "labels"):
        assert a[name].dtype == b[name].dtype
        assert a[name].tobytes() == b[name].tobytes()
    assert a["themes"] == b["themes"]


def test_seed_gives_the_same_counts_keywords_and_themes(dask_schedulers):
    texts = article_texts(load_articles())
    tok = default_tokenizer()
    options = {"k": 3, "dims": 5, "top": 5}
    local = archive_keywords_and_themes(texts, tok, scheduler="local", n_jobs=2, **options)
    expected = count_matrix(texts, tok, scheduler="local", n_jobs=1, progress=False)
    assert len(expected[0]) > 400 and expected[1].shape[0] == 7
    for scheduler in dask_schedulers:
        for partitions in (1, 3, 7):
            counts = count_matrix(
                texts, tok, scheduler=scheduler, partitions=partitions, progress=False
            )
            assert_same_counts(counts, expected)
        result = archive_keywords_and_themes(
            texts, tok, scheduler=scheduler, partitions=3, **options
        )
        assert_same_result(result, local)


def test_real_articles_give_the_same_results_across_partitions(dask_schedulers, thucnews_texts):
    tok = default_tokenizer()
    options = {"k": 5, "dims": 10}
    local = archive_keywords_and_themes(thucnews_texts, tok, scheduler="local", n_jobs=2, **options)
    assert len(set(local["labels"].tolist())) == 5
    expected = count_matrix(thucnews_texts, tok, scheduler="local", n_jobs=1, progress=False)
    client, address = dask_schedulers
    for partitions in (1, 2, 5):
        counts = count_matrix(
            thucnews_texts, tok, scheduler=client, partitions=partitions, progress=False
        )
        assert_same_counts(counts, expected)
    result = archive_keywords_and_themes(
        thucnews_texts, tok, scheduler=address, partitions=3, **options
    )
    assert_same_result(result, local)
    # a stream is cut by its length
    streamed = count_matrix(
        iter(thucnews_texts), tok, scheduler=dask_schedulers[1], partitions=4,
        total=len(thucnews_texts), progress=False,
    )  # fmt: skip
    assert_same_counts(streamed, expected)


def test_files_read_by_the_workers_give_what_loading_them_all_gives(cluster, tmp_path):
    _, client = cluster
    tok = default_tokenizer()
    pages = sorted(corpus_dir("newspaper_pages").glob("rmrb_*.txt"))
    # pages of one folder share boilerplate lines, found across the whole folder: a
    # worker reading a few of the pages must remove them too
    assert folder_boilerplate(pages)
    tables = [
        Path("tests/fixtures/tables/articles.csv"),
        Path("tests/fixtures/tables/headerless.tsv"),
    ]
    for paths, partition_counts in ((pages, (1, 4)), (tables, (2,))):
        texts = article_texts(load_articles(paths))
        expected = count_matrix(texts, tok, scheduler="local", n_jobs=1, progress=False)
        assert_same_counts(count_files(paths, tok, scheduler="local", progress=False), expected)
        for partitions in partition_counts:
            got = count_files(paths, tok, scheduler=client, partitions=partitions, progress=False)
            assert_same_counts(got, expected)


def test_a_bad_file_read_by_a_worker_is_the_same_one_line_error(cluster, tmp_path):
    _, client = cluster
    good = tmp_path / "a.tsv"
    good.write_text("体育\t中国队夺得冠军\n财经\t股市今日上涨\n", encoding="utf-8")
    bad = tmp_path / "b.tsv"
    bad.write_text("体育\t女排再夺冠军\n财经\t债市\t多出一列\n", encoding="utf-8")
    with pytest.raises(InputError) as local_error:
        load_articles([good, bad])
    with pytest.raises(InputError) as dask_error:
        count_files([good, bad], scheduler=client, partitions=2, progress=False)
    assert str(dask_error.value) == str(local_error.value)
    assert f"{bad}:2:" in str(dask_error.value)
    missing = tmp_path / "missing.tsv"
    with pytest.raises(InputError, match="no such file or folder") as missing_error:
        count_files([good, missing], scheduler=client, progress=False)
    with pytest.raises(InputError) as missing_local:
        load_articles([good, missing])
    assert str(missing_error.value) == str(missing_local.value)


@pytest.mark.parametrize("scheduler", ["local", "tcp"])
def test_cli_missing_file_is_one_line(cluster, capsys, monkeypatch, scheduler):
    monkeypatch.setenv("ANALYSIS_SCHEDULER", "local")  # restored after main() sets it
    address = cluster[0].scheduler_address if scheduler == "tcp" else "local"
    code = main(["keywords", "--scheduler", address, "no/such/archive.tsv"])
    assert code == 2
    assert (
        capsys.readouterr().err
        == "error: no/such/archive.tsv: no such file or folder; check the path\n"
    )


def test_cli_counts_large_inputs_on_the_scheduler_it_is_given(monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYSIS_SCHEDULER", "local")
    # every input counts as large here, so the counting goes to the scheduler
    monkeypatch.setattr(analysis.representations.matrix, "LARGE_INPUT_CHARS", 0)
    submitted = []
    real = dask_backend.count_partitions
    monkeypatch.setattr(
        dask_backend, "count_partitions", lambda *a, **kw: submitted.append(kw) or real(*a, **kw)
    )
    outputs = {}
    for scheduler in ("local", "dask"):
        out = tmp_path / f"{len(outputs)}.json"
        assert main(["--scheduler", scheduler, "keywords", "seeds", "-o", str(out)]) == 0
        outputs[scheduler] = out.read_bytes()
    dask_backend.close_clients()  # the LocalCluster that "dask" started
    assert [kw["scheduler"] for kw in submitted] == ["dask"]
    assert len(set(outputs.values())) == 1
    assert json.loads(outputs["local"])[0]["keywords"][0]["term"]


def test_an_unreachable_scheduler_is_one_line(capsys, monkeypatch):
    monkeypatch.setenv("ANALYSIS_SCHEDULER", "local")
    monkeypatch.setattr(analysis.representations.matrix, "LARGE_INPUT_CHARS", 0)
    monkeypatch.setattr(dask_backend, "CONNECT_TIMEOUT", 0.5)
    assert main(["keywords", "--scheduler", "tcp://127.0.0.1:9", "seeds"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("error: scheduler tcp://127.0.0.1:9: no Dask scheduler answered")
    with pytest.raises(SystemExit) as exit_:
        main(["keywords", "--scheduler", "spark", "seeds"])
    assert exit_.value.code == 2
    assert "--scheduler: scheduler 'spark': use local" in capsys.readouterr().err


def test_a_worker_with_another_tokenizer_stops_the_run(cluster):
    _, client = cluster
    tok = default_tokenizer()
    spec = dask_backend.TokenizerSpec.of(tok)
    foreign = dask_backend.TokenizerSpec(
        spec.config, spec.user_dicts, "0" * 16, (("jieba", "0.0"), *spec.versions[2:])
    )
    with pytest.raises(AnalysisError) as error:
        dask_backend._check_workers(client, foreign)
    message = str(error.value)
    assert message.startswith("Dask worker tcp://") and "tokenizes differently" in message
    assert "on the worker, 0.0 on the client" in message and "\n" not in message
    dask_backend._check_workers(client, spec)  # the true one passes


def test_user_dictionaries_travel_with_the_tokenizer(cluster, tmp_path, thucnews_texts):
    _, client = cluster
    words = tmp_path / "words.txt"
    words.write_text("白关丝瓜 50000 n\n女排再夺冠 50000 nz\n", encoding="utf-8")
    tok = Tokenizer(TokenizerConfig(user_dicts=(words,)))
    texts = [*thucnews_texts[:40], "白关丝瓜上市", "女排再夺冠"]
    expected = count_partition(texts, tok)
    assert "白关丝瓜" in expected[0]
    spec = dask_backend.TokenizerSpec.of(tok)
    words.unlink()  # the workers cannot read it where the client did: they use its bytes
    result, caught = client.submit(dask_backend._count_source, spec, texts, pure=False).result()
    assert caught == []
    assert result[0] == expected[0]
    for got, want in zip(result[1:], expected[1:], strict=True):
        assert got.tobytes() == want.tobytes()


class _FailOnce:
    """A partition source that fails (``exc``) on its first call, or dies (``exc`` None),
    and logs each call in a file."""

    def __init__(self, texts: list[str], log: Path, exc: BaseException | None) -> None:
        self.texts, self.log, self.exc = texts, log, exc

    def __call__(self) -> list[str]:
        first = not self.log.exists()
        with open(self.log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        if first and self.exc is None:
            os._exit(1)  # the worker process dies mid-task
        if first or isinstance(self.exc, AnalysisError):
            raise self.exc
        return self.texts


def test_failed_and_killed_tasks_are_retried_but_not_bad_input(cluster, tmp_path, thucnews_texts):
    _, client = cluster
    tok = default_tokenizer()
    texts = thucnews_texts[:60]
    expected = count_matrix(texts, tok, scheduler="local", n_jobs=1, progress=False)
    for name, exc in (("flaky", OSError("NFS hiccup")), ("killed", None)):
        log = tmp_path / f"{name}.log"
        sources = [texts[:30], _FailOnce(texts[30:], log, exc)]
        got = dask_backend.count_partitions(sources, tok, scheduler=client, progress=False)
        assert_same_counts(got, expected)
        pids = log.read_text().split()
        assert len(pids) == 2
        if exc is None:
            assert pids[0] != pids[1]  # run again in another process
    log = tmp_path / "bad.log"
    bad = _FailOnce(texts, log, InputError("x.tsv:3: no text in column 'text'"))
    with pytest.raises(InputError, match=r"^x\.tsv:3: no text"):
        dask_backend.count_partitions([bad], tok, scheduler=client, progress=False)
    assert len(log.read_text().split()) == 1  # an error in the input is not retried


def test_partitions_cover_the_texts_in_order():
    texts = [f"文{i}" * (i % 7 + 1) for i in range(50)]
    longest = max(map(len, texts))
    share = sum(map(len, texts))
    for partitions in (1, 3, 7, 50, 80):
        parts = list(dask_backend._cut(texts, partitions, None))
        assert [t for p in parts for t in p] == texts
        assert len(parts) <= partitions
        assert all(sum(map(len, p)) <= share / partitions + longest for p in parts)
        if partitions <= 7:
            assert len(parts) == partitions
    streamed = list(dask_backend._cut(iter(texts), 4, len(texts)))
    assert [len(p) for p in streamed] == [13, 13, 13, 11]
    assert list(dask_backend._cut([], 3, None)) == []
    with pytest.raises(OptionError, match="total="):
        list(dask_backend._cut(iter(texts), 4, None))


def test_reprints_on_dask_are_those_of_one_process(dask_schedulers, monkeypatch):
    import pandas as pd

    import analysis.methods.reprints as module
    from benchmarks.reprints import planted

    texts = article_texts(load_articles(corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv"))
    corpus, _ = planted(texts[:300], 30, seed=7)
    alone = module.find_reprints(corpus)
    assert len(alone.clusters) >= 25
    monkeypatch.setattr(module, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(module, "CHUNK_CHARS", 50_000)  # about 60 articles a partition
    for scheduler in dask_schedulers:
        found = module.find_reprints(corpus, scheduler=scheduler)
        pd.testing.assert_frame_equal(found.clusters, alone.clusters)
        pd.testing.assert_frame_equal(found.pairs, alone.pairs)
