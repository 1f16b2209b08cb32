"""--terms: the user's own words for KWIC lines, keyness rows and the report's trend lines,
given as 词1,词2 or as a file of one word a line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True)


def test_kwic_lines_of_several_terms_from_a_list_or_a_file(tmp_path):
    listed = _run("kwic", "--terms", "快递小哥,工会驿站", "seeds", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    # read on the page: 快递小哥 6 times (grep -o), once in a headline, which KWIC leaves out
    assert sum(r["term"] == "快递小哥" for r in rows) == 5
    assert {r["term"] for r in rows} == {"快递小哥", "工会驿站"}
    assert "5 occurrence(s) of '快递小哥'" in listed.stderr
    words = tmp_path / "words.txt"
    words.write_text("# my terms\n快递小哥\n\n工会驿站\n", encoding="utf-8")
    from_file = _run("kwic", "--terms", str(words), "--json")
    assert json.loads(from_file.stdout) == rows


def test_kwic_needs_a_term_and_a_missing_list_is_named():
    done = _run("kwic")
    assert done.returncode == 2
    assert "give --terms" in done.stderr
    missing = _run("kwic", "--terms", "nowhere/terms.txt")
    assert missing.returncode == 2
    assert "nowhere/terms.txt: term list (--terms) not found" in missing.stderr


def test_keyness_of_chosen_words_whatever_their_rank():
    done = _run("keyness", "--terms", "快递小哥,工会,并无此词", "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert len(payload) == 7  # one table per article
    for item in payload:
        assert {t["term"] for t in item["terms"]} == {"快递小哥", "工会"}
    diary = next(i for i in payload if i["target"].endswith("-02"))
    courier = next(t for t in diary["terms"] if t["term"] == "快递小哥")
    assert courier["n_target"] == 6 and courier["key"]  # the headline counts here
    assert done.stderr.count("并无此词") == 1  # one warning, not one per article


@pytest.mark.parametrize("value", [",", " "])
def test_an_empty_list_is_refused(value):
    done = _run("kwic", "--terms", value)
    assert done.returncode == 2
    assert "no word given" in done.stderr
