// "Can I send X?" (SPEC X5): a free-text item description in Chinese checked against a catalogue
// of prohibited and restricted items (data; the default follows the categories of the national
// 禁止寄递物品指导目录). The most severe match wins. Simple negations (「不含电池」「无酒精」
// 「电池已取出」) do not count, nor do depictions (「打火机图案的T恤」: a T-shirt, allowed) or words
// inside a title (《枪炮、病菌与钢铁》: a book).

export const VERDICTS = ['allowed', 'restricted', 'prohibited'] as const;
export type Verdict = (typeof VERDICTS)[number];
const SEVERITY: Record<Verdict, number> = { allowed: 0, restricted: 1, prohibited: 2 };

export interface CatalogueEntry {
  code: string;
  /** Category code (firearms, explosives, lithium_batteries…). */
  category: string;
  nameZh: string;
  verdict: Exclude<Verdict, 'allowed'>;
  /** Words that identify the item, with variants and synonyms. */
  keywords: string[];
  /** Longer phrases containing a keyword that are innocent (咖啡胶囊 for 胶囊). */
  exceptions?: string[] | undefined;
  /** Words that make a keyword innocent when they follow it (杯 after 红酒: a wine glass). */
  innocentAfter?: string[] | undefined;
  reason: string;
  rule: string;
}

export interface ItemMatch {
  code: string;
  category: string;
  nameZh: string;
  verdict: Exclude<Verdict, 'allowed'>;
  matched: string[];
  reason: string;
  rule: string;
}

export interface ItemCheck {
  verdict: Verdict;
  category: string | null;
  nameZh: string | null;
  reason: string;
  rule: string | null;
  matchedWords: string[];
  /** Every entry that matched, most severe first. */
  matches: ItemMatch[];
}

// Traditional characters of the catalogue's words, folded to simplified so 「充電寶」「煙花」 match too.
const TRADITIONAL = '槍彈藥電煙機寶氣貨偽鈔證發鋰體動寵貓魚蝦雞鴨蠶處針劑捲鐵鹽鹼銀黃鑽現紙幣條飾錶導禮氫滅噴霧釋鎂鋁鈉鉀錳過農殺蟲敵樣細廢屍鈾鐳鈷銫燒鉛罌殼嗎盜穢賭竊聽攝頭護駕膽鸚鵡鯢髮膠紅蘭錢爐濃顆塊點燈龜鮮擊劍鋼鏢醫療菸類裝帶無沒個兩雙對壺鍋賣買';
const SIMPLIFIED = '枪弹药电烟机宝气货伪钞证发锂体动宠猫鱼虾鸡鸭蚕处针剂卷铁盐碱银黄钻现纸币条饰表导礼氢灭喷雾释镁铝钠钾锰过农杀虫敌样细废尸铀镭钴铯烧铅罂壳吗盗秽赌窃听摄头护驾胆鹦鹉鲵发胶红兰钱炉浓颗块点灯龟鲜击剑钢镖医疗烟类装带无没个两双对壶锅卖买';
const TRADITIONAL_RE = new RegExp(`[${TRADITIONAL}]`, 'g');
const HAS_TRADITIONAL = new RegExp(`[${TRADITIONAL}]`);

/** Full-width letters and digits to ASCII, traditional to simplified, lower case, no spaces: 「ＡＢ　電」→ "ab电". */
export function normalizeText(s: string): string {
  // Most keywords are plain simplified Chinese: skip the replacements (the check runs them hundreds of times).
  if (!/[\sA-Z\uFF01-\uFF5E\u3000]/.test(s) && !HAS_TRADITIONAL.test(s)) return s;
  return s
    .replace(TRADITIONAL_RE, (c) => SIMPLIFIED[TRADITIONAL.indexOf(c)]!)
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, '');
}

const CLAUSE_BREAK = /[,，;；。.!！?？、\n]/;
/** A negation right before the word (up to two filler characters): 不含电池, 无酒精, 不含任何电池, 没有带电池. */
const NEGATION_BEFORE = /(不含|不带|不包含|不包括|不装|无|没有|没带|未含|未带|未装|并非|不是|非|除去|去掉|去除)(任何|带|有|含|装|内置|附带)?$/;
/** A negation right after the word: 电池已取出, 电池已拆除. */
const NEGATION_AFTER = /^(已|已经)?(取出|拆除|拆下|移除|卸下|去除|拿掉)/;
/** A depiction, not the thing: 打火机图案, 子弹印花, 手枪贴纸. */
const DEPICTION_AFTER = /^(的)?(图案|印花|图样|图片|照片|贴纸|贴画|海报|刺绣|纹样|logo|标志|主题|造型|形状|款式|挂画)/;

function clauseBefore(text: string, at: number): string {
  let i = at;
  while (i > 0 && !CLAUSE_BREAK.test(text[i - 1]!)) i--;
  return text.slice(i, at);
}

function clauseAfter(text: string, from: number): string {
  let i = from;
  while (i < text.length && !CLAUSE_BREAK.test(text[i]!)) i++;
  return text.slice(from, i);
}

/** Spans inside 《》 or 〈〉: titles of books, films, songs. */
function titleSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const re = /《[^》]*》|〈[^〉]*〉/g;
  for (let m = re.exec(text); m; m = re.exec(text)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

/** Whether an occurrence of `word` at `at` is a real mention of the item. */
function counts(text: string, at: number, word: string, entry: CatalogueEntry, titles: [number, number][]): boolean {
  const end = at + word.length;
  if (titles.some(([a, b]) => at >= a && end <= b)) return false;
  for (const ex of entry.exceptions ?? []) {
    const e = normalizeText(ex);
    for (let p = text.indexOf(e); p !== -1; p = text.indexOf(e, p + 1)) {
      if (p <= at && end <= p + e.length) return false;
    }
  }
  if (NEGATION_BEFORE.test(clauseBefore(text, at))) return false;
  const after = clauseAfter(text, end);
  if (NEGATION_AFTER.test(after) || DEPICTION_AFTER.test(after)) return false;
  return !(entry.innocentAfter ?? []).some((w) => after.startsWith(normalizeText(w)));
}

export function checkItem(description: string, catalogue: readonly CatalogueEntry[]): ItemCheck {
  const text = normalizeText(description);
  const titles = titleSpans(text);
  const matches: ItemMatch[] = [];
  for (const entry of catalogue) {
    const matched: string[] = [];
    for (const kw of entry.keywords) {
      const word = normalizeText(kw);
      if (!word) continue;
      for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
        if (counts(text, at, word, entry, titles)) {
          if (!matched.includes(kw)) matched.push(kw);
          break;
        }
      }
    }
    // 打火机 also contains 火机: report the longer word only.
    const words = matched.filter((w) => !matched.some((o) => o !== w && o.includes(w)));
    if (words.length) matches.push({ code: entry.code, category: entry.category, nameZh: entry.nameZh, verdict: entry.verdict, matched: words, reason: entry.reason, rule: entry.rule });
  }
  // Most severe first; among equals, the entry with the longest matched word (the most specific).
  const longest = (m: ItemMatch): number => Math.max(...m.matched.map((w) => w.length));
  matches.sort((a, b) => SEVERITY[b.verdict] - SEVERITY[a.verdict] || longest(b) - longest(a));
  const top = matches[0];
  if (!top) {
    return { verdict: 'allowed', category: null, nameZh: null, reason: '未发现禁寄或限寄物品，可以寄递；请如实申报内件并接受收寄验视。', rule: null, matchedWords: [], matches: [] };
  }
  return { verdict: top.verdict, category: top.category, nameZh: top.nameZh, reason: top.reason, rule: top.rule, matchedWords: top.matched, matches };
}

const LIST = '《禁止寄递物品指导目录》';
const RESTRICTED_RULE = '企业限寄规定';

interface EntryOptions {
  exceptions?: string[];
  innocentAfter?: string[];
}

const forbid = (code: string, category: string, nameZh: string, keywords: string[], reason: string, opts: EntryOptions = {}): CatalogueEntry => ({
  code,
  category,
  nameZh,
  verdict: 'prohibited',
  keywords,
  ...opts,
  reason,
  rule: LIST,
});
const limit = (code: string, category: string, nameZh: string, keywords: string[], reason: string, opts: EntryOptions = {}): CatalogueEntry => ({
  code,
  category,
  nameZh,
  verdict: 'restricted',
  keywords,
  ...opts,
  reason,
  rule: RESTRICTED_RULE,
});

/**
 * The default catalogue: the categories of the national 禁止寄递物品指导目录 (prohibited) and
 * common restricted goods (accepted only under conditions). Admins edit it as a setting.
 */
export const DEFAULT_ITEM_CATALOGUE: CatalogueEntry[] = [
  forbid('firearms', 'firearms', '枪支(含仿制品、主要零部件)', ['枪支', '手枪', '步枪', '猎枪', '气枪', '冲锋枪', '霰弹枪', '仿真枪', '枪模', '枪管', '枪械', '火枪', '麻醉枪', '电击枪', '发令枪'], '枪支(含仿制品、主要零部件)属于禁止寄递物品，不予收寄。'),
  forbid('ammunition', 'firearms', '弹药', ['子弹', '弹药', '弹壳', '炮弹', '手榴弹', '地雷', '催泪弹', '弹夹', '铅弹', '钢珠弹'], '弹药(含仿制品)属于禁止寄递物品，不予收寄。', { innocentAfter: ['头列车', '杯', '笔记'] }),
  forbid('controlled_knives', 'controlled_knives', '管制器具', ['管制刀具', '匕首', '三棱刀', '三棱刮刀', '弹簧刀', '跳刀', '蝴蝶刀', '开刃', '军刺', '弩', '弓弩', '电击器', '警棍', '甩棍', '指虎'], '匕首、三棱刀、弹簧刀、弩等管制器具属于禁止寄递物品，不予收寄。'),
  forbid('explosives', 'explosives', '爆炸物品(含烟花爆竹)', ['炸药', '雷管', '导火索', '导爆索', '爆破剂', '烟花', '爆竹', '鞭炮', '礼花', '礼炮', '炮仗', '摔炮', '擦炮', '火药', '黑火药', '硝化甘油', '梯恩梯', 'tnt'], '炸药、雷管、烟花爆竹等爆炸物品属于禁止寄递物品，不予收寄。', { exceptions: ['电子烟花', '电子鞭炮', '烟花三月'], innocentAfter: ['灯', '造型灯', '味'] }),
  forbid('compressed_gases', 'compressed_gases', '压缩和液化气体及其容器', ['氢气', '甲烷', '乙烷', '丁烷', '丙烷', '天然气', '液化气', '液化石油气', '煤气', '煤气罐', '氧气瓶', '氧气罐', '氮气瓶', '二氧化碳气瓶', '气瓶', '灭火器', '喷雾罐', '气雾剂', '自喷漆', '发胶喷雾', '防狼喷雾', '打火机气', '丁烷气', '卡式炉气罐', '笑气', '杀虫喷雾', '喷漆', '摩丝'], '压缩和液化气体及其容器(含各类气雾剂、灭火器、气瓶)属于禁止寄递物品，不予收寄。', { innocentAfter: ['灶', '表', '报警器', '热水器', '减压阀', '阀门', '软管', '管道'] }),
  forbid('flammable_liquids', 'flammable_liquids', '易燃液体', ['汽油', '柴油', '煤油', '酒精', '乙醇', '甲醇', '油漆', '稀释剂', '香蕉水', '天那水', '松节油', '松香水', '丙酮', '乙醚', '甲苯', '二甲苯', '打火机', '火机', '打火机油', '火机油', 'zippo油', '万能胶', '机油'], '汽油、酒精、油漆、打火机等易燃液体属于禁止寄递物品，不予收寄。', {
    // A USB (arc) lighter holds a lithium battery, not fuel: restricted as a battery below.
    exceptions: ['电子打火机', '电弧打火机', 'usb打火机', 'usb充电打火机', '充电打火机'],
    innocentAfter: ['湿巾', '棉片', '棉球', '测试仪', '检测仪', '滤芯', '格', '泵', '尺', '刷'],
  }),
  forbid('flammable_solids', 'flammable_solids', '易燃固体、自燃物质、遇水易燃物质', ['火柴', '红磷', '白磷', '黄磷', '硫磺', '镁粉', '铝粉', '固体酒精', '电石', '碳化钙', '金属钠', '金属钾', '赛璐珞', '硝化棉', '引火物'], '火柴、硫磺、红磷、固体酒精等易燃固体和自燃、遇湿易燃物质属于禁止寄递物品，不予收寄。', { exceptions: ['攀岩镁粉', '健身镁粉', '举重镁粉'], innocentAfter: ['人', '皂', '盒图案'] }),
  forbid('oxidizers', 'oxidizers', '氧化剂和过氧化物', ['高锰酸钾', '氯酸钾', '氯酸钠', '高氯酸', '过氧化氢', '双氧水', '过氧化钠', '过氧乙酸', '硝酸铵', '硝酸钾', '漂白粉', '过硫酸铵'], '高锰酸钾、氯酸钾、过氧化氢等氧化剂和过氧化物属于禁止寄递物品，不予收寄。'),
  forbid('toxic', 'toxic', '毒性物质', ['砒霜', '氰化物', '氰化钾', '氰化钠', '毒鼠强', '老鼠药', '鼠药', '灭鼠药', '农药', '杀虫剂', '除草剂', '百草枯', '敌敌畏', '乐果', '甲胺磷', '水银', '剧毒', '毒药'], '砒霜、氰化物、农药、老鼠药、水银等毒性物质属于禁止寄递物品，不予收寄。', { innocentAfter: ['残留检测'] }),
  forbid('infectious', 'infectious', '生化制品、传染性和感染性物质', ['病菌', '病毒样本', '病毒株', '菌种', '菌株', '细菌培养', '病原体', '血液样本', '血样', '血清样本', '医疗废物', '医疗垃圾', '感染性物质', '炭疽', '尸体', '人体器官', '人体组织'], '病菌、菌种、病毒、医疗废物、血液等生化制品和传染性、感染性物质属于禁止寄递物品，不予收寄。'),
  forbid('radioactive', 'radioactive', '放射性物质', ['放射性', '放射源', '铀', '钚', '镭', '钴60', '钴-60', '铯137', '同位素', '核废料', '核材料'], '铀、钴、镭等放射性物质属于禁止寄递物品，不予收寄。'),
  forbid('corrosives', 'corrosives', '腐蚀性物质', ['硫酸', '盐酸', '硝酸', '氢氟酸', '王水', '氢氧化钠', '氢氧化钾', '烧碱', '火碱', '苛性钠', '蓄电池', '铅酸电池', '电瓶', '电解液', '甲醛', '溴素', '液溴', '84消毒液', '次氯酸钠'], '硫酸、盐酸、硝酸、烧碱、铅酸蓄电池(含电解液)等腐蚀性物质属于禁止寄递物品，不予收寄。', {
    exceptions: ['除甲醛', '去甲醛', '无甲醛', '零甲醛'],
    // Salts and drug names that begin with an acid's name: 硫酸软骨素, 盐酸二甲双胍.
    innocentAfter: ['车', '软骨素', '氨基葡萄糖', '镁', '锌', '亚铁', '二甲双胍', '左氧氟沙星', '小檗碱', '检测', '测试', '清除', '钾', '铵', '甘油'],
  }),
  forbid('narcotics', 'narcotics', '毒品、吸毒工具、非正当用途的麻醉药品和精神药品、易制毒化学品', ['毒品', '海洛因', '冰毒', '甲基苯丙胺', '大麻', '摇头丸', 'k粉', '氯胺酮', '鸦片', '罂粟', '罂粟壳', '可卡因', '吗啡', '杜冷丁', '芬太尼', '麻古', '摇头水', '神仙水', 'lsd', '吸毒工具', '麻黄碱', '麻黄素', '羟亚胺', '三唑仑', '安眠酮', 'γ-羟丁酸', '曲马多'], '毒品、吸毒工具及非正当用途的麻醉药品、精神药品和易制毒化学品属于禁止寄递物品，不予收寄。', { exceptions: ['工业大麻'], innocentAfter: ['籽油', '布', '花图案'] }),
  forbid('illegal_publications', 'illegal_publications', '非法出版物、印刷品、音像制品等宣传品', ['非法出版物', '盗版书', '盗版光盘', '盗版碟', '反动', '淫秽', '色情光盘', '色情书刊', '色情杂志', '邪教', '宣扬恐怖', '恐怖主义宣传', '赌博机', '赌具'], '含有反动、煽动民族仇恨、破坏国家统一、淫秽色情、赌博、邪教等内容的非法出版物、印刷品、音像制品属于禁止寄递物品，不予收寄。'),
  forbid('spy_equipment', 'spy_equipment', '间谍专用器材', ['窃听器', '窃听设备', '针孔摄像头', '针孔摄像机', '偷拍设备', '间谍器材', '伪基站', '信号干扰器', '屏蔽器'], '窃听、窃照等专用间谍器材及伪基站、干扰器属于禁止寄递物品，不予收寄。'),
  forbid('counterfeit', 'counterfeit', '非法伪造物品与假冒伪劣物品', ['假币', '伪钞', '假钞', '伪造证件', '假证', '假身份证', '假发票', '伪造发票', '假印章', '私刻公章', '伪造公章', '假护照', '假驾照', '高仿', 'a货', '假冒', '冒牌', '山寨名牌', '假名牌', '盗版'], '伪造的货币、证件、印章、发票以及侵犯知识产权和假冒伪劣物品属于禁止寄递物品，不予收寄。', { innocentAfter: ['真花', '真植物', '真绿植', '真盆栽'] }),
  forbid('wildlife', 'wildlife', '濒危野生动物及其制品', ['象牙', '犀牛角', '犀角', '虎骨', '虎皮', '豹皮', '熊胆', '熊掌', '穿山甲', '玳瑁', '红珊瑚', '珊瑚', '羚羊角', '麝香', '野生动物', '保护动物', '藏羚羊', '沙狐皮', '猛禽', '鹦鹉', '娃娃鱼', '大鲵', '海马干', '砗磲', '盔犀鸟', '鱼翅'], '象牙、犀牛角、虎骨、穿山甲、玳瑁、珊瑚等濒危野生动物及其制品属于禁止寄递物品，不予收寄。', {
    exceptions: ['仿象牙', '人造珊瑚', '仿珊瑚', '人造象牙'],
    // 虎皮蛋糕, 虎皮凤爪, 虎皮青椒 are dishes; 象牙白 a colour; 珊瑚绒 a fabric.
    innocentAfter: ['白', '色', '绒', '状', '纹', '螺', '礁图案', '蛋糕', '鸡蛋', '凤爪', '尖椒', '青椒'],
  }),
  limit('lithium_batteries', 'lithium_batteries', '锂电池、充电宝', ['充电宝', '移动电源', '锂电池', '锂电', '电池', '电芯', '动力电池', '电动车电池', '聚合物电池', '18650', '电子打火机', '电弧打火机', 'usb打火机', '充电打火机'], '锂电池、充电宝属于限寄物品：须为正规厂家产品，单块电池额定能量不超过100Wh、与设备安装在一起或单独妥善包装，不得寄递破损、鼓包、无标识的电池；收寄时须如实申报。', {
    exceptions: ['干电池', '碱性电池', '五号电池', '七号电池', '5号电池', '7号电池', '纽扣电池'],
    innocentAfter: ['盖', '仓', '后盖', '检测仪', '测试仪', '收纳盒'],
  }),
  limit('perfume_cosmetics', 'perfume_cosmetics', '香水及含酒精、易燃的化妆品', ['香水', '古龙水', '花露水', '精油', '发胶', '定型喷雾', '指甲油', '洗甲水'], '香水、花露水、指甲油等含酒精或易燃易挥发的化妆品属于限寄物品：须原包装密封、单件不超过规定容量并防漏包装，航空件不能收寄。', { innocentAfter: ['瓶(空)', '小样空瓶', '味'] }),
  limit('liquor', 'liquor', '酒类', ['白酒', '红酒', '葡萄酒', '啤酒', '黄酒', '米酒', '清酒', '洋酒', '威士忌', '白兰地', '伏特加', '朗姆酒', '龙舌兰', '茅台', '五粮液', '汾酒', '二锅头', '酒水', '酒类', '果酒', '药酒', '泡酒'], '酒类属于限寄物品：须原厂密封包装、加防震防漏包装，数量合理；散装酒及自酿酒不予收寄，航空件不收寄。', {
    exceptions: ['空酒瓶', '无醇啤酒', '酒心巧克力', '龙舌兰植物'],
    innocentAfter: ['杯', '柜', '架', '具', '开瓶器', '醒酒器', '瓶塞', '肚', '色', '酵母', '味', '空瓶', '酒瓶(空', '包装盒', '礼盒(空'],
  }),
  limit('cash_valuables', 'cash_valuables', '现金与贵重物品', ['现金', '纸币', '钞票', '美元现钞', '外币', '金条', '黄金', '金饰', '金首饰', '珠宝', '钻石', '翡翠', '玉器', '古董', '文物', '有价证券', '支票', '存单', '名表', '奢侈品'], '现金及有价证券不予收寄(请通过银行汇款)；黄金、珠宝、名表等贵重物品须足额保价、当面验视并加固包装；文物须符合文物管理规定。', {
    exceptions: ['练功券', '道具币'],
    innocentAfter: ['收纳', '糕', '饼', '薯', '周', '画', '纹', '色', '白菜图案', '夹', '点钞机', '验钞机', '包装盒'],
  }),
  limit('live_animals', 'live_animals', '活体动物', ['活体', '活物', '宠物', '小猫', '小狗', '猫咪', '狗狗', '幼犬', '幼猫', '仓鼠', '兔子', '乌龟', '活鱼', '观赏鱼', '金鱼', '活虾', '活蟹', '大闸蟹', '活鸡', '活鸭', '活海鲜', '蜜蜂', '活蚕', '蚕种', '活蛇', '蜥蜴', '活昆虫', '蚂蚁工坊'], '活体动物原则上不予收寄；蜜蜂、蚕种、水产品等仅在具备专门包装和冷链条件、符合检疫要求时按企业规定限量收寄，宠物不予收寄。', {
    exceptions: ['活体面膜'],
    innocentAfter: ['玩偶', '公仔', '毛绒', '抱枕', '摆件', '玩具', '用品', '粮', '食品', '零食', '窝', '笼', '衣服', '猫砂', '饰品', '罐头', '饲料', '缸', '沐浴露', '牵引绳', '梳', '标本', '灯', '礼券', '提货券', '卡券'],
  }),
  limit('medicines', 'medicines', '药品', ['药品', '药物', '处方药', '西药', '中成药', '中药', '中药材', '感冒药', '胶囊', '片剂', '注射液', '针剂', '疫苗', '胰岛素', '抗生素'], '药品属于限寄物品：须为正规药品、原包装、个人自用合理数量；处方药须附处方，疫苗、胰岛素等须冷链寄递；精神类和麻醉类药品不予收寄。', {
    exceptions: ['咖啡胶囊', '空胶囊壳'],
    innocentAfter: ['柜', '盒(空)', '收纳', '咖啡', '旅馆', '冷藏包', '笔针头'],
  }),
  limit('tobacco', 'tobacco', '烟草制品', ['香烟', '卷烟', '烟草', '雪茄', '烟丝', '电子烟', '烟弹', '烟油'], '烟草制品属于限寄物品：每件数量须符合烟草专卖规定，电子烟及烟弹按企业规定限量收寄，航空件不收寄。', { innocentAfter: ['盒图案', '味', '剪', '盒(空)'] }),
  limit('knives_tools', 'knives_tools', '普通刀具', ['菜刀', '厨刀', '水果刀', '刀具', '斧头', '砍刀', '剔骨刀'], '菜刀、水果刀等普通刀具属于限寄物品：须刀刃套保护、妥善包装，不得为管制刀具。', { innocentAfter: ['架', '收纳', '座'] }),
  limit('magnets_liquids', 'magnets_liquids', '强磁物品与散装液体', ['强磁', '钕铁硼', '散装液体', '液体样品'], '强磁物品须屏蔽包装，散装液体须密封防漏包装并如实申报品名，否则不予收寄。'),
];
