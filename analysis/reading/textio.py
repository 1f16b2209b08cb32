"""Reading raw text files: encoding detection by evidence, clear errors, explicit normalisation.

How bytes become text (:func:`detect_encoding`; :func:`decode_bytes` and :func:`read_text`
use it):

1. a byte-order mark: UTF-8 (``utf-8-sig``), UTF-16 LE/BE, UTF-32 LE/BE;
2. valid UTF-8 is UTF-8, whatever its language; UTF-8 whose only fault is a character
   cut off at the very end is read without it, with a :class:`DecodingWarning`;
3. otherwise every legacy candidate that decodes strictly (GB18030 and its subset GBK,
   Big5 and Big5-HKSCS, Shift-JIS, EUC-JP, EUC-KR; UTF-16 LE/BE without a BOM when
   there are NUL bytes) is scored on a sample by evidence (see ``_score``) and the best
   reading wins. A best reading that is Japanese or Korean, or not text at all, raises
   :class:`InputError` naming the likely encoding: never mojibake. The whole file is
   then decoded once, with the winner.

Text that was read but has little Chinese in it (English, Korean, Japanese in UTF-8)
comes with a :class:`NotChineseWarning`. :func:`to_simplified` and :func:`script_of`
help with Traditional Chinese (Taiwan, Hong Kong) text.

Normalisation (:func:`normalize_line`) is deliberately narrow: full-width ASCII
digits and letters become ASCII (NFKC on those characters only), every kind of
white space (ideographic space, no-break space, tabs) becomes one ASCII space,
zero-width characters and control characters (C0 other than white space, DEL, C1) are
removed, and the line is stripped. Chinese punctuation
(,。“”《》()……) is kept exactly as written.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import opencc
from charset_normalizer import from_bytes

from analysis.errors import InputError

__all__ = [
    "DecodedText",
    "DecodingWarning",
    "Detection",
    "InputError",
    "NotChineseWarning",
    "browser_gb",
    "decode_bytes",
    "detect_encoding",
    "is_cjk",
    "normalize_line",
    "normalize_with_offsets",
    "not_chinese",
    "read_bytes",
    "read_text",
]


class DecodingWarning(UserWarning):
    """A file was read, but not all of it: a damaged end dropped, damaged bytes as U+FFFD."""


class NotChineseWarning(UserWarning):
    """A file was read, but its text is mostly not Chinese (English, Korean, Japanese...)."""


@dataclass(frozen=True)
class Detection:
    """Decoded text, the codec that decoded it, a confidence (0-1) and why."""

    text: str
    encoding: str
    confidence: float
    note: str


@dataclass(frozen=True)
class DecodedText:
    """The text of one file, the encoding it was read with and how sure that is (0-1)."""

    path: Path
    text: str
    encoding: str
    confidence: float = 1.0
    note: str = ""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FIX = "save it as UTF-8 (or GB18030) plain text and try again"
_CONVERT = "convert it to UTF-8 if you want it read anyway"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# Legacy candidates by family, in the order that wins a tie; within a family the narrowest
# codec that decodes is reported, so GBK files still say "gbk" and Big5-HKSCS is only used
# when plain Big5 fails.
_FAMILIES = (
    (("gbk", "gb18030"), None),  # None: the language is the text's (GBK holds kana too)
    (("big5", "big5hkscs"), None),
    (("shift_jis",), "Japanese"),
    (("euc_jp",), "Japanese"),
    (("euc_kr",), "Korean"),
)
# This is a Chinese corpus tool: on thin evidence (a few characters; two GBK characters are
# often also two plausible kanji in EUC-JP) a Japanese or Korean reading is discounted by up
# to this much; from 32 non-ASCII characters on the evidence speaks alone.
_FOREIGN_PRIOR = 0.2
_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "gbk": "GBK",
    "gb18030": "GB18030",
    "big5": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "shift_jis": "Shift-JIS",
    "euc_jp": "EUC-JP",
    "euc_kr": "EUC-KR",
    "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE",
}
_SAMPLE_SIZE = 64 * 1024  # bytes of a file, or characters of a text, that are scored
# Bytes below "0" are never part of a multi-byte character in any candidate (GB18030's
# four-byte form uses digits), so a sample window cut just after one starts on a boundary.
_SAFE_BYTES = [bytes([b]) for b in range(0x30)]
_NON_ASCII_BYTE = re.compile(rb"[\x80-\xff]")
# A reading must score at least this (0-1, see _score) to be accepted at all.
_MIN_SCORE = 0.4
# Non-ASCII characters of UTF-8 that make a cut-off end certainly UTF-8, not GBK by chance.
_SURE_UTF8 = 8

# The ~3,500 most common characters of Simplified Chinese, most frequent first: the word
# frequencies of jieba's dict.txt (jieba 0.42.1) summed per character, keeping characters
# in GB2312 (the dictionary has crawled mojibake entries such as 紝 and 鐨):
#     freq = Counter(); for word, n, *_ in (line.split(" ") for line in dict.txt):
#         for ch in word: freq[ch] += int(n)
#     [ch for ch, _ in freq.most_common() if ch.encode("gb2312")][:3500]
# It covers 99.7% of the characters of THUCNews articles. Traditional forms come from OpenCC.
_COMMON = (
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之"
    "对得主长可过天作分方用多你着部能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定"
    "开产前其军还然起种所如现理机体表力好外与文当两实重新三么只山水关明从化平建又制南内西没此将"
    "员名手最东头者月间无安看见各城十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向"
    "治因立数样身情入原问把路被并利石老教万知级量任江及应省资委务元美特期世湖回系比气汉总展电科"
    "金先声提品设或义王社很统处四首共马形己儿司太目基领队直计别女权话少流命至报米给打变果书清活"
    "几州华解议更称程今决张导术府才保交放管结师便走达族反再题色五京河接条规式县白它改风光运信受"
    "什组听布百济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边据集联古广完质阳难增"
    "历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑革该持始英"
    "克士尔让拉思根格造较际亲单朝红型价校约器字段周亚深候则功属积快图火千准究往极育装许参半令吃"
    "观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源息语股铁断派速怎需片爱律纪支早"
    "况病境证编越局推满且列觉服双未居除乐企引标确织初青志率项飞球节察龙响药站施均消客失轻存低甚"
    "般击曾防请离落显罗营足素视护副食创余照兴占巴虽洲村费易试星木黑左宝置跟央识维采六底宫房音环"
    "案批切斗富乡另倒若按查故突责严桥模仅胜杀围席态破承招杨负层须父供续状域似依银范修找九致密终"
    "血旅钱赛独细效玉冲获习医演毛尽脸弹楼艺航陆右协七攻镇检写苏宗章注阿抗弟坐验封紧劳户优财养适"
    "陈喜卫排射哥油刻留急降念云微伤例景拿绝阶座刘刚害印亿沙母酒助闻超审待压升送监策略限竟香配藏"
    "敌呢差仍兰温园树征善波哪词岛止预怕继皮执味份角草男普答益谁船惊核街夏宣掌田久著画辑奇尼剑吧"
    "谈背免孩礼材愿洋春架筑括晚乱乎讲尚良友临激刀夜室既敢邦挥昌板胡欧福港叶简苦担句岁荆贵娘守辖"
    "威宜衣帮块堂额错剧充欢够孙班呼阵销坚练脚退读测吴希宁换版异某顾曲楚典朱毒菜判救宋茶洪含顺啊"
    "鲜败货矿端兄归冷忙买险康评肉吗厂永哈沉散遗停笔假输牛洞松渐顶训录否述毕督控丰献姑忽爷互亮纳"
    "襄登咱钟伯臣雄季脑介鄂召饭暗扩祖齐短烈赶牌恩诉移诗础露届蒙静喝盘卖植授伊湾博痛减穿逐秘庭陵"
    "固禁票灵杂姓泽吸侧庆妈遇追甲馆补唐炮沿殿刺怪彩俄旧警索岸轮妇载靠附毫怀软骨探雷旁罪枪牙迎序"
    "慢盛雨墙恶谷顿危稳熟概酸操诸绿佛荣针托宽折野付午肯库厚缺罢耳屋嘴末谢巨培页瓦款犯困店智拥雪"
    "翻圣戏旗吉婚奖岩疑币圆歌廷健卡烧析讨跑烟误仙疗舞亡闭汽伸脱秋姐繁侵川莫麻秀借寻私岗卷跳丽横"
    "驻套兼您君丁束纸夺袁灯坏坦丝径购阴床瞧择墓宪峰遍鲁庙掉丹桃御舰避售怒课播拔奥延虚隐粮络遭摇"
    "潜庄混厅婆奴鼓赵访睡震予童徐韦殖抓拜吨扬址洛休纵逃染纷贸透汇灭蛋森仪塔距狐融郡缓聚盖拍迹忠"
    "释润粉涓孔岭搜紫虑促抵钢塞寺津液码虎坛珍硬梁奔累役偏迫锛凡损壁哭替税综伦冰盟挂韩竞乌尤弱铺"
    "妹秦尊竹珠迅脉泥鬼纯睛刑途隆潮幅杯握谋剂幸奉乘抱朋谓频崇壮骑恐享鸡虫绍铜呈泛械摆欲奶敬措爆"
    "暴签猛郭嘉障缩亦废搞胞埃曰撤暖寒订俗绩阻盐萨勒忘奏孝贴灰梅触玩默醒胸莲篇柱裁啦淡抢捕闹纺截"
    "讯朗誉雅忍梦伙勇峡徒丈尾迷唱泉泰佳残闪伍呀疾署剩贼冠倾豆申贫诺麦泪羊尖辈镜涉贡爹缘摩妻殊贝"
    "零映甘骂糖岳饮奋棉雕跃汗冒渡努赞启阁斤裂患伏池鹿洗劲晋倍圈媒箭沟锋胆凭挑抬闯隔弄曹汤苗迁叹"
    "唯振储贯彻桌祭符僧衡炸旋喊凤黎郎援肥磁忌赏辽祥董仁辛瑞询敏浪貌毁昨巧腿抽荷陷焦净腹弃乃湘亩"
    "滑狗冬宏皆番尸伟桂览恢龄绕趣晶坡魏摸伴墨浓绪舍蓝荡阅井鸿旦惯症鸟窗扎辞聘穷堰宇键荒递恨隶厉"
    "杜闲腰袭侍灾涨叔湿寨幕豪郑磨浮薄券赤腐译租氧戴邓煤肠牧孤诏妙旨堡册锅胖柳阔吹丘趋锦颜悬陶拳"
    "诚尺晓插蒋艇勤穴摄燕垂罚辆戒稀腾粗袋绘炎氏肩枝狂泊估杭扑臂哲寡偷懂琴悲盾炒稍矛愈籍颁吐呆违"
    "亭眉撞贷刊巡屈堆曼饰碎滚悉寄浜迟描污辅魔烦鼻盗餐幼凉仗冈澳驾菌肚肃爸仰抚慈扶盆仿炼纲倘碗杰"
    "忧惜扫暂祝跨渔宾漫寿猪涌凝邻赴恰劝仇践顷赋悄莱拟贤愤姆乏轰粒逼傅陕昆溶葬燃魂挺腊耐犹辉乳陪"
    "颇斜棋熊浅沈姊返翼丧拖惨俊驱袖惠涂添牵咸详碰割侯纤柔档糊岂跪拒覆绣吓宿偶揭赖烤卢娃颗邮扇伐"
    "循衰弦凯羽枚帅锁疏搭俱帐胶赫埋蒸壳彼脏箱浙弯瓜挡拱筹疆肿膜刷杆凶债甜泡玄贾谱夹乾遣薪灌咬尘"
    "填廊钻丛狼牢脊熙卒碑漠躲削徽踏贺朵遵狠菲撒扰蛇锡炉纹匹亏鉴慕跌慌穆邀芳爬豫吾奸棒淮捷耕艘齿"
    "醉脂兽滴盈卵滋柴溪妃浠碍瓶辩遂怨拨肌俘挖恒励鸣肝腔偿秒拦允塑拆靖耗凌披胁吏纽烂尝垸辟耶艰佩"
    "敦疼荐厘匠柏悠壤拾乔轴妖喷掩璃孟轨歇猜晨坊桑堤畅瞎氨辨鞋昏恭畜浩迪雾丢咨擦窝洁飘捉搬奈肤愁"
    "砖辣幽嘛赢藕挤舒狮耀诊扣篮尿唤梯勾霍舌侠筋枢屏衙殷栏纠链恋惧笼寸冶弥晃叙吊哩稿娜剥拼欺榜囊"
    "汪逆骗堪猎棺胎俩郊掘匆缝乙藻携慧函辱扯嫩癌悟滩祸秉慰驰狱砍糕漏吞纬茅渠催踪叛浑牲杖鞭腺邪欣"
    "汝碳彭咐椒绳颈漆遥夷郁斑忆阀卑宴抑逻嫁扭胃仔恼贪兆庸僭疯侦鹰驶斩鹤猴蜂瘦赐闷柄椅轿拓扮砂傻"
    "粘辐啥伪抛玻昂圳侨吟刃饱吕玛碱冯仓钦哼庞儒叉泄臭艾蓉鼠祯捧舱坝芙瘤勃敲帽吻契舟夸葡剪抖霸艳"
    "宸聪仆躺瑶谦炭卧袍猫珊溜漂衔苍坑串浆碧巷咽铸押惩迈锐颤疲滨履盒宅喀饿缠翁幻逢扁旱罕怜姻蓄磷"
    "惟帕掠稻劫撑姿肾胀慎哨摔谨鹅丑塘肺镑趁蜀兑哦贞禧葛仲惑蔡踢妥筒诞禀朴祀饼萄狭澶杩赔绵诱卜陀"
    "呵抹疫辰顽蓬摊倡浦账矩翠煌茂畏劣氛廉鸭瓷戈秩弗悔尉挣拐鼎芦睁脾聊株枯纱幺冻唇茫哀芬轩蛮醇棍"
    "晕嫂宙酷郧欠稷鹏孕槽栖吩姚昭罐叠墩盼舆芒酬斥捐斋眠脆萧璋皱卿蚀淋卓翰钉棣丫宰阐翅沃挨霖哄爵"
    "涔衫逊铭戚旺硕擅嫌赌隋肖饶沪雇罩煎丐掷誓摘冤坤屁竭宛菱厌矮潭渊俺崖氢棚喇涵裕溃堵媳抄怔蒂肢"
    "瑜泌甫檐寂颠撰逝霜羞铅佐帖硫蹈瞬痕爽挽禅娶柯屯韵婴悦肴螺凑兹烛歼毅杉慨钧渗蜜遮窑谐厦柜匈喉"
    "愧栽扔苯谊肆霞吵夕壶赚尹窄弓谭盲勋饲窟俞嗣煮巾裤膨奠瞪珞愚膏喘姜膀蔬糟僚匾妄畴喂沔耻牺旭妨"
    "硅崩雌陛卸砸贩竖攀晒伞惹裹屠汁擒鳞佣渴浣叩龟雀掀唉泼亥僵屡瞒璇厮刮钩桐谅隙丞盯霉侄逸浸爪阙"
    "坟咳宠脖彪朕虹衍甸鳍讼虾芝涛巩熔峻怖嘿磕洒掏枣滞舅昔哑焕娱芯衷捞卦旬矣茨蜡喻挪婶琉枕娇豹厨"
    "傲腕巢氯燥焚乖嘱禄赠晌琦铃雁姨蹄焰虏粑饥潘兀捏缔歪蕴鸦嘻俯锻骤庵吁剿禽勉膝捣茎晴厢匀灏涯梨"
    "蒲驼匪撕嗯樊搏缚垄寓愣斌麋劈旷舵薛沸丸泳绸炬缴寰贱躯褐酶嚷拌颂帜陡募佑皖绑啡仑麓帘镖钠刹妆"
    "禾藤弊痴哇凰歧驴铝闸喃滥耍桶酱惶躬熬娥啸淘裙骚亨勘窃挫凿塌咖垫芽凸钙框哟翔逮舶锥怡魄灶浴蔽"
    "橡懒硝晰盏赦庐谕鄙拂菩栗琳沼圭屿砌倚棵瑰羲酿诈锌杏婉沦卤躁斧淳兔凛哎阮淫剖蕲烹姥咕蚕兜璧搅"
    "帆暇趟裸粹吼哗冀呜瞻搁乞骇炕垮拘嵌笛鹃菊淀肪鞍愉犬弧蹲椎阎浏诵烘榴腥裘萝颊蟹灿摧棱琼骄凄怯"
    "淑梢丙暮媚钊沫糯驳崔谏炳畔缅襟锤觅拢胪诀奢苹叮榨瀹沾渝枉辜髓坠瑟棕萍贿泣嫣峨憾胺甩陂寇烯钓"
    "瞅沧坪暑耸垒傍睹薯溢谜咋缁嗓贬窜戟葱屑胚犁莎囚颖诡腻藩彦巍痒蹇芷赣沐膊婢粤喧逛贮恍菇邢绮厥"
    "澄邵耽讽衬恕烫毯仕昼闽拚勿桓钾膛歉膳詹坎敛碌狄沽侮寝妾嗽埔眷揪牡毙荫涡桩锣釜瀛缮梳揽咀雍铲"
    "倦岱厄弘淤尴玲祠恳粥衢戳秃瀑搂迭垃缸郝挠莽瑙瞄粟跋呐歹豚驿圾胳魁诧绒鞑谎尬陌讳蝶咒裔凳梭涅"
    "杈泻苇焉娟迦巫扒翊敷谣隅撇凹蚁氮苑妓潇禹朽寮郢伽粪诛醋栋谴隧簇踩礁庶衮堕噪嘲濂鲟彝柬斐沛卞"
    "篷祁耿嚼宦溯黔浇敞绞瓣窦蕃汰鲍遏魅槐鞘钞徙讶碟琐琢滤嗤蠢锰嵋逾弼绅腑瑚稽溉宵祈庇蒿蛛窍玫煞"
    "笨鸽泵袱薇捡拈驯骡肇砰垣迄斟灼澜漕萼葫梗洼筷僻鳌镶捆昧跺棘曙阜豁挟睿矢湛酥眨惕淹岔稼邹逵灞"
    "揉俭蛙匣陋盔羌缆聂莉抒痰慷後懈芜琛骆扳汛悍呕虞瑕酚伺拽羡蔗滇苔彬拇冥厕絮藉窥羹奕铮矶晖匕逗"
    "哺倪怠瞩窖檀蕉缀苕猿浊瞥簿璁缉皋楠萌斡焖揖祺烷芋绽侗匙谬睦橙剌撼撮熏碾亢垦逍彰佃邑梓啪诰驹"
    "嗡羁敝汞嚣辫蝇汹沅惭蠡墟娴咧漳滔韧孢缕炯涩嵩缎饷唬哉褰濒峭鳙筛殉霎椭啤咯婿眯眶鸪珂靡矫诲渤"
    "钥肘嘶孽杞饵咚敕桨樱戎榻愕晤蔓啼憋鹧笃侣懿骸摹磋皂咏趾吭翘鲤拣骞乍鳄酯栅绰氟渣鸠娌锯邱莹脓"
    "闺颐譬钛奎揣溅绢茸蜒烁畸姝棠怦晦瘫朔疮蓦靶攒渭铀磅唾茄蕾馨廖荤傣胥兢扛葵丕舜鲨乒逞诬苟廓镍"
    "槛狡牟鸳俏芥浼裴麟稚叭悼漓楞毗赎倭玺蝉憎楷柑杠蚊妒馈删孜拙韬祷熄鸯虐蒯紊酰佬翌妮蚌沁侈噶剃"
    "芭烩稠锭娑胧琅坞褂筵轧褶觑酮篆醛洽唧趴绉崛圻扼叨蒜寞毡簧砥撬煨嫉腮慑朦嗅鲢聋炖酌冉胤攘牒吱"
    "嫔笙蜿裳碘霄瘾捻乓澧吆劾瞰橘澡酋灸竿矗耙寥钝蛾姹勺庚剁狩隘靴搓狸讥擂豌馒茬伶秭鲸苛镁梵垛臀"
    "颌颅徊捎幢弩讧咦嘎涕俸纂呻卯嗜札榆噢蔑峙姬萎绷赂蚂戮瓮蹦穗肋壕辇陇椰氓蟾辕恃狈孵嘟濮粱袜浚"
    "刨蛟栈筝箢铬惺糍兮蕊褚涝潼驸黛箍匡椁梧惮胰擎绥荧拗啃弛匿蟠寅疹枭殡尧悖桦骼呛黯赃茵褪甬挚嗔"
    "澈毋拴倏帷嗦淙蘑夔羚屎搀袄岚沮挎侥箫醚瀵腌埠搴砾竣睐栓秽焊禺煽攸琵璺睬"
)

_TOP = 1000  # the first 1,000 of _COMMON cover about 90% of running text

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Kana and Hangul have no list like _COMMON: a handful of the most frequent ones (particles
# and endings; for Hangul charset-normalizer's Korean frequency table) make up at least the
# given share of real text, against about a sixth of what a wrong decoding yields.
_KANA_COMMON = re.compile("[のにはをたがでてとしいかるなすれまっうくもらりこ]")
_KANA_SHARE = 0.5
_HANGUL_COMMON = re.compile("[이다에의는로하을가고지서한은기으년대사시를리도인스일]")
_HANGUL_SHARE = 0.3
_CJK_PUNCT = re.compile(
    r"[\u3000-\u303f\uff01-\uff60\uffe0-\uffe6\ufe30-\ufe4f\u2010-\u2027\u2030-\u203b\u00b7\u30fb\u30fc]"
)
# Private use, C1 controls, half-width katakana, box drawing, compatibility ideographs and
# U+FFFD: what wrong legacy decodings are made of, and rare in real text.
_ODD = re.compile(
    r"[\x80-\x9f\ue000-\uf8ff\uff61-\uff9f\u2500-\u259f\uf900-\ufaff\ufffd\U000f0000-\U0010ffff]"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f\s]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
_OTHER_LETTER = re.compile(
    r"[^\W\d_\x00-\x7f\u00c0-\u024f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3"
    r"\u1100-\u11ff\u3131-\u318e\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)


@functools.cache
def _opencc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@functools.cache
def _common_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Character classes of the top ~1,000 and ~3,500 characters, in both scripts."""
    classes = []
    for chars in (_COMMON[:_TOP], _COMMON):
        forms = set(chars)
        for config in ("s2t", "s2tw", "s2hk"):
            forms.update(_opencc(config).convert("\n".join(chars)).split("\n"))
        forms.discard("")
        classes.append(re.compile("[" + re.escape("".join(sorted(forms))) + "]"))
    return classes[0], classes[1]


@dataclass(frozen=True)
class _Counts:
    """Character counts of a text sample, all by regex (no Python loop per character)."""

    length: int
    chars: int  # non-ASCII, non-space
    han: int
    top: int
    common: int
    kana: int
    kana_common: int
    hangul: int
    hangul_common: int
    punct: int
    odd: int
    control: int
    latin_words: int
    other_letters: int

    @classmethod
    def of(cls, text: str) -> _Counts:
        top, common = _common_patterns()

        def count(pattern: re.Pattern[str]) -> int:
            return len(pattern.findall(text))

        return cls(
            length=len(text),
            chars=count(_NON_ASCII),
            han=count(_HAN),
            top=count(top),
            common=count(common),
            kana=count(_KANA),
            kana_common=count(_KANA_COMMON),
            hangul=count(_HANGUL),
            hangul_common=count(_HANGUL_COMMON),
            punct=count(_CJK_PUNCT),
            odd=count(_ODD),
            control=count(_CONTROL),
            latin_words=count(_LATIN_WORD),
            other_letters=count(_OTHER_LETTER),
        )

    @classmethod
    def script(cls, text: str) -> _Counts:
        """Only the counts that say whether a text is binary and which language it is
        in (:attr:`binary`, :attr:`language`, :func:`_not_chinese`); the others are 0.
        A third of the work of :meth:`of`, for text whose encoding is already known."""

        def count(pattern: re.Pattern[str]) -> int:
            return len(pattern.findall(text))

        return cls(
            length=len(text), chars=0, han=count(_HAN), top=0, common=0,
            kana=count(_KANA), kana_common=0, hangul=count(_HANGUL), hangul_common=0,
            punct=0, odd=0, control=count(_CONTROL), latin_words=count(_LATIN_WORD),
            other_letters=count(_OTHER_LETTER),
        )  # fmt: skip

    @property
    def binary(self) -> bool:
        return self.control > max(2, self.length // 1000)

    @property
    def language(self) -> str:
        """Chinese, Japanese or Korean by script shares (Chinese when there are no letters)."""
        letters = self.han + self.kana + self.hangul
        if self.hangul and self.hangul >= letters / 2:
            return "Korean"
        if self.kana and self.kana >= letters / 10:
            return "Japanese"
        return "Chinese"


def _score(counts: _Counts, chaos: float) -> float:
    """How much a decoded sample looks like real CJK text, 0-1: the product of

    - readable: the share of ideographs, kana, Hangul and CJK punctuation among the
      non-ASCII characters (wrong decodings give Greek, Cyrillic, symbols);
    - commonness: among the ideographs, the share in the top ~1,000 and ~3,500 common
      characters (Simplified or Traditional), averaged; kana and Hangul get full credit
      when enough of them are among the most frequent; smoothed for short texts.
      A GB18030 decoding of Big5 bytes, or a Big5 decoding of GBK bytes, is a scramble
      over thousands of characters and scores about 0.3 here; real text about 0.95;
    - script fit: one script profile (Chinese, Japanese kanji + kana, Korean Hangul),
      not a mixture of Hangul with ideographs as EUC-KR readings of Chinese give;
    - 1 - charset-normalizer's chaos (its "mess" measure for the decoded sample), taken
      at full weight from 32 non-ASCII characters on (it overreacts to a few symbols);
    - a penalty for private-use characters, C1 controls, half-width katakana, box drawing.
    """
    if counts.binary:
        return 0.0
    if not counts.chars:
        return 0.5
    readable = (counts.han + counts.kana + counts.hangul + counts.punct) / counts.chars
    kana = min(counts.kana, counts.kana_common / _KANA_SHARE)
    hangul = min(counts.hangul, counts.hangul_common / _HANGUL_SHARE)
    letters = counts.han + counts.kana + counts.hangul
    credit = counts.top + counts.common + 2 * (kana + hangul)
    commonness = (credit + 1) / (2 * letters + 2)
    fit = 1.0
    if letters:
        japanese = counts.han + counts.kana if counts.kana >= letters / 10 else 0
        fit = max(counts.han, counts.hangul, japanese) / letters
    odd = max(0.0, 1 - 3 * counts.odd / counts.chars)
    chaos *= min(1.0, counts.chars / 32)
    return readable * commonness * fit * (1 - min(chaos, 1.0)) * odd


def _chaos(sample: bytes, codec: str) -> float:
    """charset-normalizer's mess ratio of ``sample`` decoded with ``codec`` (1 when refused)."""
    match = from_bytes(sample, cp_isolation=[codec], threshold=10.0).best()
    return 1.0 if match is None else min(match.chaos, 1.0)


def _sample_bytes(data: bytes) -> bytes:
    """Up to ~64 KB from four places (the first non-ASCII byte, a third, two thirds, the
    end), each window cut on character boundaries; the whole of a smaller file."""
    if len(data) <= _SAMPLE_SIZE:
        return data
    size = _SAMPLE_SIZE // 4
    first = _NON_ASCII_BYTE.search(data)
    starts = (max(0, first.start() - 1024) if first else 0, len(data) // 3, 2 * len(data) // 3)
    windows = []
    for start in (*starts, len(data) - size):
        window = data[start : start + size]
        if start > 0:
            found = [i for b in _SAFE_BYTES if (i := window.find(b)) >= 0]
            window = window[min(found) + 1 :] if found else b""
        if start + size < len(data):
            window = window[: max(window.rfind(b) for b in _SAFE_BYTES) + 1]
        windows.append(window)
    sample = b"\n".join(w for w in windows if w)
    return sample or data


def _sample_text(text: str) -> str:
    """Up to ~64 K characters from four places of ``text``."""
    if len(text) <= _SAMPLE_SIZE:
        return text
    size = _SAMPLE_SIZE // 4
    starts = (0, len(text) // 3, 2 * len(text) // 3, len(text) - size)
    return "\n".join(text[start : start + size] for start in starts)


def _not_chinese(text: str, counts: _Counts) -> str | None:
    """What a text looks like when it is mostly not Chinese, else None."""
    if counts.hangul > counts.han:
        return "mostly Hangul (Korean)"
    if counts.kana and counts.kana >= (counts.han + counts.kana) / 10:
        return "Japanese (kana among the kanji)"
    if counts.other_letters > counts.han:
        letter = _OTHER_LETTER.search(text)
        script = unicodedata.name(letter.group(), "OTHER").split()[0] if letter else "OTHER"
        return f"mostly {script.title()} letters"
    if counts.latin_words > counts.han:
        return "mostly Latin-alphabet words (English or similar)"
    return None


def not_chinese(text: str) -> str | None:
    """What ``text`` looks like when it is mostly not Chinese ("mostly Hangul (Korean)" …),
    else None. Judged on a sample of a long text.

    >>> not_chinese("This is an English sentence about workers."), not_chinese("本报记者")
    ('mostly Latin-alphabet words (English or similar)', None)
    """
    sample = _sample_text(text)
    return _not_chinese(sample, _Counts.script(sample))


_Found = list[tuple[type[Warning], str]]


def _check_language(
    text: str, encoding: str, name: str, found: _Found, counts: _Counts | None = None
) -> None:
    """Note a NotChineseWarning when ``text`` is mostly not Chinese (``counts``: those of
    its sample, when they are at hand)."""
    sample = _sample_text(text)
    looks = _not_chinese(sample, counts or _Counts.script(sample))
    if looks:
        label = _LABELS.get(encoding, encoding)
        found.append(
            (NotChineseWarning, f"{name}: read as {label}, but it is {looks}, not Chinese")
        )


@dataclass(frozen=True)
class _Reading:
    codec: str
    family: tuple[str, ...]
    language: str
    text: str
    score: float


def _read_sample(sample: bytes, family: tuple[str, ...], language: str | None) -> _Reading | None:
    """Decode ``sample`` with the first codec of ``family`` that can, and score it."""
    for codec in family:
        try:
            text = browser_gb(sample.decode(codec), codec)
        except UnicodeDecodeError:
            continue
        counts = _Counts.of(text)
        score = 0.0 if counts.binary else _score(counts, _chaos(sample, codec))
        if language is None:
            language = counts.language
        else:
            score *= 1 - _FOREIGN_PRIOR * max(0.0, 1 - counts.chars / 32)
        return _Reading(codec, family, language, text, score)
    return None


def _ranked(readings: list[_Reading]) -> list[_Reading]:
    return sorted(readings, key=lambda r: r.score, reverse=True)  # stable: ties keep order


def _judged(reading: _Reading, readings: list[_Reading], codec: str) -> tuple[float, str]:
    """Confidence (the score, shrunk by how close the best rival comes) and a note."""
    rivals = [r for r in readings if r is not reading]
    rival = rivals[0].score if rivals else 0.0
    confidence = round(reading.score * reading.score / (reading.score + rival), 3)
    note = f"{_LABELS[codec]} scored {reading.score:.2f}"
    if rivals:
        note += f"; next {_LABELS[rivals[0].codec]} {rival:.2f}"
    return confidence, note


def _decode_whole(data: bytes, sample: bytes, reading: _Reading) -> tuple[str, str] | None:
    """Decode the whole file with the narrowest codec of the reading's family that can."""
    if len(sample) == len(data):  # the sample was the whole file
        return reading.text, reading.codec
    family = reading.family
    for codec in family[family.index(reading.codec) :]:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return None


def _detect(data: bytes, name: str) -> tuple[Detection, _Found]:
    found: _Found = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} (byte {exc.start}); {_FIX}"
                ) from None
            _check_language(text, encoding, name, found)
            return Detection(text, encoding, 1.0, "byte-order mark"), found
    if b"\x00" in data:
        detection = _detect_utf16(data, name)
        _check_language(detection.text, detection.encoding, name, found)
        return detection, found
    try:
        text = data.decode("utf-8")
        note = "valid UTF-8"
    except UnicodeDecodeError as exc:
        text = _cut_utf8(data, exc)
        # a few bytes that are UTF-8 but for a cut-off end may just as well be GBK
        if text is None or len(_NON_ASCII.findall(text[:_SAMPLE_SIZE])) < _SURE_UTF8:
            try:
                detection = _detect_legacy(data, name, exc)
            except InputError:
                if text is None:
                    raise
            else:
                _check_language(detection.text, detection.encoding, name, found)
                return detection, found
        tail = len(data) - exc.start
        note = f"UTF-8 whose last character is cut off; dropped the last {tail} byte(s)"
        found.append((DecodingWarning, f"{name}: {note}"))
    counts = _Counts.script(_sample_text(text))
    if counts.binary:
        raise InputError(
            f"{name}: has many control characters, so it looks like a binary file; {_FIX}"
        )
    _check_language(text, "utf-8", name, found, counts)
    return Detection(text, "utf-8", 1.0, note), found


def _cut_utf8(data: bytes, exc: UnicodeDecodeError) -> str | None:
    """UTF-8 text whose only fault is a character cut off at the end, without that tail."""
    tail = len(data) - exc.start
    if exc.end != len(data) or tail > 3 or exc.reason != "unexpected end of data":
        return None
    text = data[: exc.start].decode("utf-8")
    return None if text.isascii() else text


def _detect_utf16(data: bytes, name: str) -> Detection:
    """BOM-less UTF-16 when a reading of it scores as text (NUL bytes are common in
    Chinese UTF-16: 一 is U+4E00); otherwise the NUL bytes mean binary data."""
    readings = []
    if len(data) % 2 == 0:
        for codec, high in (("utf-16-le", -1), ("utf-16-be", -2)):
            head = data[:_SAMPLE_SIZE]
            if len(head) < len(data) and 0xD8 <= head[high] <= 0xDB:
                head = head[:-2]  # keep a surrogate pair whole
            if reading := _read_sample(head, (codec,), None):
                readings.append(reading)
    readings = _ranked(readings)
    for reading in readings:
        if reading.score < _MIN_SCORE:
            break
        whole = _decode_whole(data, data[:_SAMPLE_SIZE], reading)
        if whole:
            confidence, note = _judged(reading, readings, reading.codec)
            return Detection(whole[0], reading.codec, confidence, note)
    raise InputError(f"{name}: contains NUL bytes, so it looks like a binary file; {_FIX}")


def _detect_legacy(data: bytes, name: str, utf8_error: UnicodeDecodeError) -> Detection:
    sample = _sample_bytes(data)
    readings = _ranked([r for f, lang in _FAMILIES if (r := _read_sample(sample, f, lang))])
    best = readings[0] if readings else None
    if best and best.score >= _MIN_SCORE and best.language != "Chinese":
        raise InputError(
            f"{name}: looks like {_LABELS[best.codec]} ({best.language}) text, "
            f"not Chinese; {_CONVERT}"
        )
    for reading in readings:
        if reading.score < _MIN_SCORE or reading.language != "Chinese":
            continue
        whole = _decode_whole(data, sample, reading)
        if whole is None:
            continue
        text, codec = whole
        confidence, note = _judged(reading, readings, codec)
        return Detection(browser_gb(text, codec), codec, confidence, note)
    before = data[: min(utf8_error.start, _SAMPLE_SIZE)].decode("utf-8", "ignore")
    if len(_NON_ASCII.findall(before)) >= _SURE_UTF8:
        raise InputError(
            f"{name}: looks like UTF-8 but byte {utf8_error.start} is not valid UTF-8 "
            f"(a damaged or mixed-encoding file), and it is not text in any other encoding "
            f"tried; {_FIX}"
        )
    raise InputError(
        f"{name}: not text in any encoding tried (neither UTF-8 nor GBK/GB18030, Big5, "
        f"Shift-JIS, EUC-JP, EUC-KR; binary?); {_FIX}"
    )


def browser_gb(text: str, codec: str) -> str:
    """``text`` decoded with a GB codec read as browsers read it (the WHATWG mapping):
    0xA3A0, which Python makes the private-use U+E5E5, is the ideographic space U+3000
    that pages indent paragraphs with. Other codecs' text is returned as it is."""
    if codec.replace("_", "").lower() in ("gb18030", "gbk", "gb2312"):
        return text.replace("\ue5e5", "\u3000")
    return text


def _emit(found: _Found, stacklevel: int) -> None:
    for category, message in found:
        warnings.warn(message, category, stacklevel=stacklevel + 1)


def detect_encoding(data: bytes, *, name: str = "<bytes>", language: bool = True) -> Detection:
    """Decode ``data`` by evidence; warn when the text is not Chinese (unless
    ``language`` is False: a web page's markup is not its text) or was cut off.

    Raises :class:`InputError` naming ``name`` for binary data and for text that is
    not Chinese in a legacy encoding (Shift-JIS, EUC-JP, EUC-KR).

    >>> d = detect_encoding("台北市政府今天宣布，明年起將擴大補助青年租屋。".encode("big5"))
    >>> d.text[:5], d.encoding, d.confidence > 0.5
    ('台北市政府', 'big5', True)
    >>> detect_encoding("本报记者".encode()).confidence
    1.0
    """
    detection, found = _detect(data, name)
    if not language:
        found = [(kind, message) for kind, message in found if kind is not NotChineseWarning]
    _emit(found, stacklevel=2)
    return detection


def decode_bytes(data: bytes, *, name: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; see :func:`detect_encoding`.

    >>> decode_bytes("工会".encode("gbk"))
    ('工会', 'gbk')
    >>> decode_bytes(codecs.BOM_UTF8 + "工会".encode())
    ('工会', 'utf-8-sig')
    """
    detection, found = _detect(data, name)
    _emit(found, stacklevel=2)
    return detection.text, detection.encoding


def read_bytes(path: str | Path) -> bytes:
    """The bytes of an input file; :class:`InputError` naming it and the fix when it
    cannot be read (missing, a folder, not permitted, a disk error)."""
    path = Path(path)
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a text file") from None
    except PermissionError:
        raise InputError(
            f"{path}: may not be read (permission denied); give yourself permission to read "
            "it (chmod u+r), or copy it to a folder you can read"
        ) from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be read ({exc.strerror or exc}); check the path, and that the "
            "disk or network share holding it is there"
        ) from None


def read_text(path: str | Path) -> DecodedText:
    """Read a file, detecting its encoding; raise :class:`InputError` when it is not text
    or cannot be read (see :func:`read_bytes`)."""
    path = Path(path)
    data = read_bytes(path)
    detection, found = _detect(data, str(path))
    _emit(found, stacklevel=2)
    return DecodedText(
        path=path,
        text=detection.text,
        encoding=detection.encoding,
        confidence=detection.confidence,
        note=detection.note,
    )


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph (basic block and extension A).

    >>> is_cjk("工"), is_cjk("a"), is_cjk(",")
    (True, False, False)
    """
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_SPACE = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# Zero-width characters and control characters (C0 other than tab/newline/form feed,
# DEL, C1): never part of the text, removed rather than shown as boxes.
_ZERO_WIDTH = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
# A lone surrogate (a JSON "\ud800" escape) is no character and cannot be written as
# UTF-8: it becomes U+FFFD, so that the place where something was lost stays visible.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# A character that normalize_line changes or removes, the plain space aside (that one is
# changed only in a run or at either end). Most lines of a table hold none, and one
# search costs less than three substitutions; tests/test_large_tables.py checks the list.
_TOUCHED = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff"  # zero-width, control
    r"\ud800-\udfff"  # lone surrogates
    r"\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"  # full-width digits and letters
    r"\t-\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"  # white space
)


def normalize_line(text: str) -> str:
    """Normalise one line as documented in the module docstring.

    >>> normalize_line("\\u3000\\u3000本报记者\\xa0\\xa0赵\\xa0\\xa0兵 ")
    '本报记者 赵 兵'
    >>> normalize_line("２０２４年，ＡＩ“新质生产力”")
    '2024年，AI“新质生产力”'
    """
    if _TOUCHED.search(text) is None and "  " not in text and text[:1] != " " != text[-1:]:
        return text
    text = _SURROGATE.sub("\ufffd", _ZERO_WIDTH.sub("", text))
    text = _FULLWIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _SPACE.sub(" ", text).strip()


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise like :func:`normalize_line` and give, for every output character,
    the index of the input character it came from (for provenance spans).

    >>> normalize_with_offsets("\u3000本报  记者 ")
    ('本报 记者', [1, 2, 3, 5, 6])
    """
    if _TOUCHED.search(text) is None:
        return _spaces_with_offsets(text)
    out: list[str] = []
    index: list[int] = []
    space_at: int | None = None
    for i, ch in enumerate(text):
        if _ZERO_WIDTH.match(ch):
            continue
        if _SPACE.match(ch):
            if out and space_at is None:
                space_at = i
            continue
        if space_at is not None:
            out.append(" ")
            index.append(space_at)
            space_at = None
        if _FULLWIDTH_ALNUM.match(ch):
            ch = unicodedata.normalize("NFKC", ch)
        elif _SURROGATE.match(ch):
            ch = "\ufffd"
        out.append(ch)
        index.append(i)
    return "".join(out), index


def _spaces_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`normalize_with_offsets` of a text in which only spaces change: each run
    of them inside the text becomes one space (at the run's first index), and the runs
    at either end go. Copies the stretches between runs whole, not a character at a
    time."""
    pieces: list[str] = []
    index: list[int] = []
    at = 0
    for run in _SPACE.finditer(text):
        start, end = run.span()
        if start > at:
            pieces.append(text[at:start])
            index.extend(range(at, start))
        if pieces and end < len(text):
            pieces.append(" ")
            index.append(start)
        at = end
    if at < len(text):
        pieces.append(text[at:])
        index.extend(range(at, len(text)))
    return "".join(pieces), index
