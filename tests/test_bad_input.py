"""Bad, odd and large input, as a careful user feeds it: every case gives a one-line
message (exit 2), a warning and a documented fallback, or the right result; never a
traceback, a silent wrong result or a process left behind. docs/errors.md lists them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.processes import descendants
from tests.test_cli import run


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def big_table(tmp_path_factory) -> Path:
    """A table large enough (about 3 million characters) to be tokenized by workers."""
    path = tmp_path_factory.mktemp("big") / "big.tsv"
    sentence = "各级工会组织职工开展技能竞赛，推动企业创新发展，维护劳动者合法权益。"
    rows = [f"工会\t{sentence * 40}第{k}条。" for k in range(2200)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _start_tokenizing(path: Path) -> tuple[subprocess.Popen, set[int]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "keywords", str(path), "--no-cache"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        workers = {p for p in descendants(proc.pid) if _alive(p)}
        if len(workers) >= 2:
            break
        time.sleep(0.05)
    if len(workers) < 2:
        proc.kill()
        pytest.skip("the run finished before its workers could be seen")
    return proc, workers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_run_leaves_no_worker_behind(big_table):
    proc, workers = _start_tokenizing(big_table)
    proc.kill()  # kill -9: the parent gets no chance to clean up
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    assert not [p for p in workers if _alive(p)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_stops_cleanly_with_one_line(big_table):
    proc, workers = _start_tokenizing(big_table)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert not [p for p in workers if _alive(p)]
    assert os.getpid()  # the test process itself is untouched


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["keywords", "--top", "-5"], "argument --top: must be at least 1, not -5"),
        (["clusters", "--k-max", "1"], "argument --k-max: must be at least 2, not 1"),
        (["themes", "--k", "0"], "argument --k: must be at least 2, not 0"),
        (["themes", "--k", "100"], "themes: k must be between 2 and 45 for 46 paragraphs"),
        (["keywords", "--n0", "-1"], "argument --n0: must be 0 or more"),
    ],
)
def test_option_values_are_checked_in_one_line(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") <= 2  # the load summary and the error


@pytest.mark.parametrize(
    ("content", "command", "message"),
    [
        ("", "keywords", "no article was read from the input"),
        ("Only English words in this page.\n", "keywords", None),
        ("只有一行字。\n", "themes", "themes: need at least 4 paragraphs, this input has 1"),
        ("只有一行字。\n", "keyness", "this input has 1 article; give at least 2"),
        ("只有一行字。\n", "clusters", "clusters: need at least 3 documents, this input has 1"),
        ("123 456 。。。\n", "keywords", "no words are left after tokenizing"),
    ],
)
def test_methods_say_what_tiny_input_lacks(tmp_path, content, command, message):
    path = tmp_path / "page.txt"
    path.write_text(content, encoding="utf-8")
    result = run(command, str(path))
    assert "Traceback" not in result.stderr
    if message is None:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 2, result.stderr
        assert message in result.stderr


def test_an_unexpected_error_is_one_line_unless_debug(monkeypatch, capsys):
    from analysis import cli

    def broken(args):
        raise RuntimeError("boom")

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parser.set_defaults(func=broken)
    for action in parser._subparsers._group_actions[0].choices.values():
        action.set_defaults(func=broken)
    assert cli.main(["articles"]) == cli.EXIT_BUG
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected RuntimeError: boom" in err and "--debug" in err
    with pytest.raises(RuntimeError, match="boom"):
        cli.main(["articles", "--debug"])


# --- Traditional Chinese, markup and English in pages --------------------------------


@pytest.fixture(scope="module")
def traditional_seed(seed_text) -> str:
    import opencc

    return opencc.OpenCC("s2tw").convert(seed_text)  # Taiwan forms: all in Big5


@pytest.mark.parametrize("encoding", ["utf-8", "big5"])
def test_a_traditional_page_is_split_like_its_simplified_original(
    tmp_path, traditional_seed, seed_path, encoding
):
    from analysis.reading.corpus import TraditionalTextWarning, load_articles

    path = tmp_path / "trad.txt"
    path.write_bytes(traditional_seed.encode(encoding))
    with pytest.warns(TraditionalTextWarning, match="--convert t2s"):
        df = load_articles(path)
    reference = load_articles(seed_path)
    assert df.attrs["report"]["encodings"][str(path)] == encoding
    assert df["title"].iloc[3] == "武漢打造勞模工匠文化公園"
    # bylines in traditional characters (本報記者, 通訊員) are read like their simplified forms
    assert [len(a) for a in df["authors"]] == [len(a) for a in reference["authors"]]
    converted = load_articles(path, convert="t2s")
    assert converted["title"].tolist() == reference["title"].tolist()
    assert converted["original"].iloc[3]["title"] == "武漢打造勞模工匠文化公園"
    # the same paragraphs, converted back (t2s keeps a few Taiwan forms such as 著)
    assert converted["n_paragraphs"].tolist() == reference["n_paragraphs"].tolist()


def test_a_web_page_saved_as_txt_is_read_as_html(tmp_path, fixtures_dir):
    from analysis.reading.corpus import MarkupWarning, load_articles

    path = tmp_path / "page.txt"
    path.write_bytes((fixtures_dir / "html" / "epaper_article.html").read_bytes())
    with pytest.warns(MarkupWarning, match="read as HTML"):
        df = load_articles(path)
    assert df["title"].tolist() == ["社区食堂飘出“家的味道”"]
    assert not any("<" in p for p in df["paragraphs"].iloc[0])


def test_stray_tags_are_removed_and_spans_still_point_into_the_file(tmp_path):
    from analysis.reading.corpus import MarkupWarning, load_articles

    text = "工会新闻\n\n本报记者 王五\n\n职工书屋开放了。<br>每天都有人来借书。\n"
    path = tmp_path / "tags.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.warns(MarkupWarning, match="1 markup tag"):
        (row,) = load_articles(path).itertuples()
    assert row.paragraphs == ["职工书屋开放了。", "每天都有人来借书。"]
    for paragraph, spans in zip(row.paragraphs, row.paragraph_spans, strict=True):
        assert "".join(text[s:e] for s, e in spans) == paragraph


def test_english_lines_joined_by_the_layout_keep_their_space(tmp_path):
    from analysis.reading.corpus import load_articles

    path = tmp_path / "en.txt"
    text = "Union news\n\nThe union opened a reading room this year.\nIts workers borrow books.\n"
    path.write_text(text, encoding="utf-8")
    broken = "Union news\n\nThe union opened a reading room this\nyear and workers borrow books.\n"
    (tmp_path / "broken.txt").write_text(broken, encoding="utf-8")
    assert load_articles(path)["paragraphs"].iloc[0] == [
        "The union opened a reading room this year.",
        "Its workers borrow books.",
    ]
    assert load_articles(tmp_path / "broken.txt")["paragraphs"].iloc[0] == [
        "The union opened a reading room this year and workers borrow books."
    ]


def test_a_table_is_judged_chinese_by_its_texts_not_its_keys(tmp_path):
    import warnings

    from analysis.reading.corpus import load_articles
    from analysis.reading.textio import NotChineseWarning

    records = [
        '{"headline_text": "x", "category": "labour", "text": "工会为快递小哥送清凉", '
        '"url": "https://example.com/a/very/long/english/path/news/2024/article.html"}'
    ] * 3
    chinese = tmp_path / "keys.jsonl"
    chinese.write_text("\n".join(records), encoding="utf-8")
    english = tmp_path / "english.csv"
    english.write_text("title,text\nA,The weather report for today is sunny and warm.\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert load_articles(chinese)["text"].tolist() == ["工会为快递小哥送清凉"] * 3
    assert not [w for w in caught if issubclass(w.category, NotChineseWarning)]
    with pytest.warns(NotChineseWarning, match="english.csv"):
        load_articles(english)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_ctrl_c_lost_in_a_gc_callback_is_raised_at_the_next_check(monkeypatch):
    # CPython prints and drops a KeyboardInterrupt raised inside a weakref callback; a
    # report interrupted while matplotlib freed its figures ran on to the end (exit 0)
    import gc
    import weakref

    from analysis import processes

    monkeypatch.setattr(processes, "_interrupted", False)

    class Figure:
        pass

    figure = Figure()
    weakref.finalize(figure, processes.on_interrupt)  # Ctrl-C arrives while it is freed
    del figure
    gc.collect()  # the KeyboardInterrupt is "ignored" here
    with pytest.raises(KeyboardInterrupt):
        processes.check_interrupted()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_terminate_children_ends_only_the_children_started_since():
    from analysis.processes import children, terminate_children

    older = subprocess.Popen(["sleep", "30"])
    try:
        before = children()
        assert older.pid in before
        newer = subprocess.Popen(["sleep", "30"])  # a kernel started by the report
        terminate_children(keep=before)
        assert newer.wait(timeout=5) == -signal.SIGTERM
        assert older.poll() is None  # what ran before the report is left alone
    finally:
        older.kill()
        older.wait()
