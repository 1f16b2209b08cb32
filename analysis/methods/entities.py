"""People, places and organisations of a corpus, found by a trained model, counted whole,
and the most frequent ones per article, per group or in the whole corpus.

**Which strings name what** is read off Baidu's LAC model (:mod:`analysis.text.ner`), not
off word lists. LAC labels characters, so a name the segmenter splits (梅德韦 | 杰夫) is one
span. A corpus of up to :data:`FULL_CHARS` characters is tagged whole. A larger one is
tagged on a sample (LAC runs at about 40,000 characters a second on one core): passages
spread evenly over the corpus, and for each of its most frequent name-like words (the
dictionary tags it a name, an abbreviation or a proper noun, or does not know it, or it
ends like a body's name: …部, …局, …大学) up to
:data:`CONTEXTS` of the sentences it occurs in; a "person" LAC also tags as something
else there gets :data:`MORE_CONTEXTS` more. What follows and precedes each name (the
context rules below) is then read in about :data:`CONTEXT_CHARS` characters of articles
spread over the corpus, not in the few tagged sentences.

**A string is an entity** when, in the text that was tagged, LAC marks it, or two
characters or more of it as the same kind (林郑 of 林郑月娥), in at least half of its
occurrences (an occurrence inside a longer tagged name does not count), and its kind is
the one LAC gives it most; a person only when LAC tags it as one in more than two thirds
of the places it tags it at all (尼日尔, a person to LAC in some sentences and a place or
a body in others, is a country).
Then these general rules of Chinese apply, none of them a list of names:

- a form of address or a title is not a name: a person's span that ends in one (吴先生,
  毛主席, 王总) or is 老/小 and a surname (老王) is dropped;
- 某 stands for a withheld name (陈某): dropped;
- a person's name is written in Chinese characters (a middle dot allowed);
- one character is not listed (美, 俄 stand for countries as abbreviations);
- a "person" of a place's first character and 方 (巴方, 越方) names a side, when a
  place of the corpus begins with that character and is seen at least as often;
- a "person" whose span touches another person's span, with nothing between them, in
  half of its occurrences or more is a piece of one name LAC cut in two (伯奇 | 费尔):
  two people's names are always parted (、, 和);
- a "person" that begins a place of three characters or more, or that such a place
  begins, is that place when the place is seen at least as often (埃塞 of 埃塞俄比亚:
  LAC cuts long transliterated place names into "names");
- …族 names a people or a clan (阿族), …杯 a cup (汤尤杯), and a name has a letter or a
  character (not 863): none is listed; nor three characters that begin with a numeral
  (五壮士), a numeral and 国 (三国, 各国), a body's or a place's generic head qualified
  by one character (大公司, 分公司, 大城市, 该地区) or a body's "name" that ends in a
  post (国务委员);
- a "person" or "place" ending in 队 is a team, an organisation (中国队, 中国女队); one
  ending in the weather and followed by a number is a forecast (开罗晴 13℃): dropped;
- a place that is a listed place and a word for a part of it or the land around it
  (南亚地区, 华南大部: …地区, …大部, …一带) is counted for that place;
- what follows a string also decides (see ``_by_context``): …方向 and …境内 follow a
  place, …发言人 and a team's …主场, …客场 a body, …关系, …边界 two places abbreviated
  together (中美, 埃厄); 驻…, 前往… and 位于… go before a place only; a "person" the text
  goes on from into a word in nine of ten places is a piece of longer words (小红书).

**Counts** (``n``, ``df``) are the occurrences of each entity in each article's counted text
(its headline fields and its paragraphs without the corpus's boilerplate), found by one
scan that takes the longest entity at each place: 巴赫 inside 巴赫穆特 is counted for
巴赫穆特 only.

Measured by ``python -m benchmarks.entities`` (precision of the 50 most frequent of each
kind against hand-tagged news NER corpora): see ``benchmarks/README.md``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from itertools import pairwise

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.errors import OptionError
from analysis.reading.names import COMPOUND_SURNAMES, SURNAMES
from analysis.representations.analysed import AnalysedCorpus, analysed

__all__ = [
    "CONTEXTS",
    "CONTEXT_CHARS",
    "ENTITY_COLUMNS",
    "FULL_CHARS",
    "KINDS",
    "KIND_LABELS",
    "MORE_CONTEXTS",
    "entity_terms",
    "top_entities",
]

KINDS = ("person", "place", "organisation")
#: How the kinds are named in charts.
KIND_LABELS = {"person": "人物", "place": "地点", "organisation": "机构"}
ENTITY_COLUMNS = ["term", "kind", "n", "df", "tagged", "seen"]
#: A corpus of at most this many characters is tagged whole.
FULL_CHARS = 400_000
#: Characters of evenly spread passages tagged in a larger corpus.
SPREAD_CHARS = 150_000
#: Sentences tagged for each frequent name-like word of a larger corpus.
CONTEXTS = 3
#: Characters of evenly spread articles of a larger corpus in which what surrounds each
#: name is read (the tagged sentences are too few for it).
CONTEXT_CHARS = 2_000_000
#: Sentences tagged for each "person" LAC also tagged as something else, or tagged fewer
#: than :data:`CONTEXTS` times (a larger corpus), before the vote.
MORE_CONTEXTS = 12
#: How many frequent name-like words get their own sentences tagged.
CANDIDATES = 1500
#: jieba tags of words that may be (part of) a name: names, abbreviations, proper nouns,
#: and words the dictionary does not know.
_NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nsf", "nt", "nz", "j", "x", "eng"})
_PIECE = 120
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*")
#: Forms of address and titles: a person's span that ends in one is not a name.
_TITLES = (  # noqa: SIM905
    "先生 女士 小姐 太太 夫人 老师 教授 博士 医生 大夫 师傅 同志 主席 总理 总统 首相 书记 部长 "
    "省长 市长 县长 区长 镇长 村长 局长 处长 科长 厅长 校长 院长 所长 主任 经理 总裁 董事长 总监 "
    "总 老 阿姨 叔叔 大爷 大妈 大娘 大婶 大嫂 大叔 大伯 大姐 大哥 奶奶 爷爷 老汉 "
    "队长 委员 代表 记者 律师 法官 警官 将军 教练 选手 议员 "
    "国王 女王 王子 公主 大使 领事 总督 州长 议长 外长 局座 氏 官"
).split()
#: What makes a title a deputy's or an acting one (副总理, 代省长).
_DEPUTY = "副代"
#: Endings of a body's name: a person's span that ends in one is an organisation (not
#: 军 or 团, which end many given names: 李军).
_BODY_ENDINGS = tuple(
    "党 武装 组织 集团 公司 政府 委员会 协会 联盟 部队 联合会 基金会 俱乐部 乐团 "  # noqa: SIM905
    "合唱团".split()
)
#: Words that follow a place and not a person (…方向, …等地, …境内; …州, …市 of a place's
#: own name).
_PLACE_FOLLOWERS = tuple(
    "方向 等方向 等地 地区 境内 附近 一带 郊区 以东 以西 以南 以北 东部 西部 南部 北部 首都 "  # noqa: SIM905
    "全境 前线 战线 州 市 省 县 区 港 湾 岛 外交部 国防部 军方 国家元首 最高法院 南郊 北郊 "
    "东郊 西郊 市中心 局势 形势 国内 民众 总统府 难民营".split()
)
#: Words that go right before a place and not a person (驻 of 驻华大使, 前往, 位于).
_PLACE_LEADERS = tuple("驻 赴 前往 抵达 飞抵 飞往 途经 位于".split())  # noqa: SIM905
#: Endings of a body's name, for words the dictionary tags as common nouns (教育部, 财政部).
_BODY_SUFFIXES = tuple(
    "部 局 委 院 会 厅 署 办 社 司 馆 所 校 队 行 党 集团 公司 大学 中心 组织 联盟 协会".split()  # noqa: SIM905
)
#: Words that follow two places abbreviated together (中美关系, 印巴两国, 中日邦交).
_PAIR_FOLLOWERS = tuple(
    "两国 双方 关系 之间 两军 边境 边界 冲突 贸易 首脑 元首 会谈 合作 战争 友好 睦邻 邦交 "  # noqa: SIM905
    "联合声明".split()
)
#: Words that follow a body and not a person (…武装, …领导人, …发言人; a team's 主场).
_BODY_FOLLOWERS = tuple(
    "武装 下属 领导人 领导层 高层 成员 指挥官 发言人 组织 政治局 官员 前领导人 "  # noqa: SIM905
    "队 主场 客场 德比 主帅".split()
)
#: Words that follow a place to name a part of it or the land around it (南亚地区, 华南大部).
_REGION_WORDS = tuple(
    "地区 大部 一带 境内 全境 东部 西部 南部 北部 中部 沿海 附近 郊区".split()  # noqa: SIM905
)
#: Numerals (the first eleven) and words of number: three characters that begin with a
#: numeral count people (五壮士), and one before 国 counts countries (三国, 各国).
_NUMERALS = "一二三四五六七八九十两几多各数诸"
#: Heads of bodies' names that a single character before them only qualifies (大公司,
#: 分公司, 该银行): a kind of body, not its name.
_BODY_HEADS = tuple(
    "公司 集团 银行 大学 学院 中学 小学 医院 工厂 商店 酒店".split()  # noqa: SIM905
)
#: Generic nouns of places that a single character before them only qualifies (大城市,
#: 该地区, 小城镇): a kind of place, not its name. Not 山区 (金山区 is a district).
_PLACE_HEADS = tuple(
    "城市 地区 国家 城镇 农村 乡村 省份 乡镇 县城 地方".split()  # noqa: SIM905
)
#: Weather in a forecast (开罗晴13℃): a span ending in one and followed by a number is a
#: place and its weather.
_WEATHER = tuple("晴 阴 云 雨 雪 雾 霾".split())  # noqa: SIM905
_WORDY = re.compile(r"^[\u3400-\u9fff]{3}$")
# What commonly follows a name in news without being part of it (说, 表示, 在, 的 …).
_SPEECH = frozenset("说表称指强认曾在是的和与对向将就也都已又还为于同等")
_PERSON = re.compile(r"^[\u3400-\u9fff]+(?:[·•][\u3400-\u9fff]+)*$")
_WRITTEN = re.compile(r"[A-Za-z\u3400-\u9fff]")


def entity_terms(
    corpus: AnalysedCorpus | pd.DataFrame, *, min_count: int = 2, progress: bool = False
) -> pd.DataFrame:
    """The corpus's people, places and organisations.

    Columns: term, kind (person, place, organisation), n (count in the corpus), df
    (articles it occurs in), tagged (the share of its occurrences in the tagged text that
    LAC marked as the kind it gave most; the context rules may then have changed the
    kind), seen (those occurrences); the most frequent first, ties by term. Entities
    counted fewer than ``min_count`` times are left out.

    >>> from analysis import load_articles
    >>> table = entity_terms(load_articles()).set_index("term")
    >>> table.loc[["湖南", "武汉市总工会", "马国强"], "kind"].tolist()
    ['place', 'organisation', 'person']
    """
    table, _ = _entities(analysed(corpus), progress=progress)
    table = table[table["n"] >= min_count]
    return table.reset_index(drop=True)


def _entities(corpus: AnalysedCorpus, *, progress: bool = False):
    """(the entity table, articles × entities counts), kept on the corpus."""
    if "entities" not in corpus._cache:
        corpus._cache["entities"] = _find(corpus, progress=progress)
    return corpus._cache["entities"]


def _find(corpus: AnalysedCorpus, *, progress: bool):
    from analysis.text.ner import EntityTagger

    texts = _Texts(corpus)
    pieces, sampled = _pieces_to_tag(corpus, texts)
    tagger = EntityTagger()
    spans = tagger.spans(pieces, progress=progress)
    tagged, seen, after, before, partly, split = evidence = _evidence(pieces, spans)
    spread = _context_texts(texts) if sampled else None
    if spread is not None:  # more places for the "people" LAC is not sure of, or saw rarely
        doubtful = [
            term
            for term, kinds in tagged.items()
            if kinds["person"]
            and (kinds["person"] < sum(kinds.values()) or sum(kinds.values()) < CONTEXTS)
        ]
        more = _more_pieces(spread, doubtful, set(pieces))
        spans_more = tagger.spans(more)
        # the more sentences are evidence on the doubtful strings only
        fuller = _evidence(pieces + more, spans + spans_more, doubtful)
        for term in doubtful:
            for have, fuller_part in zip(evidence[:4], fuller[:4], strict=True):
                have[term] = fuller_part[term]
            split[term] = fuller[5][term]
            for kind in KINDS:
                partly[term, kind] = fuller[4][term, kind]
    voted = []
    for term, kinds in tagged.items():
        kind, votes = max(kinds.items(), key=lambda kv: (kv[1], -KINDS.index(kv[0])))
        support = sum(kinds.values()) + partly[term, kind]
        if support * 2 < seen[term] or not _name_shaped(term, kind):
            continue
        if kind == "person" and split[term] * 2 >= max(seen[term], 1):
            continue  # a piece of a name LAC cut in two: 伯奇 | 费尔
        if kind == "person" and votes * 3 <= 2 * sum(kinds.values()):
            continue  # LAC calls it something else in a third of its places: 尼日尔
        voted.append((term, kind, round(votes / max(seen[term], 1), 4), seen[term]))
    contexts = (seen, after, before)
    rows = _decided(voted, contexts, spread)
    rows = _without_regions(_places_not_people(_without_sides(rows, seen), seen))
    terms = [row[0] for row in rows]
    counts = _count(texts, terms)
    table = pd.DataFrame(rows, columns=["term", "kind", "tagged", "seen"])
    table["n"] = np.asarray(counts.sum(axis=0)).ravel().astype(np.int64)
    table["df"] = np.diff(counts.tocsc().indptr).astype(np.int64)
    order = np.lexsort((table["term"].to_numpy(), -table["n"].to_numpy()))
    table = table.iloc[order]
    counts = counts[:, order]
    keep = (table["n"] > 0).to_numpy()
    return table.loc[keep, ENTITY_COLUMNS].reset_index(drop=True), counts[:, keep]


def _seen(pieces: Sequence[str], spans, strings):
    """How often each of ``strings`` occurs in ``pieces``, less its occurrences inside a
    longer span that LAC tagged there; for each, the three characters that follow those
    occurrences and the three before them; and, by (string, kind), the occurrences where
    LAC tagged two characters or more of it as that kind (林郑 of 林郑月娥)."""
    trie = _trie(strings)
    seen, partly = Counter(), Counter()
    after: dict[str, Counter] = defaultdict(Counter)
    before: dict[str, Counter] = defaultdict(Counter)
    for piece, found in zip(pieces, spans, strict=True):
        for p in range(len(piece)):
            node, q = trie, p
            while q < len(piece) and (node := node.get(piece[q])) is not None:
                q += 1
                if "" in node and not any(a <= p and q <= b and b - a > q - p for a, b, _ in found):
                    string = node[""]
                    seen[string] += 1
                    after[string][piece[q : q + 3]] += 1
                    before[string][piece[max(p - 3, 0) : p]] += 1
                    inside = [k for a, b, k in found if p <= a and b <= q and 2 <= b - a < q - p]
                    if inside:
                        partly[string, inside[0]] += 1
    return seen, after, before, partly


def _evidence(pieces: Sequence[str], spans, strings: Sequence[str] | None = None):
    """What LAC's ``spans`` in ``pieces`` tell: for each string it tagged, how often as
    each kind; then :func:`_seen`'s counts and contexts (of ``strings`` only, when
    given: each string's are its own), and :func:`_split_names`."""
    tagged: dict[str, Counter] = defaultdict(Counter)
    for piece, found in zip(pieces, spans, strict=True):
        for start, end, kind in found:
            tagged[piece[start:end]][kind] += 1
    seen = _seen(pieces, spans, tagged if strings is None else strings)
    return (tagged, *seen, _split_names(pieces, spans))


def _more_pieces(texts: Sequence[str], strings: Sequence[str], have: set[str]) -> list[str]:
    """Up to :data:`MORE_CONTEXTS` sentences of ``texts`` for each of ``strings`` that
    occurs in :data:`CONTEXTS` of them or more, from occurrences spread evenly over them,
    that are not in ``have``."""
    pattern = _trie_pattern(strings)
    if pattern is None:
        return []
    places: dict[str, list[int]] = defaultdict(list)
    for row, text in enumerate(texts):
        for string in {m.group(0) for m in pattern.finditer(text)}:
            places[string].append(row)
    out: dict[str, None] = {}
    for string in strings:
        rows = places.get(string, [])
        if len(rows) < CONTEXTS:
            continue  # too rare to be listed among the most frequent
        for k in np.unique(
            np.linspace(0, len(rows) - 1, min(MORE_CONTEXTS, len(rows))).astype(int)
        ):
            piece = next((p for p in _sentences(texts[rows[k]]) if string in p), None)
            if piece is not None and piece not in have:
                out[piece] = None
    return list(out)


def _decided(voted: list[tuple], contexts, texts: Sequence[str] | None) -> list[tuple]:
    """The rows of ``voted`` (term, kind, share, seen) that :func:`_by_form` and
    :func:`_by_context` keep, with the kind they give. ``contexts`` are (seen, after,
    before) in the tagged text. When that was a sample, what surrounds each term is read
    in ``texts`` instead (a larger share of the corpus), the longest term taken at each
    place; a longer term that is then dropped gives its places back to the terms inside
    it (陆海 of 陆海新通道, which is not a name), which are judged again."""
    candidates = set(row[0] for row in voted)
    read = _contexts(texts, sorted(candidates)) if texts is not None else None
    while True:
        rows = []
        for term, kind, share, n in voted:
            if term not in candidates:
                continue
            source = read if read is not None and read[0][term] else contexts
            found, follow, lead = source[0][term], source[1][term], source[2][term]
            kind = _by_form(term, kind, follow, found)
            if kind is not None:
                kind = _by_context(term, kind, follow, lead, found)
            if kind is not None:
                rows.append((term, kind, share, n))
        kept = {row[0] for row in rows}
        dropped = sorted(t for t in candidates - kept if any(a in t for a in kept))
        if read is None or not dropped:
            return rows
        # read again only the texts where a dropped term took places from others
        pattern = _trie_pattern(dropped)
        again = [text for text in texts if pattern.search(text)]
        _add_contexts(read, _contexts(again, sorted(candidates)), -1)
        candidates = kept
        _add_contexts(read, _contexts(again, sorted(candidates)), 1)


def _add_contexts(total, part, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) ``part`` from ``total``, both as
    :func:`_contexts` gives them."""
    for name, n in part[0].items():
        total[0][name] += sign * n
    for whole, piece in zip(total[1:], part[1:], strict=True):
        for name, counts in piece.items():
            for text, n in counts.items():
                whole[name][text] += sign * n
                if not whole[name][text]:
                    del whole[name][text]


def _context_texts(texts: _Texts) -> list[str]:
    """Articles spread evenly over the corpus, about :data:`CONTEXT_CHARS` characters."""
    lengths = np.fromiter((len(p) for p in texts.articles["text"]), dtype=np.int64)
    share = min(1.0, CONTEXT_CHARS / max(int(lengths.sum()), 1))
    rows = np.unique(np.linspace(0, len(texts) - 1, max(1, round(share * len(texts)))).astype(int))
    return [texts[int(row)] for row in rows]


def _contexts(texts: Sequence[str], strings: Sequence[str]):
    """How often each of ``strings`` occurs in ``texts`` (the longest at each place: 巴赫
    inside 巴赫穆特 is not 巴赫), and the three characters after and before those
    occurrences, as :func:`_seen` gives them for the tagged text."""
    pattern = _trie_pattern(strings)
    seen, follow, lead = Counter(), Counter(), Counter()
    for text in texts if pattern is not None else ():
        found = [(m.group(0), m.start(), m.end()) for m in pattern.finditer(text)]
        seen.update(string for string, _, _ in found)
        follow.update((string, text[end : end + 3]) for string, _, end in found)
        lead.update((string, text[max(start - 3, 0) : start]) for string, start, _ in found)
    after: dict[str, Counter] = defaultdict(Counter)
    before: dict[str, Counter] = defaultdict(Counter)
    for (string, text), n in follow.items():
        after[string][text] = n
    for (string, text), n in lead.items():
        before[string][text] = n
    return seen, after, before


def _split_names(pieces: Sequence[str], spans) -> Counter:
    """For each string LAC tagged as a person, how often it touches another person's span
    with nothing between: one name cut in two (伯奇 | 费尔), for two names are always
    parted (、, 和)."""
    split = Counter()
    for piece, found in zip(pieces, spans, strict=True):
        people = [(a, b) for a, b, kind in found if kind == "person"]
        for (a, b), (c, d) in pairwise(people):
            if b == c:
                split[piece[a:b]] += 1
                split[piece[c:d]] += 1
    return split


def _by_form(term: str, kind: str, after: Counter, seen: int) -> str | None:
    """The kind of ``term`` as its last characters tell it: a "person" or "place" ending in
    队 is a team (中国队, 中国女队); a string ending in the weather and followed by a
    number in half of its ``seen`` occurrences or more is a place in a forecast (开罗晴
    13℃), not a name."""
    if kind != "organisation" and len(term) > 2 and term.endswith("队"):
        return "organisation"
    numbers = sum(n for text, n in after.items() if text[:1].isdigit())
    if term.endswith(_WEATHER) and numbers * 2 >= max(seen, 1):
        return None
    return kind


def _by_context(term: str, kind: str, after: Counter, before: Counter, seen: int) -> str | None:
    """The kind LAC gave ``term``, corrected by what follows it (``after``: the three
    characters after each of its ``seen`` occurrences; ``before``: the three before) and
    by how it ends; None when it is a piece of a longer expression. General
    rules of Chinese, no list of names:

    - a "person" ending in a word that names a body (…党, …乐团, …武装) is an organisation;
    - a "person" followed, in a fifth of its occurrences or more, by a word that only
      follows a place (…方向, …等地, …境内, …州, …区) or preceded by one that only goes
      before a place (驻…, 前往…), is a place (巴赫穆特方向), or by
      one that only follows a body (…武装, …领导人, …发言人, a team's …主场, …队 but
      not …队长) an organisation;
    - a place's government (…政府) is named by the place, not listed; two characters
      followed, in three of ten occurrences, by what follows two places abbreviated
      together (…关系, …两国, …边境) are such a pair (中美, 印巴), not one name;
    - a person the text goes on from into a word (a character that is not a verb of
      speech, a function word or a title) in nine of ten occurrences (at least five
      seen) is a piece of longer words (小红 of 小红书 and 小红船, 埃博拉 of 埃博拉病毒);
      a name used mostly as a modifier goes with them (雷锋 of 雷锋精神);
    - a string followed by the same three characters in three of four occurrences (at
      least five seen), not a title (陆海 of 陆海新通道; 习近平总书记 stays), is a piece;
      so is a person followed by the same character in three of four, unless it begins
      a title or is a verb of speech or a function word (余英 of 余英时), and a place or
      a body preceded by the same character in four of five, unless it ends a title. A
      person is not judged by the character that precedes it: titles before names
      (特首林郑月娥) are too many for any list; only the words that go before a place
      and never a person (驻, 前往, 位于) count, with what follows a place.
    """
    if kind == "person" and term.endswith(_BODY_ENDINGS):
        return "organisation"
    if kind == "organisation" and term.endswith("政府"):
        return None  # a place's government (中国政府, 县政府) is named by the place
    total = max(seen, 1)
    pair = sum(n for text, n in after.items() if text.startswith(_PAIR_FOLLOWERS))
    if len(term) == 2 and pair >= 0.3 * total:
        return None  # two places abbreviated together (中美关系, 印巴边境), not one name
    if kind == "person":
        followers = Counter()
        for text, n in after.items():
            text = text.lstrip("）)」”'\"")
            followers["place"] += n if text.startswith(_PLACE_FOLLOWERS) else 0
            body = text.startswith(_BODY_FOLLOWERS) and not text.startswith(tuple(_TITLES))
            followers["organisation"] += n if body else 0  # 队 but not 队长
        # and what only goes before a place: 驻帛琉大使, 前往元朗
        followers["place"] += sum(n for text, n in before.items() if text.endswith(_PLACE_LEADERS))
        best, n = max(followers.items(), key=lambda kv: (kv[1], kv[0] == "place"), default=("", 0))
        if n and n >= 0.2 * total:
            return best
    if seen < 5:
        return kind
    going_on = sum(
        n
        for text, n in after.items()
        if _WORDY.match(text[:1] * 3) and text[:1] not in _SPEECH and not _titled(text)
    )
    if kind == "person" and going_on >= 0.9 * total:
        return None  # a piece of longer words: 小红 of 小红书, 小红船; 埃博拉 of 埃博拉病毒
    text, n = after.most_common(1)[0] if after else ("", 0)
    if n >= 0.75 * total and _WORDY.match(text) and not _titled(text):
        return None  # the text goes on the same way: 陆海 of 陆海新通道
    char, n = _first(after, lambda t: t[:1])
    titled = any(t.startswith(char) for t in _TITLES) or char in _DEPUTY if char else True
    if kind == "person" and n >= 0.75 * total and not titled and char not in _SPEECH:
        return None  # a name the text goes on with: 余英 of 余英时
    char, n = _first(before, lambda t: "" if t.endswith(tuple(_TITLES)) else t[-1:])
    if kind != "person" and n >= 0.8 * total and char:
        return None  # a place or body the text always opens the same way
    return kind


def _titled(text: str) -> bool:
    """``text`` begins with a title or a deputy's title (副总理, 代省长)."""
    return text.startswith(tuple(_TITLES)) or (
        text[:1] in _DEPUTY and text[1:].startswith(tuple(_TITLES))
    )


def _first(contexts: Counter, key) -> tuple[str, int]:
    """The most common ``key`` of ``contexts`` (a Counter of strings) that is a Chinese
    character, and its count."""
    counts = Counter()
    for text, n in contexts.items():
        counts[key(text)] += n
    found = [(k, n) for k, n in counts.most_common() if _WORDY.match(k * 3)]
    return found[0] if found else ("", 0)


def _without_sides(rows: list[tuple], seen: Counter) -> list[tuple]:
    """``rows`` less the "people" that name a side: 巴方, 越方 (the Palestinian, Vietnamese
    side) are a place's first character and 方; one is dropped when a place of this
    corpus begins with that character and is seen at least as often."""
    places = [(term, seen[term]) for term, kind, *_ in rows if kind == "place"]
    first: dict[str, int] = {}
    for term, n in places:
        first[term[0]] = max(first.get(term[0], 0), n)
    return [
        row
        for row in rows
        if not (
            row[1] == "person"
            and len(row[0]) == 2
            and row[0][1] == "方"
            and first.get(row[0][0], -1) >= seen[row[0]]
        )
    ]


def _places_not_people(rows: list[tuple], seen: Counter) -> list[tuple]:
    """``rows`` with the "people" that begin a place of this corpus, or that the place
    begins, made places: 埃塞 of 埃塞俄比亚, 几内亚比绍 (LAC cuts long transliterated
    place names into "names"). The place has three characters or more (a two-character
    place begins many Chinese names) and is seen at least as often."""
    places = [(term, seen[term]) for term, kind, *_ in rows if kind == "place" and len(term) >= 3]
    out = []
    for row in rows:
        term = row[0]
        if row[1] == "person" and any(
            n >= seen[term] and place != term and (place.startswith(term) or term.startswith(place))
            for place, n in places
        ):
            row = (term, "place", *row[2:])
        out.append(row)
    return out


def _without_regions(rows: list[tuple]) -> list[tuple]:
    """``rows`` less the places that are a listed place and a word for a part of it or the
    land around it (南亚地区, 华南大部): its occurrences are counted for the place."""
    places = {row[0] for row in rows if row[1] == "place"}
    return [
        row
        for row in rows
        if not (
            row[1] == "place"
            and any(row[0].endswith(w) and row[0][: -len(w)] in places for w in _REGION_WORDS)
        )
    ]


class _Texts:
    """Each article's counted text: headline fields, then its paragraphs less the corpus's
    boilerplate, one line each."""

    def __init__(self, corpus: AnalysedCorpus) -> None:
        self.articles = corpus.articles
        self.plate = corpus.boilerplate
        self.heads = [c for c in ("kicker", "title", "subtitle") if c in self.articles]

    def __len__(self) -> int:
        return len(self.articles)

    def __getitem__(self, row: int) -> str:
        # cell by cell: a whole row (``iloc``) is a new Series, 0.2 ms each
        cell = [self.articles[c].iat[row] for c in self.heads]
        return self._text(cell, self.articles["paragraphs"].iat[row])

    def __iter__(self) -> Iterator[str]:
        columns = [self.articles[c] for c in self.heads]
        for heads, body in zip(
            zip(*columns, strict=True), self.articles["paragraphs"], strict=True
        ):
            yield self._text(heads, body)

    def _text(self, heads, body) -> str:
        heads = [h for h in heads if isinstance(h, str) and h]
        body = self.plate.clean(body, count=False) if self.plate else body
        return "\n".join([*heads, *body])


def _pieces_to_tag(corpus: AnalysedCorpus, texts: _Texts) -> tuple[list[str], bool]:
    """Sentences to tag: all of them in a small corpus; else evenly spread passages and a
    few sentences of each frequent name-like word. In order, without repeats; and whether
    they are a sample."""
    lengths = corpus.articles["text"].str.len().to_numpy()
    if lengths.sum() <= FULL_CHARS:
        return [p for text in texts for p in _sentences(text)], False
    spread = int(np.clip(SPREAD_CHARS / max(lengths.mean(), 1), 1, len(texts)))
    pieces: dict[str, None] = {}
    for row in np.unique(np.linspace(0, len(texts) - 1, spread).astype(int)):
        pieces.update(dict.fromkeys(_sentences(texts[int(row)])))
    matrix = corpus.terms
    columns = matrix.counts.tocsc()
    totals = np.asarray(columns.sum(axis=0)).ravel()
    backend = corpus.tokenizer.backend
    chosen = 0
    for j in np.lexsort((matrix.terms.astype(str), -totals)):
        term = matrix.terms[j]
        if chosen >= CANDIDATES or totals[j] < 2:
            break
        if len(term) < 2:
            continue
        if backend.tag_of(term) not in _NAME_TAGS and not term.endswith(_BODY_SUFFIXES):
            continue
        chosen += 1
        rows = columns.indices[columns.indptr[j] : columns.indptr[j + 1]]
        for row in rows[np.linspace(0, len(rows) - 1, min(CONTEXTS, len(rows))).astype(int)]:
            for piece in _sentences(texts[int(row)]):
                if term in piece:
                    pieces[piece] = None
                    break
    return list(pieces), True


def _sentences(text: str) -> list[str]:
    """``text`` cut into sentences of at most ``_PIECE`` characters (a longer one is cut at
    its commas, else every ``_PIECE`` characters)."""
    out = []
    for sentence in _SENTENCE.findall(text):
        sentence = sentence.strip()
        while len(sentence) > _PIECE:
            cut = sentence.rfind("，", 0, _PIECE) + 1 or _PIECE
            out.append(sentence[:cut])
            sentence = sentence[cut:]
        if sentence:
            out.append(sentence)
    return out


def _name_shaped(term: str, kind: str) -> bool:
    """The general rules of the module's docstring."""
    if len(term) < 2 or "某" in term or term.endswith("族") or not _WRITTEN.search(term):
        return False  # 某: withheld; 族: a people or a clan (阿族); 863: a number
    if kind == "place" and len(term) > 2 and term.endswith("人"):
        return False  # the people of a place (美国人, 北京人), not the place
    if len(term) > 2 and term.endswith("杯"):
        return False  # a cup, a contest: 汤尤杯
    if kind == "place":
        generic = len(term) == 3 and term[1:] in _PLACE_HEADS  # 大城市, 该地区
        return not generic and not (len(term) == 2 and term[0] in _NUMERALS and term[1] == "国")
    if kind == "organisation":
        generic = len(term) > 2 and term[1:] in _BODY_HEADS  # 大公司, 分公司
        return not generic and not any(
            term.endswith(t) and len(t) >= 2 and len(term) > len(t) for t in _TITLES
        )  # 国务委员 is a post
    if len(term) == 3 and term[0] in _NUMERALS[:11]:
        return False  # a count of people: 五壮士, 三兄弟
    if not _PERSON.match(term):
        return False
    if len(term) == 2 and term[0] in "老小阿" and term[1] in SURNAMES:
        return False
    if term.endswith(("哋", "们", "們")):  # a plural pronoun (佢哋, 我们), not a name
        return False
    return not any(term.endswith(t) and len(term) > len(t) for t in _TITLES) or (
        term[:2] in COMPOUND_SURNAMES and len(term) <= 3
    )


def _count(texts: _Texts, terms: Sequence[str]) -> sparse.csr_matrix:
    """Articles × ``terms``: occurrences, the longest term taken at each place."""
    pattern = _trie_pattern(terms)
    column = {term: j for j, term in enumerate(terms)}
    rows, cols = [], []
    if pattern is not None:
        for row, text in enumerate(texts):
            found = [column[m.group(0)] for m in pattern.finditer(text)]
            rows += [row] * len(found)
            cols += found
    data = np.ones(len(rows), dtype=np.int64)
    counts = sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), len(terms)))
    counts.sum_duplicates()
    return counts


def _trie_pattern(strings) -> re.Pattern | None:
    """One regular expression matching any of ``strings``, the longest first at each place,
    built as a trie (so each place costs the length of a match, not the number of strings)."""
    trie = _trie(strings)
    return re.compile(_trie_regex(trie)) if trie else None


def _trie(strings) -> dict:
    """``strings`` as nested dicts of characters; the key "" marks the end of a string and
    holds it."""
    trie: dict = {}
    for string in strings:
        node = trie
        for char in string:
            node = node.setdefault(char, {})
        node[""] = string
    return trie


def _trie_regex(node: dict) -> str:
    branches = [
        re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def top_entities(
    corpus: AnalysedCorpus | pd.DataFrame,
    *,
    kind: str | Sequence[str] | None = None,
    k: int = 10,
    by: str | None = None,
    min_count: int = 2,
    exclude: Sequence[str] = (),
) -> pd.DataFrame:
    """The ``k`` most frequent people, places and organisations of each article
    (``by=None``), of each group (``by`` a metadata column or a period, as
    :meth:`~analysis.representations.analysed.AnalysedCorpus.groups` reads it) or of the whole
    corpus (``by="corpus"``).

    Columns: id (per article) or group, kind, rank, term, n (count in that article or
    group), df (articles of the unit it occurs in); ties broken by term. ``kind`` keeps one
    kind or a list of kinds; ``exclude`` leaves out terms; ``min_count`` goes to
    :func:`entity_terms`. A corpus without any entity gives an empty table.

    >>> from analysis import load_articles
    >>> table = top_entities(load_articles(), by="corpus", kind="organisation", k=3)
    >>> table.columns.tolist()
    ['group', 'kind', 'rank', 'term', 'n', 'df']
    """
    kinds = _kinds(kind)
    if k < 1:
        raise OptionError(f"k must be at least 1, not {k}")
    corpus = analysed(corpus)
    entities, counts = _entities(corpus)
    keep = (
        entities["kind"].isin(kinds) & ~entities["term"].isin(set(exclude))
        & (entities["n"] >= min_count)
    ).to_numpy()  # fmt: skip
    entities, counts = entities[keep], counts[:, keep]
    unit = "id" if by is None else "group"
    columns = [unit, "kind", "rank", "term", "n", "df"]
    if by is None:
        names, combine = corpus.ids, sparse.identity(len(corpus), format="csr")
    else:
        groups = pd.Series(["corpus"] * len(corpus) if by == "corpus" else corpus.groups(by))
        names = [g for g in dict.fromkeys(groups) if g is not None and g == g]
        index = groups.map({g: i for i, g in enumerate(names)})
        rows = index.notna().to_numpy()
        combine = sparse.csr_matrix(
            (np.ones(rows.sum()), (index[rows].astype(int), np.flatnonzero(rows))),
            shape=(len(names), len(corpus)),
        )
    if entities.empty or not names:
        return pd.DataFrame(columns=columns)
    found = sparse.coo_matrix(combine @ counts)
    present = sparse.coo_matrix(combine @ (counts > 0).astype(np.int64))
    table = pd.DataFrame(
        {
            "row": found.row,
            "term": entities["term"].to_numpy()[found.col],
            "kind": entities["kind"].to_numpy()[found.col],
            "n": found.data.astype(np.int64),
        }
    )
    df = pd.Series(present.data, index=pd.MultiIndex.from_arrays([present.row, present.col]))
    table["df"] = df.reindex(pd.MultiIndex.from_arrays([found.row, found.col])).to_numpy()
    table = table[table["n"] > 0]
    table["order"] = table["kind"].map({name: i for i, name in enumerate(KINDS)})
    table = table.sort_values(
        ["row", "order", "n", "term"], ascending=[True, True, False, True], kind="mergesort"
    )
    table["rank"] = table.groupby(["row", "order"], sort=False).cumcount() + 1
    table = table[table["rank"] <= k]
    table[unit] = np.asarray(names, dtype=object)[table["row"].to_numpy()]
    return table[columns].astype({"df": np.int64}).reset_index(drop=True)


def _kinds(kind: str | Sequence[str] | None) -> list[str]:
    if kind is None:
        return list(KINDS)
    chosen = [kind] if isinstance(kind, str) else list(kind)
    unknown = [name for name in chosen if name not in KINDS]
    if unknown or not chosen:
        raise OptionError(f"kind must be one or more of {', '.join(KINDS)}, not {kind!r}")
    return chosen
