"""Chinese person names in bylines and credits: what looks like a name, and how to cut
a run of names printed without separators (``(孟翔翼张锐)``).

The surname list holds the most common single-character surnames (they cover about
nine in ten people) and the compound ones; it is used only to decide where a run of
names splits and whether a line that holds nothing but a name is one.
"""

from __future__ import annotations

import re

__all__ = [
    "COMPOUND_SURNAMES",
    "PROVINCES",
    "SURNAMES",
    "looks_like_name",
    "looks_like_place",
    "split_name_run",
]

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝亓封"
    # the same surnames in traditional characters, where they differ
    "陳劉張楊黃趙吳孫馬鄭謝韓馮鄧蕭葉蘇呂盧蔣賈閻錢顧龔羅鍾譚陸湯鄒許萬嚴龐聶歐鄔閔鄺鮑竇衛"
    "應藍韋賀龍喬莊譚劉葛顏嶽戴齊廖傅溫蔡鄒蘇邱鄭盛"
)
COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
     "司徒", "令狐", "夏侯", "西门", "南宫", "端木", "独孤", "轩辕", "呼延", "歐陽", "司馬",
     "諸葛", "東方", "長孫", "南宮", "軒轅"]
)  # fmt: skip

#: Province-level divisions, the way places open in datelines and signatures (河南郑州).
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港",
    "澳门",
)  # fmt: skip
_PLACE_SUFFIX = "省市县区州镇乡村旗盟"

_CJK_RUN = re.compile(r"^[\u4e00-\u9fff]+$")
_FOREIGN = re.compile(r"^[\u4e00-\u9fff]{1,8}[·•][\u4e00-\u9fff]{1,10}$")


def looks_like_name(text: str, *, strict: bool = False) -> bool:
    """True for a plausible person name: 2–4 Chinese characters, or a transliterated
    name with a middle dot. ``strict`` also asks for a known surname (for a line that
    holds nothing else).

    >>> looks_like_name("杨登峰", strict=True), looks_like_name("晓溪")
    (True, True)
    >>> looks_like_name("晓溪", strict=True)
    False
    >>> looks_like_name("阿卜杜拉·买买提"), looks_like_name("综合新闻", strict=True)
    (True, False)
    """
    if _FOREIGN.match(text):
        return True
    if not _CJK_RUN.match(text) or not 2 <= len(text) <= 4:
        return False
    if not strict:
        return True
    if text[:2] in COMPOUND_SURNAMES:
        return len(text) in (3, 4)
    return text[0] in SURNAMES and len(text) <= 3


def looks_like_place(text: str) -> bool:
    """True for a place as it signs a letter or heads a brief: it opens with a province
    or ends with an administrative suffix.

    >>> looks_like_place("河南郑州"), looks_like_place("宜昌市"), looks_like_place("职工")
    (True, True, False)
    """
    if not _CJK_RUN.match(text) or not 2 <= len(text) <= 12:
        return False
    return text.startswith(PROVINCES) or (text[-1] in _PLACE_SUFFIX and len(text) >= 3)


def split_name_run(run: str) -> list[str]:
    """Cut names printed without a separator, using surnames as cut points.

    Runs of up to three characters are one name. Longer runs are cut where a surname
    starts a piece of two or three characters; runs that show no surnames (pen names
    such as 建民升旭) are cut into pairs.

    >>> split_name_run("孟翔翼张锐"), split_name_run("建民升旭"), split_name_run("王和平")
    (['孟翔翼', '张锐'], ['建民', '升旭'], ['王和平'])
    >>> split_name_run("欧阳晓明")
    ['欧阳晓明']
    """
    n = len(run)
    if n <= 3 or (n == 4 and run[:2] in COMPOUND_SURNAMES):
        return [run]
    best: list[str] | None = None

    def cuts(start: int, pieces: list[str]) -> None:
        nonlocal best
        if start == n:
            if best is None or _cut_score(pieces) > _cut_score(best):
                best = list(pieces)
            return
        for size in (2, 3):
            piece = run[start : start + size]
            if len(piece) == size:
                cuts(start + size, [*pieces, piece])

    cuts(0, [])
    return best or [run]


def _cut_score(pieces: list[str]) -> tuple[int, int]:
    """More pieces that start with a surname is better; then prefer even pairs."""
    return sum(p[0] in SURNAMES for p in pieces), -sum(len(p) == 3 for p in pieces)
