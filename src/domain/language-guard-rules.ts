/**
 * The language guard's default configuration (the `guard.rules` setting when none is stored),
 * from seed 000 二(三) 3 禁忌用语 and 2 表达技巧, seed 000 二(二) 2 在线客服礼仪, and seed 002 2.2.1
 * (措辞准确: no jargon). Admins edit all of it as data.
 *
 * Patterns run over the normalised text (see `normaliseText`: half-width Latin letters and digits,
 * lower-case, Chinese punctuation , 。 ! ? ; :, no spaces, simplified characters). `{NAME}` is a
 * lexicon class below; `{~n}` is a gap of up to n characters inside one clause (shortest first),
 * `{+n}` the same taken longest first. A suggestion is the wording the reply box substitutes,
 * unless the rule says `advice: true` (or takes an advice category's default): then it is shown to
 * the agent and never inserted.
 */
import type { GuardCategory, GuardChannel, GuardRule } from './language-guard.ts';

const ALL: GuardChannel[] = ['chat', 'phone', 'email'];
const WRITTEN: GuardChannel[] = ['chat', 'email'];
const alt = (...parts: string[]): string => parts.join('|');

export const DEFAULT_GUARD_CLASSES: Record<string, string[]> = {
  /** The agent (or the company) speaking. */
  SELF: ['我', '我们', '咱', '咱们', '俺', '俺们', '本人', '我这边', '我们这边', '咱们这边', '这边', '我这里', '我们这里', '我方', '我司', '本公司', '客服这边'],
  /** The customer addressed. */
  CUSTOMER: ['你', '你们', '您', '您们'],
  /** Adverbs that sit between a subject and its verb without changing what is said. */
  ADV: ['也', '真', '真的', '确实', '都', '又', '还', '实在', '是', '就', '根本', '完全', '压根', '压根儿', '本来就', '反正', '可', '也是', '是真的', '暂时', '目前', '现在'],
  KNOW: ['知道', '晓得', '清楚', '了解', '知晓', '知到', '晓的'],
  /** Question words that turn 知道 into 「我哪知道」. */
  HOW: ['哪', '哪里', '哪儿', '怎么', '咋', '怎么会', '怎么可能', '从哪', '上哪', '哪能', '咋个', '哪会', '如何'],
  /** Where a deflecting agent sends the customer. */
  OTHERS: ['别人', '别的人', '其他人', '其它人', '别处', '别的部门', '其他部门', '其它部门', '网点', '快递员', '派送员', '派件员', '送货师傅', '快递师傅', '师傅', '商家', '卖家', '店家', '寄件人', '发件人', '收件人', '物流公司', '快递公司', '前台', '站点', '驿站', '官方', '总部', '平台', '他', '他们', '她'],
  /** 「我不能…」 and its paraphrases. */
  CANT: ['不能', '不可以', '不行', '做不到', '办不到', '无法', '没法', '没办法', '没有办法', '无能为力', '管不了', '处理不了', '帮不了', '搞不定', '弄不了', '解决不了', '不予', '不受理', '不接受', '不提供', '不支持', '不办理', '爱莫能助', '没辙'],
  /** Services whose 「…不了」 is a refusal (退不了, 赔不了, 拦不了). */
  SERVICE: ['退', '赔', '拦', '改', '查', '送', '寄', '取', '办', '弄', '修', '派', '催', '换', '补', '处理', '解决', '安排', '赔偿', '拦截', '更改', '修改', '退款', '退货', '理赔', '补发', '加急', '上门', '帮', '满足', '答应', '受理'],
  /** The customer's mistakes as an agent names them. */
  ERR: ['填错', '写错', '弄错', '搞错', '留错', '选错', '输错', '点错', '打错', '下错', '报错', '记错', '看错', '填漏', '漏填', '漏写', '写漏', '没填对', '没写对', '没写清楚', '没填清楚', '没写全', '没填全', '填得不对', '填的不对', '写的不对', '包装不当', '包装太差', '包得不好', '没包好'],
  /** What the customer failed to do. */
  OMIT: ['没填', '没写', '没留', '没注意', '没看', '没接', '不接', '没包好', '没保价', '不保价', '没说', '没讲', '没验', '没检查', '没核对', '没确认', '不在家', '没在家', '没仔细', '忘了', '忘记', '没选', '没备注', '没提前'],
};

export const DEFAULT_GUARD_SUGGESTIONS: Record<GuardCategory, string> = {
  forbidden: '我帮您核实一下,马上给您答复',
  rhetorical: '感谢您告诉我,我再为您详细说明一下',
  blame: '给您添麻烦了,我马上帮您核对并处理',
  refusal: '我会帮您……(说能做什么,例如「我会帮您核实情况」)',
  slang: '请用规范的书面用语(「您好」「麻烦您」「好的」)',
  jargon: '请换成客户听得懂的说法',
};
/** Categories whose default suggestion above is advice to the agent, not wording to insert. */
export const DEFAULT_GUARD_ADVICE_CATEGORIES: GuardCategory[] = ['slang', 'jargon'];

/** 帮您, 为您, 给您 — but not 因为您. */
const FOR = '(?:帮|(?<![因成作认以称行])为|替|给)';
/** Conditions: 「如果您不清楚…」 is about a possibility, not an answer. */
const IF = '(?:如果|要是|假如|万一|若|即使|就算|是否|哪怕|实在)';
/** A following clause that offers help excuses a refusal: 「目前无法上门,我帮您约明天…」. */
const OFFER = alt(
  '(?:帮|为|给|替)(?:{CUSTOMER})',
  '{CUSTOMER}(?:也)?(?:可以|能|方便)',
  '(?:可以|能)(?:先)?(?:为|帮|给|改|换|选|安排|办理|申请)',
  '建议(?:{CUSTOMER})',
  '(?:{SELF})(?:{ADV})?(?:会|来|马上|这就|立即|立刻|先|再|可以|能|帮|去|尽快)(?!不)',
  '(?:可以|好|行)吗',
  '(?:{CUSTOMER})看(?:可以|行|怎么样|如何|这样)',
  '马上|立即|尽快|稍后|第一时间',
  '但(?:是)?(?:{SELF})?(?:会|可以|能|将)',
  '(?:会|将)尽(?:量|快|力)',
);

export const DEFAULT_GUARD_RULES: GuardRule[] = [
  {
    id: 'forbidden.dont_know',
    category: 'forbidden',
    pattern: alt('(?:{SELF}(?:{ADV}){0,2})?(?:不|没有|没)(?:太|大|是很|很|怎么|咋)?{KNOW}', '(?:{SELF}(?:{ADV}){0,2})?{HOW}(?:会|能)?{KNOW}', '(?:谁|鬼|天)(?:知道|晓得)'),
    severity: 'block',
    channels: ALL,
    suggestion: '我帮您核实一下,马上给您答复',
    exceptions: [
      // The customer's state, not the agent's answer: 「您不知道单号也没关系」「您可能暂时不清楚…」.
      '{CUSTOMER}(?:(?!{SELF})[^,。!?;:…~]){0,5}(?:不|没有|没)(?:太|大)?{KNOW}',
      `${IF}[^,。!?;:]{0,8}(?:不|没)(?:太)?{KNOW}`,
      // A polite question: 「不知道您现在方便吗?」.
      '(?:不|没)(?:太)?(?:知道|清楚)(?:{CUSTOMER}|是否|方不方便|可不可以|能不能|能否|有没有|是不是|还记得|怎么称呼|该怎么|要不要)',
      '(?:不|没)(?:太)?清楚的(?:地方|话|部分)',
      // 「还有不清楚的随时找我」: anything left unclear.
      '(?:有|还有)(?:什么|哪些|任何)?(?:不|没)(?:太)?清楚的',
      // Negated or prevented: 「不会不知道」「以免您不清楚」「让您不清楚」.
      '(?:不会|并非|不是|不用|不必|不要|别|以免|避免)(?:不|没)(?:太)?{KNOW}',
      '(?:让|使|令)(?:{CUSTOMER}){~4}(?:不|没)(?:太)?{KNOW}',
      // Something else is unclear: 「地址写得不清楚」「照片不清楚」「看不清楚」.
      '(?:写|拍|显示|说|讲|填|标|印|看|听|解释|描述|交代|介绍)(?:得|的)?(?:不|没|没有)(?:太)?清楚',
      '(?:字迹|照片|图片|信息|地址|面单|单号|画面|声音|信号|电话|录音|监控|视频|号码|快递单|标签|条码){~3}(?:不|没)(?:太)?清楚',
    ],
  },
  {
    id: 'forbidden.not_my_business',
    category: 'forbidden',
    pattern: alt(
      '(?:这|那)?(?:个|事|件事|件事情|事情|事儿|种事|种事情|些事|个事|个问题|问题)?(?:{ADV}){0,2}(?:' +
        alt(
          // 唔 is Cantonese 不: 「唔关我事」.
          '(?:不|唔)(?:关|归|干)(?:{SELF}){~3}(?:的事|什么事|啥事|咩事|乜事|事|管|负责|处理)?',
          '(?:跟|和|与|同)(?:{SELF}){~2}(?:没有?(?:什么|啥|任何)?(?:关系|关联|干系|事)|无关|不相干|毫无关系)',
          '关(?:{SELF})(?:什么|啥|屁|毛|何|咩|乜)事',
          '不是(?:{SELF})(?:的事|的问题|的责任|负责的|管的|的工作|的职责|能(?:决定|管|处理|解决|控制)的|的范围|的业务)',
          '不(?:属于|在)(?:{SELF})(?:的)?{~4}(?:职责|负责|管理|服务|业务|处理)(?:范围|范畴)',
          '(?:{SELF}){~2}管不着',
          '又不是(?:{SELF})',
          '(?:{SELF})又不是',
          '(?:{SELF}){~2}(?:没|没有|不负|不承担|不担)(?:任何)?(?:责任)',
        ) +
        ')',
      '(?:别|不要|甭|少)(?:再)?(?:来)?(?:问|找|烦|催)(?:{SELF})',
      '问我我问谁',
      '(?:跟|和|对|找|问)(?:{SELF})(?:说|讲|反映|喊|嚷|闹|催)?(?:也|都)?没有?用',
    ),
    severity: 'block',
    channels: ALL,
    suggestion: '这个问题我来帮您联系相关同事处理,处理结果第一时间告诉您',
  },
  {
    id: 'forbidden.deflect',
    category: 'forbidden',
    // 「你问别人吧」「你找网点去」「你去问快递员噻」: sending the customer elsewhere without help.
    pattern: alt(
      '(?:{CUSTOMER}|(?<![^,。!?;:~]))(?:自己|还是|直接|最好)?(?:去)?(?:问|找|揾|联系|打给|打电话给|咨询)(?:一下)?(?:{OTHERS})(?:去|吧|呗|啊|啦|噻|撒|好了|问问|问去|问吧)',
      '打(?:别的|其他|其它|别家)(?:的)?(?:电话|号码)',
      '请?另行(?:联系|咨询|处理|解决)',
      '找别人(?:去|吧)?',
    ),
    severity: 'block',
    channels: ALL,
    suggestion: '这个问题我来帮您联系相关同事处理,处理结果第一时间告诉您',
    exceptions: ['(?:可以|麻烦|请|建议|方便|帮|(?<![因成作认以称行])为|替|给)(?:{CUSTOMER})?(?:直接)?(?:去)?(?:问|找|联系|打给|咨询)'],
  },
  {
    id: 'forbidden.suit_yourself',
    category: 'forbidden',
    pattern: alt(
      '(?:{CUSTOMER})?(?:自己)?看着办',
      // 「您自己看着处理吧」, not 「我帮您看着处理」.
      `(?:(?<!${FOR})(?:{CUSTOMER})(?:自己)?|自己)看着(?:处理|弄|搞|解决|来)`,
      '随便(?:{CUSTOMER})',
      '随(?:{CUSTOMER})(?:的)?便',
      '随(?:{CUSTOMER})(?:怎么|咋)',
      '(?:{CUSTOMER})随意(?=[吧啦了,。!]|$)',
      '爱(?:咋|怎么|怎样|咋样|啥)(?:样|办|着|地|的)?(?:就)?(?:咋|怎么|怎样|咋样)(?:样|办|着|地|的)?',
      '爱(?<a>[^,。!?;:]{1,3})不\\k<a>',
      '爱(?<b>[^,。!?;:]{1,3})就?\\k<b>',
      '(?:想|要)(?<c>投诉|告|举报|退)就(?:去)?\\k<c>',
      '(?:{CUSTOMER})?(?:去|尽管|随便)投诉(?:吧|去|好了)',
      '{CUSTOMER}自己(?:想(?:想)?办法|决定吧|处理吧|解决吧|看吧|弄吧|去(?:查|问|找|弄|处理|联系))',
      '{CUSTOMER}爱(?:投诉|找谁|怎么)',
      '{CUSTOMER}(?:说|想|要)(?:怎样|怎么样|咋样|怎么办|咋办)就(?:怎样|怎么样|咋样|怎么办|咋办)',
      '(?:就|慢慢|只能|只好)?等着吧|慢慢等吧|等着就(?:行|是了)',
      '(?:{CUSTOMER})?(?:急|催|着急|投诉|闹|吵|喊)(?:也|都)?没有?用',
    ),
    severity: 'block',
    channels: ALL,
    suggestion: '我建议您这样处理……,您看可以吗?',
  },
  {
    id: 'forbidden.impatience',
    category: 'forbidden',
    // Impatience and rudeness: 「你烦不烦」「有完没完」「一个问题问五遍」.
    pattern: alt(
      '(?:{CUSTOMER})?烦不烦',
      '烦死(?:了|人)',
      '(?<!麻)(?:真|好|很)烦(?:人)?(?:啊|呀|诶)?(?=[,。!?]|$)',
      '有完没完|没完没了',
      '{CUSTOMER}(?:是不是)?(?:有病|神经病|脑子(?:有病|进水|坏了|有问题))|神经病|听不懂人话',
      '(?:少|别)(?:在这)?(?:废话|啰嗦|啰唆|墨迹|磨叽|唧唧歪歪|叽叽歪歪)|闭嘴|滚(?:吧|开|蛋|远点)',
      '{CUSTOMER}(?:急|催|吵|嚷|喊|凶|叫)什么',
      '(?<![^,。!?;:~])(?:急|催|吵|嚷|喊)什么',
      '(?:问|说|讲|催)(?:了)?(?:[二三四五六七八九]?[十百千万]|[三四五六七八九几]|好几|无数|多少)(?:遍|次)',
      '一个问题问(?:[二两三四五六七八九十几]|好几|多少)遍',
      '(?:{SELF}){~2}(?:很|太|正|在)忙(?:着)?(?:呢|啊|的)?(?=[,。!?]|$)',
      '没空(?:理|管|跟|搭理)',
      '(?:能不能|可不可以|请|麻烦)?别(?:再)?(?:问|催|打|吵|烦|闹)了',
      '别(?:再)?{~6}(?:催|问)了',
      '不耐烦|懒得(?:理|管|说|跟|解释)',
      // Nothing more to say: 「我能说的都说了」「该讲的都讲过了」.
      '(?:能|该|要|可以)(?:说|讲|解释|告诉{CUSTOMER})的(?:{SELF})?(?:{ADV}|已经|全){1,2}(?:说|讲|解释|告诉{CUSTOMER})(?:过|完)?了',
      '{CUSTOMER}(?:怎么|咋)?(?:这么|那么|真|太)(?:多事|啰嗦|烦|难缠|不讲理|磨叽|事多|较真)',
    ),
    severity: 'block',
    channels: ALL,
    suggestion: '我理解您着急,我再为您详细说明一下',
  },
  {
    id: 'rhetorical.why_not_earlier',
    category: 'rhetorical',
    pattern: alt(
      '{CUSTOMER}{~4}(?:怎么|为什么|为啥|咋|干嘛|干吗|为何|咋个)(?:就|都|也)?(?:不|没)(?:有)?(?!收到|到|送到|能|法|办法|关系|事)(?!还)(?:{+10})[?]?',
      '(?:当时|当初|之前|那时)(?:怎么|为什么|为啥|干嘛|干吗)(?:不|没)',
      '早(?:干嘛|干吗|干什么|做什么|怎么不)(?:去了)?',
      '(?:为何|为什么|为啥|怎么)还(?:要|在|来|一直)?(?:再)?(?:问|催|打|找)',
    ),
    severity: 'block',
    channels: ALL,
    suggestion: '感谢您告诉我,我马上为您处理',
    exceptions: ['请问{~6}{CUSTOMER}'],
  },
  {
    id: 'rhetorical.didnt_you',
    category: 'rhetorical',
    // 「你没查过单号吗?」「您下单时是没看见吗?」「短信你没看啊?」.
    pattern: alt(
      '{CUSTOMER}(?:都|就|难道|是不是|自己|根本|压根)?(?:没|不)(?:有)?(?:仔细|认真)?(?:查|看|读|听|注意|收到|留意|关注|核对)(?:过|一下|到|见|清)?{+8}(?:吗|么|嘛)[?]?',
      // With words between (not 收到: 「您之前没收到短信吗」 is a real question).
      '{CUSTOMER}{~5}(?:都|就|难道|是不是|自己|根本|压根|是)?(?:没|不)(?:有)?(?:仔细|认真)?(?:查|看|读|听|注意|留意|关注|核对)(?:过|一下|到|见|清)?{+8}(?:吗|么|嘛)[?]?',
      '{CUSTOMER}(?:都|就|难道|是不是|自己|根本|压根|是)?(?:没|不)(?:有)?(?:仔细|认真)?(?:查|看|读|听|注意|留意|关注|核对)(?:过|一下|到|见|清)?{+8}(?:啊|呀|哇)[?]',
    ),
    severity: 'block',
    channels: ALL,
    suggestion: '麻烦您提供一下单号,我马上帮您查询',
    exceptions: ['请问{~6}{CUSTOMER}'],
  },
  {
    id: 'rhetorical.told_you',
    category: 'rhetorical',
    pattern: alt(
      '不是(?:{ADV}|刚才|刚刚|早就|之前|已经|上次){0,3}{+8}(?:说|讲|告诉|通知|提醒|解释|发|写|回复|交代|强调|标|印)(?:过|了|着|明)+{+6}(?:吗|么|嘛)[?]?',
      '(?:(?<![^,。!?;:~])|{SELF})(?:不是)?(?:都|早都|早就)(?:已经)?(?:跟|和|给)?(?:告诉|通知|说给|讲给|提醒)(?:过)?(?:{CUSTOMER}){~8}了',
      '(?:说|讲|告诉|解释|提醒)(?:过)?(?:{CUSTOMER})?(?:了|过)?(?:多少|好几|几|无数|[三四五六七八九十])(?:遍|次)',
      '早(?:就)?(?:跟|和|给)?(?:{CUSTOMER})?(?:说|讲|告诉|提醒|通知)过',
    ),
    severity: 'block',
    channels: ALL,
    suggestion: '我再为您详细说明一下',
  },
  {
    id: 'rhetorical.cant_you',
    category: 'rhetorical',
    pattern: alt(
      '{CUSTOMER}(?:就|都|自己|难道)*(?:不会|不能|不可以|没法|不懂得?)(?:自己)?{+8}(?:吗|么|嘛|啊|呀)?[?]',
      '{CUSTOMER}(?:就|都|自己|难道)*(?:不会|不能)(?:自己)?(?:看|查|问|找|读|上网|打电话){+6}(?:吗|么|嘛|啊)',
      '{CUSTOMER}自己不会(?:看|查|问|找|弄|操作)',
      '(?:这|那)(?:都|也|还)不(?:知道|懂|会|清楚)',
      '{CUSTOMER}{~2}(?:听不懂|看不懂|不识字|听不明白|看不明白|听不进去)',
      '说了{CUSTOMER}?也不(?:懂|明白|信|听)',
      '{CUSTOMER}{~3}连{+8}都(?:不|没)',
      '{CUSTOMER}(?:到底)?想(?:怎么|咋)(?:样|办|着)',
      '{CUSTOMER}(?:到底)?(?:想|要)(?:干嘛|干吗|干什么|怎样)',
      '{CUSTOMER}到底(?:有没有|是不是|不|没|要不要|想不想|懂不懂|会不会){+10}(?:吗|么|嘛)?[?]',
      '难道',
      '(?:这|那)?还用(?:问|说|查|我(?:说|教|告诉))',
      '{CUSTOMER}(?:还)?以为',
      '哪(?:有|能|会)(?:那么|这么)',
      '有(?:什么|啥)好(?:问|说|急|催|担心|着急|吵|闹)的',
      '(?:问|催|急|吵)(?:这个|那么多|这么多)?(?:干嘛|干吗|做什么|有啥用|有什么用)',
      '不然呢|要不然呢|那还能怎样|有没有搞错|搞没搞错',
      '(?:这|那)不是?(?:很)?(?:明摆着|很明显|显而易见)(?:的)?(?:吗|嘛)',
      '(?:这么|那么){~8}都不(?:会|懂|知道)',
      // 「这么简单的事你还要问我?」「你还来找我?」.
      '{CUSTOMER}(?:还|又|也)(?:要|得|来|在|想)?(?:问|找|催|烦)(?:{SELF})(?:吗|呢|啊|呀)?(?=[?!]|$)',
      '(?:这么|那么)(?:简单|容易|小)的(?:事|事情|问题)(?:{CUSTOMER})?(?:还|也|都){+10}[?]?',
      // 「还催什么催」「问什么问」: the verb repeated round 什么.
      '还(?:在)?(?<w>催|急|吵|闹|嚷|喊)(?:什么|啥)\\k<w>?',
      '(?<v>催|问|急|吵|嚷|喊|闹|叫|看|说)(?:什么|啥)\\k<v>',
    ),
    severity: 'block',
    channels: ALL,
    suggestion: '我再为您详细说明一下',
    exceptions: [`${IF}{~3}{CUSTOMER}`, '请问{~6}{CUSTOMER}'],
  },
  {
    id: 'blame.wrong_details',
    category: 'blame',
    pattern: alt('(?:是|都是|全是|就是|还不是)(?:{CUSTOMER})(?:自己)?{~8}(?:{ERR})', '{CUSTOMER}(?:自己)?{~10}(?:{ERR})'),
    severity: 'block',
    channels: ALL,
    suggestion: '地址信息可能有些出入,我帮您核对并更正一下',
    exceptions: [
      `(?:${IF.slice(3, -1)}|是不是|有没有|可能|也许|担心|怕|以免|避免|防止){~4}(?:{CUSTOMER})?`,
      `${FOR}(?:{CUSTOMER})`,
      '(?:(?<!要)不是|并非|不怪|不能怪|不赖)(?:{CUSTOMER})',
      '(?:没|没有|不是)(?:{ERR})',
    ],
  },
  {
    id: 'blame.your_fault',
    category: 'blame',
    pattern: alt(
      '(?:肯定|一定|明明|分明|完全|纯粹|还不|本来就)是(?:因为|由于)?{~2}(?:{CUSTOMER})',
      '(?:是|都是|全是|还不是)(?:因为|由于)?(?:{CUSTOMER})(?:自己)?{~8}(?:{OMIT}|的问题|的责任|的错|造成的|导致的|搞的|弄的)',
      '{CUSTOMER}自己{~4}(?:{OMIT})',
      '是你(?:们)?自己',
      '怪谁|怨谁|赖谁',
      '(?:都|还|只能|要)?(?:怪|赖|怨)(?:{CUSTOMER})',
      '(?:别|不要|甭)(?:来)?(?:赖|怪|怨)(?:{SELF})',
      '(?:赖|怪|怨)不(?:得|着|了|到)(?:{SELF})',
      // 「这能怪我们吗?」「不怪我们」「也不能怪我们」 (but 「都怪我们」 is the agent owning it).
      '(?:能|可以|该|应该)(?:{ADV})?(?:怪|赖|怨)(?:{SELF}){~4}(?:吗|么|嘛|呢)',
      '(?:不|不能|不该|没法|怎么能)(?:{ADV})?(?:怪|赖|怨)(?:{SELF})',
      '(?:{CUSTOMER})自己把{~8}(?:删|丢|扔|撕|弄坏|搞坏|弄丢|搞丢|关|拒)',
      '谁(?:让|叫)(?:{CUSTOMER})',
      '你们这些',
      '(?:真|太)麻烦(?!{CUSTOMER})',
      '自己(?:不)?看清楚|长点心|(?:长|带)点?脑子',
      '{CUSTOMER}(?:自己|自身)(?:的)?(?:问题|责任|原因|过失|错|失误)',
      '{CUSTOMER}(?:的)?(?:问题|责任|错)(?:吧|嘛|啊|呀)',
      '是(?:{CUSTOMER})(?:自己)?的(?:问题|责任|错|原因|过失)',
      '(?:后果|责任|损失|风险)(?:请|需|需要|要|由|只能|得)?(?:{CUSTOMER})?(?:自行|自己)(?:承担|负责|负担)',
      // 「责任应由您本人承担」「损失只能由您自己负责」.
      '(?:后果|责任|损失|风险){~4}由(?:{CUSTOMER})(?:本人|自己|自行|个人)?(?:来)?(?:承担|负责|负担|承受)',
      // 「您未及时取件导致快件退回」「系您提供的信息有误造成」.
      // Not an apology for what the customer suffered: 「您未收到短信导致的不便…」.
      '(?:{CUSTOMER})(?:未|没|没有)(?!收到)(?:及时|按时|按要求|如实|正确|准确)?{~6}(?:导致|造成|致使)(?!的)',
      '(?:是|系|因|因为|由于)(?:{CUSTOMER}){~10}(?:有误|错误|不准确|不完整|不全|不详)(?:所)?(?:造成|导致|引起)',
      '(?:由于|因为)(?:{CUSTOMER}){~12}(?:导致|造成)',
      '(?:由于|因为)(?:{CUSTOMER}){~3}(?:未|没|没有)(?:按|照|提供|填|写)',
      '(?:{CUSTOMER}){~3}(?:要是|如果|当时|当初)?[^。!?]{0,10}(?:早|提前|及时|当时|当初)[^。!?]{0,12}(?:就|也)(?:不会|不至于|没|不用|不必)',
      '当然(?:送不了|送不到|找不到|联系不上|不行|没法|收不到|退回|打不通)',
      '(?:{CUSTOMER}){~6}(?:老是|总是|每次都)(?:没人|不在|不接|关机|不回|不看|搞错|填错)',
      '(?:{CUSTOMER})(?:也)?(?:太|真|这么|也太)(?:粗心|马虎|大意|不小心|不注意)',
      '早(?:就)?(?:提醒|告诉|通知|说)(?:过)?(?:{CUSTOMER})',
    ),
    severity: 'block',
    channels: ALL,
    suggestion: '给您添麻烦了,我马上帮您核对并处理',
    exceptions: ['(?:(?<![要还])不是|并非|不怪|不能怪|(?<![要还])不是因为|不赖|不算|无关)(?:{CUSTOMER})', `${FOR}(?:{CUSTOMER})`],
  },
  {
    id: 'refusal.cannot',
    category: 'refusal',
    pattern: alt(
      '(?:{SELF})(?:{ADV}|这边|这里|一概|一律){0,3}(?:{CANT})',
      '帮不了(?:{CUSTOMER})',
      '(?:{SELF})(?:{ADV})?能(?:怎么办|怎么样|有什么办法|咋办|咋样)',
      '(?:{SELF})(?:{ADV}){0,2}(?:一?概|一律)?不(?:负责|管|受理|赔|退)(?!任)',
      '(?:就是|就)不行',
      '不予(?:处理|受理|理赔|赔偿|退款|办理|考虑|支持)',
      '一概不(?:管|理|负责|处理|受理)',
      // A clause opening with the refusal, subject left out: 「不能改时间,系统已经锁定了」 — not
      // 「不能让您久等」, nor a rule stated about things (「不能寄的物品…」).
      '(?<![^,。!?;:~])(?:{ADV}){0,2}(?:{CANT})(?!让|{~6}的)',
    ),
    severity: 'warn',
    channels: ALL,
    suggestion: '我会帮您……(说能做什么,例如「我会帮您核实情况」)',
    exceptions: ['(?:{SELF}){~2}(?:不能|不可以|不会|不想|不愿)让(?:{CUSTOMER})', `${IF}[^,。!?;:]{0,8}(?:{CANT})`, '(?:{CANT})[^,。!?;:]{0,8}的话'],
    excuseAfter: [OFFER],
  },
  {
    id: 'refusal.no_way',
    category: 'refusal',
    pattern: alt(
      '没有?办法|没法子?|没辙|没门|不可能|怎么可能|搞不定|办不到|做不到|无能为力|爱莫能助',
      '(?:{SERVICE})不了',
      '(?<![^,。!?;:~])不行(?=[,。!?;:~]|$|的|啊|呀|吧|哦|了)',
      '(?:肯定|绝对|当然|根本|那|这)不行(?!的话)',
      '就是这么规定的|规定就是(?:这样|这么|规定)|没得商量|没什么好说的',
      '(?:规定|系统|公司|政策|制度){~3}不(?:允许|让|支持)',
      '不给(?:{CUSTOMER})?(?:赔|退|改|办|换|补)',
    ),
    severity: 'warn',
    channels: ALL,
    suggestion: '我会帮您想办法……',
    exceptions: [`${IF}[^,。!?;:]{0,8}(?:没有?办法|没法|不行|不了)`, '(?:没有?办法|没法|不行|不了)[^,。!?;:]{0,8}的话', '不可能(?:再|会再)', '想(?:尽)?办法'],
    excuseAfter: [OFFER],
  },
  {
    id: 'slang.internet',
    category: 'slang',
    // The text is lower-cased by normalisation.
    pattern: alt(
      '(?<![a-z])e{1,2}m{2,}(?![a-z])',
      // 666 (well done) and 2333 (laughter), but not digits of a longer number (「400-666-8888」「0571 8888 6666」).
      '(?<![0-9a-z\\- ])(?:6{3,}|23{3,})(?![0-9a-z\\- ])',
      '(?<![a-z])(?:yyds|xswl|awsl|nbcs|orz|hh+|lol|tql|u1s1|dbq|xdm|yygq|emo|3q|qaq|qwq|ovo|t_t|hiahia)(?![a-z0-9])',
      '哈{2,}|嗯{3,}|嘤{2,}|呜{2,}|啊{3,}|呵呵|嘻嘻|嘿嘿',
      // WeChat's emoji codes.
      '\\[(?:微笑|捂脸|抱拳|玫瑰|强|握手|ok|偷笑|呲牙|大哭|流泪|害羞|调皮|可爱|愉快|憨笑|奸笑|机智|皱眉|耶|红包|发呆|尴尬|再见|擦汗|抠鼻|鼓掌|坏笑|嘿哈|捂嘴|吃瓜|加油|汗|天啊|旺柴|打脸|哇|合十|爱心|心碎|太阳|月亮|咖啡|蛋糕|礼物|拥抱|胜利|拳头|ok)\\]',
      '绝绝子|栓q|蚌埠住|无语子|酱紫|酱婶|木有|神马|肿么|伤不起|我太难了|扎心了|给力|牛掰|牛b|嗯哼|集美|宝子|家人们|芭比q|破防|奥利给|冲鸭|笑死|么么哒|萌萌哒|好哒|好滴|有木有|造吗|表酱',
      '\\^[_\\-ωo▽]?\\^',
      '[(][^()]{0,8}[ω▽∀´`・﹏ฅ][^()]{0,8}[)]',
      ':-?[)d](?![0-9a-z])',
    ),
    severity: 'warn',
    channels: WRITTEN,
    suggestion: '请用规范的书面用语(「您好」「麻烦您」「好的」)',
    advice: true,
    exceptions: [
      // A waybill, pick-up code or phone number with 666 in it, 「单号 666 开头的那一件」.
      '(?:单号|尾号|号码|编号|码|电话|手机|运单|号|是|为|第)(?:6{3,}|23{3,})|(?:6{3,}|23{3,})(?:开头|结尾|打头|号|元|块|公斤|kg|件|个|次|单|路|栋|室|米|年|分|克|g|ml|人)',
      // 厦门集美区 is a place.
      '集美(?:区|大学|街道|路|镇)',
    ],
  },
  {
    id: 'slang.emoji',
    category: 'slang',
    pattern: '\\p{Extended_Pictographic}(?:\\uFE0F|\\u200D\\p{Extended_Pictographic}|\\p{Emoji_Modifier})*',
    severity: 'warn',
    channels: WRITTEN,
    suggestion: '请删去表情符号,用文字表达',
    advice: true,
    exceptions: ['[©®™]'],
  },
  // Jargon: the suggestion is the plain term, so replacing the span gives the plain sentence.
  { id: 'jargon.transfer_site', category: 'jargon', phrases: ['中转场', '转运中心', '分拨中心', '集散中心', '转运场', '分拨', '外场'], severity: 'warn', channels: ALL, suggestion: '分拣中心' },
  { id: 'jargon.courier', category: 'jargon', phrases: ['派件员', '收派员', '派送员'], severity: 'warn', channels: ALL, suggestion: '送货师傅' },
  { id: 'jargon.pickup_courier', category: 'jargon', phrases: ['揽件员', '揽收员', '揽投员'], severity: 'warn', channels: ALL, suggestion: '取件师傅' },
  { id: 'jargon.pickup', category: 'jargon', phrases: ['揽收', '揽件'], severity: 'warn', channels: ALL, suggestion: '上门取件' },
  { id: 'jargon.waybill', category: 'jargon', phrases: ['面单'], severity: 'warn', channels: ALL, suggestion: '快递单' },
  { id: 'jargon.problem_parcel', category: 'jargon', phrases: ['问题件', '异常件', '疑难件'], severity: 'warn', channels: ALL, suggestion: '有异常的快件' },
  { id: 'jargon.stranded', category: 'jargon', phrases: ['滞留件', '留仓件', '积压件', '压件'], severity: 'warn', channels: ALL, suggestion: '暂时没能送出的快件' },
  { id: 'jargon.held', category: 'jargon', phrases: ['留仓'], severity: 'warn', channels: ALL, suggestion: '暂时留在站点' },
  // 「这票件现在是滞留状态」→「这票件现在暂时没能送出」; 「快件滞留在站点」→「快件停留在站点」.
  { id: 'jargon.stranded_state', category: 'jargon', pattern: '(?:是|处于|属于|显示)?滞留(?:状态|中)', severity: 'warn', channels: ALL, suggestion: '暂时没能送出' },
  { id: 'jargon.stranded_verb', category: 'jargon', pattern: '滞留(?!件|状态|中)', severity: 'warn', channels: ALL, suggestion: '停留' },
  // 「还没做出仓」→「还没发出」.
  { id: 'jargon.out_of_warehouse', category: 'jargon', pattern: '(?:做)?出仓(?:扫描)?', severity: 'warn', channels: ALL, suggestion: '发出' },
  { id: 'jargon.return_parcel', category: 'jargon', phrases: ['逆向件', '逆向快件', '逆向包裹', '逆向单'], severity: 'warn', channels: ALL, suggestion: '退回的快件' },
  { id: 'jargon.route', category: 'jargon', pattern: '路由(?!器)', severity: 'warn', channels: ALL, suggestion: '运输路线' },
  { id: 'jargon.bagging', category: 'jargon', phrases: ['建包', '集包'], severity: 'warn', channels: ALL, suggestion: '装袋' },
  { id: 'jargon.unbagging', category: 'jargon', pattern: '拆包(?!裹)|解包', severity: 'warn', channels: ALL, suggestion: '拆袋分拣' },
  { id: 'jargon.trunk', category: 'jargon', phrases: ['干线', '支线'], severity: 'warn', channels: ALL, suggestion: '运输途中' },
  { id: 'jargon.last_mile', category: 'jargon', phrases: ['末端'], severity: 'warn', channels: ALL, suggestion: '您附近的网点' },
  { id: 'jargon.scans', category: 'jargon', phrases: ['派签扫描', '到件扫描', '发件扫描', '派件扫描', '签收扫描', '派签', '进港', '出港', '封发'], severity: 'warn', channels: ALL, suggestion: '登记' },
  { id: 'jargon.unloading', category: 'jargon', phrases: ['卸车', '解车'], severity: 'warn', channels: ALL, suggestion: '卸货' },
  { id: 'jargon.overload', category: 'jargon', phrases: ['爆仓'], severity: 'warn', channels: ALL, suggestion: '快件太多' },
  { id: 'jargon.delivered', category: 'jargon', phrases: ['妥投'], severity: 'warn', channels: ALL, suggestion: '送达' },
  { id: 'jargon.redelivery', category: 'jargon', phrases: ['二派'], severity: 'warn', channels: ALL, suggestion: '第二次派送' },
  { id: 'jargon.sort_code', category: 'jargon', phrases: ['三段码', '大头笔', '巴枪'], severity: 'warn', channels: ALL, suggestion: '分拣编码' },
  { id: 'jargon.out_of_area', category: 'jargon', phrases: ['超区'], severity: 'warn', channels: ALL, suggestion: '超出派送范围' },
];
