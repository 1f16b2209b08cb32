"""Nothing we write loses or exposes a user's file: output folders that are ours alone,
file names made safe, exports that are data and not code, whole files or none."""

from __future__ import annotations

import csv
import errno
import json
import os
import stat
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.config import SEEDS_DIR
from analysis.errors import OutputError
from analysis.files import (
    MAX_NAME_BYTES,
    atomic_path,
    check_output_folder,
    inert_cell,
    safe_names,
    sweep_stale,
)
from tests.test_cli import run

# Short articles, each with words that recur, so that keywords, keyness and word clouds
# have something to draw; the ids are what a hostile or careless table might hold.
HOSTILE_IDS = [
    "../../escape_up",
    "/tmp/absolute_id",
    "dot.1",
    "dot.2",
    "x" * 300,
    "ctl\x07id",
    "=cmd|' /C calc'!A0",
]
TEXTS = [
    "职工工资被拖欠,工会介入帮助职工讨薪。职工工资问题受到关注。",
    "安全生产检查在各地展开,企业落实安全生产责任。",
    "快递小哥的日常工作十分辛苦,平台保障快递小哥权益。",
    "工匠精神代代相传,技能人才培养加快,工匠受到尊重。",
    "劳模表彰大会召开,劳模先进事迹感人。",
    '=HYPERLINK("http://example.invalid","点我") 职工书屋建设推进,职工阅读活动丰富。',
    "+SUM(1,2) 新就业形态劳动者入会,劳动者权益得到维护。",
]


def _table(folder: Path, ids=HOSTILE_IDS, texts=TEXTS) -> Path:
    path = folder / "t.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows(zip(ids, texts, strict=True))
    return path


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def user_folder(tmp_path) -> Path:
    """A folder of a user's own work."""
    folder = tmp_path / "thesis"
    (folder / "data").mkdir(parents=True)
    (folder / "notes.txt").write_text("我的笔记", encoding="utf-8")
    (folder / "data" / "thesis.docx").write_bytes(b"PK\x03\x04 not ours")
    folder.chmod(0o750)
    return folder


# -- output folders -----------------------------------------------------------------------


def test_a_folder_of_the_users_files_is_refused_and_left_as_it_was(tmp_path, user_folder):
    before = _tree(user_folder)
    result = run("report", str(_table(tmp_path)), "--out", str(user_folder), "--no-notebooks")
    assert result.returncode == 2
    assert "not a report of ours" in result.stderr
    assert "notes.txt" in result.stderr and str(user_folder) in result.stderr
    assert _tree(user_folder) == before
    assert stat.S_IMODE(user_folder.stat().st_mode) == 0o750
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("{pages}", "is an input"),
        ("{pages}/rep", "lies inside an input"),
        ("{tmp}", "holds an input"),
        ("{tmp}/work", "is the current folder"),
        ("{tmp}/work/..", "holds an input"),
        ("{seeds}", "is seeds/"),
        ("{seeds}/rep", "lies inside seeds/"),
        ("{seeds}/..", "holds seeds/"),
    ],
)
def test_out_may_not_be_hold_or_lie_inside_an_input(tmp_path, out, message):
    pages = tmp_path / "pages"
    pages.mkdir()
    page = pages / "page.txt"
    page.write_bytes((SEEDS_DIR / "000_45a9ae6123a7d26b.txt").read_bytes())
    work = tmp_path / "work"
    work.mkdir()
    seeds_before = _tree(SEEDS_DIR)
    target = out.format(pages=pages, tmp=tmp_path, seeds=SEEDS_DIR)
    result = run("report", str(pages), "--out", target, "--no-notebooks", cwd=work)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "nothing was written" in result.stderr
    assert [p.name for p in pages.iterdir()] == ["page.txt"]
    assert list(work.iterdir()) == []
    assert _tree(SEEDS_DIR) == seeds_before


def test_out_may_not_hold_the_current_folder(tmp_path):
    work = tmp_path / "a" / "work"
    work.mkdir(parents=True)
    table = _table(tmp_path)
    result = run("report", str(table), "--out", str(tmp_path / "a"), "--no-notebooks", cwd=work)
    assert result.returncode == 2 and "holds the current folder" in result.stderr


def test_the_default_output_is_never_the_current_folder_or_a_parent(tmp_path):
    """``report ..`` from a subfolder: the default output would be ``reports/..``."""
    sub = tmp_path / "pages"
    sub.mkdir()
    (sub / "keep.txt").write_text("职工工资问题受到关注。", encoding="utf-8")
    _table(tmp_path)
    result = run("report", "..", "--no-notebooks", cwd=sub)
    assert result.returncode == 2
    assert "lies inside an input" in result.stderr
    assert (sub / "keep.txt").read_text(encoding="utf-8") == "职工工资问题受到关注。"
    assert not (sub / "reports").exists()


def test_the_default_name_of_a_report_is_a_safe_name():
    from analysis.cli import _report_name

    assert _report_name([Path("..")]) not in ("..", ".", "")
    assert _report_name([Path("/")]) == "report"
    assert _report_name([Path("data/news.csv")]) == "news"


def test_a_previous_report_is_replaced_and_keeps_its_permissions(tmp_path):
    table = _table(tmp_path, ids=["a", "b", "c"], texts=TEXTS[:3])
    out = tmp_path / "rep"
    out.mkdir()
    out.chmod(0o751)
    first = run("report", str(table), "--out", str(out), "--no-notebooks")
    assert first.returncode == 0, first.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o751
    (out / "keywords.csv").write_text("stale", encoding="utf-8")
    second = run("report", str(table), "--out", str(out), "--no-notebooks")
    assert second.returncode == 0, second.stderr
    assert (out / "keywords.csv").read_text(encoding="utf-8") != "stale"
    assert stat.S_IMODE(out.stat().st_mode) == 0o751
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_previous_report_holding_a_users_file_needs_force_and_keeps_the_file(tmp_path):
    table = _table(tmp_path, ids=["a", "b", "c"], texts=TEXTS[:3])
    out = tmp_path / "rep"
    assert run("report", str(table), "--out", str(out), "--no-notebooks").returncode == 0
    (out / "notes.txt").write_text("写在报告旁的笔记", encoding="utf-8")
    refused = run("report", str(table), "--out", str(out), "--no-notebooks")
    assert refused.returncode == 2
    assert "notes.txt" in refused.stderr and "--force" in refused.stderr
    forced = run("report", str(table), "--out", str(out), "--no-notebooks", "--force")
    assert forced.returncode == 0, forced.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "写在报告旁的笔记"
    assert (out / "manifest.json").is_file()


def test_an_output_folder_in_a_folder_we_cannot_write_is_one_line(tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    table = _table(tmp_path, ids=["a", "b", "c"], texts=TEXTS[:3])
    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    result = run("report", str(table), "--out", str(tmp_path / "rep"), "--no-notebooks")
    assert result.returncode == 2
    assert str(tmp_path / "rep") in result.stderr and "Permission denied" in result.stderr
    assert "bug" not in result.stderr


def test_stale_builds_of_killed_runs_are_swept_and_nothing_else(tmp_path):
    dead = 2**22 + 12345  # above Linux's pid_max: no process has it
    stale = tmp_path / f".rep.partial-{dead}-abc"
    stale.mkdir()
    (stale / "keywords.csv").write_text("half", encoding="utf-8")
    live = tmp_path / f".rep.partial-{os.getpid()}-abc"
    live.mkdir()
    users = tmp_path / ".rep.partial-notes"
    users.mkdir()
    other = tmp_path / f".other.partial-{dead}-abc"
    other.mkdir()
    removed = sweep_stale(tmp_path, name="rep")
    assert removed == [stale]
    assert live.is_dir() and users.is_dir() and other.is_dir()


def test_a_stale_copy_of_a_report_being_replaced_is_put_back(tmp_path):
    dead = 2**22 + 12345
    old = tmp_path / f".rep.old-{dead}-abc"
    old.mkdir()
    (old / "manifest.json").write_text("{}", encoding="utf-8")
    sweep_stale(tmp_path, name="rep")
    assert (tmp_path / "rep" / "manifest.json").is_file()


def test_a_folder_that_only_looks_like_a_report_is_not_ours(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"name": "my project"}', encoding="utf-8")
    with pytest.raises(OutputError, match="not a report of ours"):
        check_output_folder(folder)


# -- file names ---------------------------------------------------------------------------


def test_file_names_from_ids_stay_inside_out_and_map_back_to_their_rows(tmp_path):
    out = tmp_path / "deep" / "rep"
    result = run("report", str(_table(tmp_path)), "--out", str(out), "--no-notebooks")
    assert result.returncode == 0, result.stderr
    clouds = sorted(p.name for p in (out / "wordclouds").iterdir())
    assert len(clouds) == len(HOSTILE_IDS)  # dot.1 and dot.2 both kept
    assert "dot.1.png" in clouds and "dot.2.png" in clouds
    assert all(len(name.encode()) <= MAX_NAME_BYTES + 4 for name in clouds)
    outside = [p for p in tmp_path.rglob("*.png") if out not in p.parents]
    assert outside == []
    assert not Path("/tmp/absolute_id.png").exists()
    mapping = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files_from_rows"]
    assert sorted(mapping.values()) == sorted(HOSTILE_IDS)
    assert all((out / name).is_file() for name in mapping)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=300), min_size=1, max_size=8))
def test_names_made_from_random_ids_never_leave_the_folder(tmp_path_factory, ids):
    folder = tmp_path_factory.getbasetemp() / "names"
    names = safe_names(ids)
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert name and name not in (".", "..")
        assert "/" not in name and "\\" not in name and "\x00" not in name
        assert not any(ord(c) < 32 for c in name)
        assert len(name.encode("utf-8")) <= MAX_NAME_BYTES + 8
        assert (folder / f"{name}.png").resolve().parent == folder.resolve()


# -- exports ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+SUM(1,2)", "'+SUM(1,2)"),
        ("@cmd", "'@cmd"),
        ("-x", "'-x"),
        ("\tx", "'\tx"),
        ("-3.5", "-3.5"),
        ("+86", "+86"),
        ("工资-拖欠", "工资-拖欠"),
        (12, 12),
    ],
)
def test_cells_that_would_run_as_formulas_are_escaped(value, expected):
    assert inert_cell(value) == expected
    assert inert_cell(value, raw=True) == value


def _formula_cells(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [
        c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]


def test_the_report_writes_data_not_formulas(tmp_path):
    out = tmp_path / "rep"
    assert run("report", str(_table(tmp_path)), "--out", str(out), "--no-notebooks").returncode == 0
    assert _formula_cells(out / "tables.xlsx") == []
    book = openpyxl.load_workbook(out / "tables.xlsx")
    ids = [c.value for c in book["articles"]["A"][1:]]
    assert "=cmd|' /C calc'!A0" in ids  # stored as the text it is
    assert "ctl\ufffdid" in ids  # a workbook cannot hold a control character
    articles = pd.read_csv(out / "articles.csv", dtype=str, keep_default_na=False)
    assert "'=cmd|' /C calc'!A0" in set(articles["id"])
    assert not any(v.startswith(("=", "+", "@")) for v in articles["id"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["csv_cells"] == "formulas escaped"


def test_raw_csv_writes_cells_as_they_are(tmp_path):
    table = _table(tmp_path)
    out = tmp_path / "kw.csv"
    result = run("articles", str(table), "-o", str(out), "--raw-csv")
    assert result.returncode == 0, result.stderr
    assert "=cmd|' /C calc'!A0" in set(pd.read_csv(out, dtype=str)["id"])


def test_o_xlsx_and_csv_are_data(tmp_path):
    table = _table(tmp_path)
    assert run("articles", str(table), "-o", str(tmp_path / "a.xlsx")).returncode == 0
    assert _formula_cells(tmp_path / "a.xlsx") == []
    assert run("articles", str(table), "-o", str(tmp_path / "a.csv")).returncode == 0
    ids = set(pd.read_csv(tmp_path / "a.csv", dtype=str)["id"])
    assert "'=cmd|' /C calc'!A0" in ids and "dot.1" in ids


def test_o_may_not_write_into_an_input_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    table = _table(folder)
    result = run("articles", str(folder), "-o", str(folder / "out.csv"))
    assert result.returncode == 2 and "lies inside an input" in result.stderr
    result = run("articles", str(table), "-o", str(table))
    assert result.returncode == 2 and "is an input" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["t.csv"]


# -- whole files or none ------------------------------------------------------------------


@pytest.mark.parametrize("failure", [KeyboardInterrupt, "disk full"])
def test_an_interrupted_or_full_write_keeps_the_old_file(tmp_path, monkeypatch, failure):
    table = _table(tmp_path)
    target = tmp_path / "out.csv"
    target.write_text("the old result\n", encoding="utf-8")
    original = pd.DataFrame.to_csv

    def half_then_fail(self, path, *args, **kwargs):
        if hasattr(path, "write"):  # tables are written a part at a time to one handle
            path.write("half a tab")
            path.flush()
        else:
            Path(path).write_text("half a tab", encoding="utf-8")
        if failure is KeyboardInterrupt:
            raise KeyboardInterrupt
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_fail)
    result = run("articles", str(table), "-o", str(target))
    monkeypatch.setattr(pd.DataFrame, "to_csv", original)
    assert target.read_text(encoding="utf-8") == "the old result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "t.csv"]
    if failure is KeyboardInterrupt:
        assert result.returncode == 130
        assert "nothing half-written was kept" in result.stderr
        assert f"{target} was not written" in result.stderr
    else:
        assert result.returncode == 2
        assert str(target) in result.stderr and "No space left on device" in result.stderr
        assert "bug" not in result.stderr


def test_atomic_path_leaves_nothing_on_error(tmp_path):
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "a.txt") as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


# -- every view skips with its reason, in notebooks too ---------------------------------


def test_a_three_row_table_gives_a_report_and_notebooks_that_say_what_they_skip(tmp_path):
    table = _table(tmp_path, ids=["a", "b", "c"], texts=TEXTS[:3])
    out = tmp_path / "rep"
    result = run("report", str(table), "--out", str(out))
    assert result.returncode == 0, result.stderr
    themes = (out / "notebooks" / "03-themes.ipynb").read_text(encoding="utf-8")
    assert "themes: not shown for this input: themes: need at least 4 paragraphs" in themes
    assert '"ename"' not in themes  # no cell raised
    for notebook in (out / "notebooks").glob("*.ipynb"):
        assert '"output_type": "error"' not in notebook.read_text(encoding="utf-8"), notebook
