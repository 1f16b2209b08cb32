"""People, places and organisations among a corpus's terms, and the most frequent ones per
article, per group or in the whole corpus.

There is no trained entity recogniser here: a term's kind comes from its part-of-speech
tag in the dictionary (jieba's ``nr``/``nrfg``/``nrt`` person, ``ns``/``nsf`` place,
``nt`` organisation; the domain dictionary's own tags), cleaned by rules that were
checked by reading the seed page and THUCNews-1k:

- jieba's dictionary tags many everyday words as names (明星, 阳光, 明白 ``nr``; 城市,
  上市, 东西 ``ns``). A word tagged as a person is kept only when it is shaped like a
  name (a surname and one or two characters, or every character one that transliterates
  foreign names, or a middle dot), and a two-character one only when it is not a common
  word (jieba frequency below :data:`COMMON_WORD_FREQ`). The frequent misfits that pass
  those rules are listed in :data:`NOT_ENTITIES`; :data:`CORRECTIONS` gives the kind of
  the frequent names the dictionary tags wrongly (奥巴马 ``ns``, 科比 ``j``, 索尼 ``nr``).
- Words of the domain or a user dictionary keep the kind their tag says; one given
  without a tag is an organisation when it ends in :data:`ORG_SUFFIXES` (…工会, …集团).
  The suffixes are never used for other words: 局部, 格局, 干部 end in them too.
- Words the dictionary does not know (tag ``x``, found by the HMM) are mostly Chinese
  names in news. A three-character one that starts with a common surname, does not end
  in a function character or a place or organisation suffix (罗伊在, 王雷摄, 武潭镇,
  林草局) and occurs at least ``min_count`` times is kept as a person: 97 of 100 such
  words drawn from THUCNews-1k are names. Two-character ones are not: among those that
  recur there only about six in ten are names (单品, 房企, 高管, 史上 are not).

Measured by reading the corpus-wide top 30 of each kind (real entities of that kind out
of 30; name fragments such as 德尔曼 of 阿德尔曼 count as wrong). THUCNews-1k, on which
the lists were made: people 26, places 27, organisations 30. Before their misfits were
added to the lists: Sogou-mini people 19, places 26, organisations 22; 人民日报 pages
people 19, places 28, organisations 24; THUCNews titles people 18, places 27,
organisations 26. People are the weak kind: jieba tags brands (惠普, 雅马哈), clubs and
countries ``nr``, and splits foreign names (梅德韦 | 杰夫).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.errors import OptionError
from analysis.reading.names import COMPOUND_SURNAMES, SURNAMES
from analysis.representations.analysed import AnalysedCorpus, analysed

if TYPE_CHECKING:
    pass

__all__ = [
    "COMMON_WORD_FREQ",
    "CORRECTIONS",
    "ENTITY_COLUMNS",
    "KINDS",
    "KIND_LABELS",
    "NOT_ENTITIES",
    "ORG_SUFFIXES",
    "entity_terms",
    "top_entities",
]

KINDS = ("person", "place", "organisation")
#: How the kinds are named in charts.
KIND_LABELS = {"person": "人物", "place": "地点", "organisation": "机构"}
ENTITY_COLUMNS = ["term", "kind", "tag", "rule", "n", "df"]
_TAG_KINDS = {
    "nr": "person",
    "nrfg": "person",
    "nrt": "person",
    "ns": "place",
    "nsf": "place",
    "nt": "organisation",
}
#: Endings that make an untagged dictionary word an organisation; longest first.
ORG_SUFFIXES = (
    "总工会", "委员会", "工会", "协会", "公司", "集团", "大学", "医院", "局", "厅", "部",
)  # fmt: skip
#: A two-character word tagged as a person whose jieba frequency reaches this is an
#: everyday word (明白 10875, 文明 6584, 师傅 1976); real two-character names in news
#: stay far below it (姚明 97, 成龙 56, 王菲 44).
COMMON_WORD_FREQ = 1000

# Characters of the standard transliteration of foreign names (詹姆斯, 加索尔, 诺维茨基).
_TRANSLITERATION = frozenset(
    "阿埃艾爱安昂敖奥澳巴拜班邦保堡鲍贝本比彼毕宾波伯泊博布采查达黛戴丹道德登迪蒂丁东"
    "杜敦多厄恩尔法凡菲费芬丰佛弗伏福富盖甘冈戈哥格根贡古瓜圭果哈海汉翰豪赫亨洪胡华怀"
    "惠霍基吉加嘉贾杰捷金居卡凯坎康考柯科克肯库夸奎昆拉腊莱赖兰朗劳勒雷蕾里理利莉丽列"
    "林琳龙隆娄卢鲁路伦罗洛吕马玛迈麦曼芒梅门蒙米敏摩莫默姆穆纳娜奈南内妮尼涅宁纽努诺"
    "欧帕派潘庞佩彭皮珀普齐奇恰乔切钦琼丘萨塞赛桑瑟森沙莎尚绍舍圣施什史舒斯松苏索塔泰"
    "坦汤唐特提廷图托瓦万旺威韦维温沃乌伍武西希锡夏谢辛休雅亚延扬耶伊因尤约泽扎詹兹"
    "卓佐哲热若逊茨夫撒治顿娅丝薇琪"
)
# A name does not end in these. An unknown word that does is a name with the next word
# stuck to it (罗伊在, 王健现, 周农说, a photo credit's 王雷摄), or a place or an
# organisation (武潭镇, 林草局).
_NOT_NAME_END = frozenset(
    "在说称指及拟赴现系是等和与也都就又将把被对从向为了的着过到摄级省市县区州镇乡村街路局厅委院队办"
)
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
_DOT_NAME = re.compile(r"^[\u4e00-\u9fff]{1,8}[·•][\u4e00-\u9fff]{1,10}$")


def _words(text: str) -> list[str]:
    return text.split()


#: Words the dictionary tags as a person, place or organisation that are not names in
#: news, found by reading the top of every kind on the seed page and on THUCNews-1k (and
#: a few on Sogou-mini and 人民日报 pages, after measuring precision there).
NOT_ENTITIES = frozenset(
    # tagged nr/nrt: everyday words, brands, titles and events
    _words(
        "季后赛 高清 高达 卫浴 牛仔 封神 连衣裙 华丽 托福 托福考 温馨 比基尼 封盖 连胜 明珠 "
        "武侠 万里行 盛世 马赛克 古玩城 祝福 卓越 多达 祝贺 荣幸 时髦 白蛇传 马甲 奥斯卡 "
        "施华洛 田园 史诗 华裔 张扬 段时间 金元宝 金秋 金九银 高尔夫 沙龙 熊猫 钱庄 马拉松 "
        "高昂 高薪 万圣节 全明星 全高清 安保 关怀 张贴 高水平 白发 科普 兰花 庄园 高招 富豪 "
        "高三"
    )
    # tagged ns: everyday words
    + _words(
        "城市 上市 东西 海归 嘉宾 外国 回国 江湖 加盟 同庆 广角 广角镜头 英雄 美丽 入市 山洞 "
        "都市 城镇 新鲜 青春 扎堆 古典 土地利用 新店 上半场 上场比赛 上台 两国 太多 太大 普及 "
        "长大 长达 长度 长跑 关联 富国 海滩 大国 大海 大山 大桥 大关 大城 大都 大城市 大牛市 "
        "太阳 新建 海洋 深度 黑马 云集 王国 英灵 蓬松度 入口 入门 南北 城堡 墨水 密封 山水 "
        "归国 治安 福利 立马 人山人海 南瓜 山寨 山庄 开朗 来源国 中断 喜庆 契约 山脉 河畔 "
        "宜居 端庄 贵宾 上路 上门 登门 古城 山区 山林 庆典 巴士 礼拜 舞美 赞美 爱美 阴阳 "
        "临街 临水 城建 酒店宾馆 周边城市 欧美国家 三国 中西 刚跑 江水 桥头堡 惠及 上岗 中考 "
        "远洋 吉利 满意度"
    )
    # tagged nt: concepts, and kinds of organisation rather than one organisation
    + _words(
        "国际化 最大化 中国化 中华文化 公共交通 公共汽车 公共场所 公共财政 中央财政 英语教学 "
        "外语教学 中俄关系 中美关系 美中关系 新兴产业 新进展 新闻资讯 施工工艺 重新安排 "
        "中西部 中国区 交汇处 商务区 商务中心 商业中心 中草药 黑社会 党和政府 国防科技 "
        "香港媒体 美国市场 非银行 中学教师 法律咨询 上市公司 商业银行 国有银行 交易所 联合会 "
        "理工学院 文理学院 商学院 法学院 美术学院 外语学院 国立大学 理工大学 美国大学 英国大学 "
        "中国大学 普通高校 重点高校 日本公司 国家机关 驻华使馆 驻外使馆 中医药 中医中药 "
        "广播电视 信息中心 民办高校 军事院校 重点中学 国内汽车 中级车 广大观众 中港台 加油站 "
        "普通本科 国家队"
    )
)

#: Names whose dictionary tag is wrong or missing (科比 is ``j``, 奥巴马 ``ns``, 莫斯科 and
#: 索尼 ``nr``): word → kind. Sports teams, brands and their makers are organisations.
CORRECTIONS: dict[str, str] = {
    **dict.fromkeys(_words("科比 奥巴马 加内特 巴克利 特鲁西埃"), "person"),
    **dict.fromkeys(
        _words(
            "莫斯科 威尼斯 休斯顿 萨克拉门托 多哈 肯塔基 达拉斯 迈阿密 叶卡捷琳堡 新奥尔良 "
            "阿富汗 伊拉克 哈萨克斯坦 阿根廷 索马里 华府 岳麓山 马王堆 南通 香港特别行政区"
        ),
        "place",
    ),
    **dict.fromkeys(
        _words(
            "索尼 尼康 博洛尼 皮克斯 易方达 迪斯尼 卡西欧 宜家 哈佛 耶鲁 牛津 伯克利 "
            "华为 福特 比亚迪 雅马哈 马自达 克莱斯勒 桑塔纳 惠普 高盛 摩托罗拉 华硕 阿里巴巴 "
            "塔利班 湖人 马刺 黄蜂 尼克斯 雷霆 凯尔特人 森林狼 阿森纳 曼联 切尔西 巴萨 安德莱赫特"
        ),
        "organisation",
    ),
}


def entity_terms(
    corpus: AnalysedCorpus | pd.DataFrame, *, min_count: int = 2, unknown_names: bool = True
) -> pd.DataFrame:
    """The corpus's terms that name a person, place or organisation.

    Columns: term, kind (person, place, organisation), tag (the dictionary tag), rule
    (why the term was kept), n (count in the corpus), df (articles it occurs in); the
    most frequent first, ties by term. ``unknown_names`` keeps recurring unknown words
    shaped like a Chinese name (``min_count`` times or more) as people.

    >>> from analysis import load_articles
    >>> table = entity_terms(load_articles()).set_index("term")
    >>> table.loc[["湖南", "总工会", "马国强"], "kind"].tolist()
    ['place', 'organisation', 'person']
    >>> table.loc["马国强", "rule"]
    'unknown word: surname, recurs'
    """
    corpus = analysed(corpus)
    matrix = corpus.terms
    tokenizer = corpus.tokenizer
    backend = tokenizer.backend
    dictionary = tokenizer.dictionary_words
    domain = getattr(tokenizer, "domain_words_", set())
    counts = np.asarray(matrix.counts.sum(axis=0)).ravel()
    document_frequency = matrix.document_frequency
    rows = []
    for index, term in enumerate(matrix.terms):
        tag = backend.tag_of(term)
        n = int(counts[index])
        found = _classify(term, tag, n, dictionary, domain, backend, min_count, unknown_names)
        if found is not None:
            kind, rule = found
            rows.append((term, kind, tag, rule, n, int(document_frequency[index])))
    table = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    table = table.astype({"n": np.int64, "df": np.int64})
    return table.sort_values(["n", "term"], ascending=[False, True], kind="mergesort").reset_index(
        drop=True
    )


def _classify(
    term: str,
    tag: str,
    n: int,
    dictionary: frozenset[str],
    domain: set[str],
    backend,
    min_count: int,
    unknown_names: bool,
) -> tuple[str, str] | None:
    """(kind, rule) of one term, or None when it names nothing."""
    if term in CORRECTIONS:
        return CORRECTIONS[term], f"correction (tag {tag})"
    if len(term) < 2 or term in NOT_ENTITIES or term in COMPOUND_SURNAMES:
        return None
    if term in dictionary:
        source = "domain dictionary" if term in domain else "user dictionary"
        if tag in _TAG_KINDS:
            return _TAG_KINDS[tag], f"{source}, tag {tag}"
        if tag == "x":
            for suffix in ORG_SUFFIXES:
                if term.endswith(suffix) and len(term) > len(suffix):
                    return "organisation", f"{source}, ends in {suffix}"
        return None
    kind = _TAG_KINDS.get(tag)
    if kind == "person":
        return (kind, f"tag {tag}") if _person_shaped(term) else None
    if kind is not None:
        return kind, f"tag {tag}"
    if (
        unknown_names
        and tag == "x"
        and n >= min_count
        and _unknown_name(term)
        and not backend.has_word(term)
    ):
        return "person", "unknown word: surname, recurs"
    return None


def _person_shaped(word: str) -> bool:
    """A word tagged as a person that looks like a name and is not an everyday word."""
    if _DOT_NAME.match(word):
        return True
    if not _CJK_ONLY.match(word):
        return True  # 大S: the dictionary tags it, nothing else gives such a word nr
    if len(word) == 2 and _pair_frequencies().get(word, 0) >= COMMON_WORD_FREQ:
        return False
    if word[:2] in COMPOUND_SURNAMES:
        return len(word) in (3, 4)
    if word[0] in SURNAMES and len(word) in (2, 3):
        # 申请人, 高中生, 黄金周: an everyday word and one more character
        return _pair_frequencies().get(word[:2], 0) < COMMON_WORD_FREQ
    return 2 <= len(word) <= 6 and all(c in _TRANSLITERATION for c in word)


def _unknown_name(word: str) -> bool:
    """An unknown word shaped like a Chinese full name: surname plus a two-character
    given name (a one-character given name only after a compound surname)."""
    if not _CJK_ONLY.match(word) or word[-1] in _NOT_NAME_END:
        return False
    if word[:2] in COMPOUND_SURNAMES:
        return len(word) in (3, 4)
    return len(word) == 3 and word[0] in SURNAMES


@cache
def _pair_frequencies() -> dict[str, int]:
    """Two-character word → frequency in jieba's main dictionary (the installed one's);
    only pairs are needed, and reading only them takes half the time."""
    import jieba

    text = (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8")
    return {word: int(freq) for word, freq in re.findall(r"^(\S\S) (\d+)", text, re.M)}


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
    group); ties broken by term. ``kind`` keeps one kind or a list of kinds; ``exclude``
    leaves out terms; ``min_count`` goes to :func:`entity_terms`. A corpus without any
    entity gives an empty table.

    >>> from analysis import load_articles
    >>> table = top_entities(load_articles(), by="corpus", kind="organisation", k=3)
    >>> table.columns.tolist()
    ['group', 'kind', 'rank', 'term', 'n']
    >>> table[["term", "n"]].values.tolist()
    [['总工会', 21], ['县级工会', 15], ['湖南省委', 3]]
    """
    kinds = _kinds(kind)
    if k < 1:
        raise OptionError(f"k must be at least 1, not {k}")
    corpus = analysed(corpus)
    entities = entity_terms(corpus, min_count=min_count)
    entities = entities[entities["kind"].isin(kinds) & ~entities["term"].isin(set(exclude))]
    unit = "id" if by is None else "group"
    columns = [unit, "kind", "rank", "term", "n"]
    counts = corpus.terms.counts
    if by is None:
        names = corpus.ids
    elif by == "corpus":
        names = ["corpus"]
        counts = counts.sum(axis=0)
    else:
        names, counts = corpus.group_terms(corpus.groups(by))
    if entities.empty or not names:
        return pd.DataFrame(columns=columns)
    position = {term: i for i, term in enumerate(corpus.terms.terms)}
    cols = entities["term"].map(position).to_numpy()
    found = sparse.coo_matrix(sparse.csr_matrix(counts)[:, cols])
    table = pd.DataFrame(
        {
            "row": found.row,
            "term": entities["term"].to_numpy()[found.col],
            "kind": entities["kind"].to_numpy()[found.col],
            "n": found.data.astype(np.int64),
        }
    )
    table = table[table["n"] > 0]
    table["order"] = table["kind"].map({name: i for i, name in enumerate(KINDS)})
    table = table.sort_values(
        ["row", "order", "n", "term"], ascending=[True, True, False, True], kind="mergesort"
    )
    table["rank"] = table.groupby(["row", "order"], sort=False).cumcount() + 1
    table = table[table["rank"] <= k]
    table[unit] = np.asarray(names, dtype=object)[table["row"].to_numpy()]
    return table[columns].reset_index(drop=True)


def _kinds(kind: str | Sequence[str] | None) -> list[str]:
    if kind is None:
        return list(KINDS)
    chosen = [kind] if isinstance(kind, str) else list(kind)
    unknown = [name for name in chosen if name not in KINDS]
    if unknown or not chosen:
        raise OptionError(f"kind must be one or more of {', '.join(KINDS)}, not {kind!r}")
    return chosen
