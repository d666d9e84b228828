/**
 * The language guard's default rules as shipped in version 1 (one regular expression per rule,
 * no lexicon), frozen. Only the setting's upgrade reads them: a stored `guard.rules` value of the
 * old shape (a bare array of rules) keeps the rules an admin added or edited, and the rules it
 * still holds unchanged from this list are replaced by the current defaults.
 */
import type { GuardChannel, GuardRule } from './language-guard.ts';

const ALL: GuardChannel[] = ['chat', 'phone', 'email'];
const WRITTEN: GuardChannel[] = ['chat', 'email'];
/** 你 or 您 — agents slip into rhetorical questions with either. */
const YOU = '[你您]';
const Q = '[??]';

/**
 * The defaults, from seed 000 二(三) 3 禁忌用语 and 2 表达技巧, seed 000 二(二) 2 在线客服礼仪, and
 * seed 002 2.2.1 (措辞准确: no jargon). Admins edit them as the `guard.rules` setting.
 */
export const V1_DEFAULT_GUARD_RULES: readonly GuardRule[] = [
  {
    id: 'forbidden.dont_know',
    category: 'forbidden',
    pattern: '(?:我们?|俺)?(?:也|真的?|确实|都|又)?(?:不知道|不晓得|不清楚|哪知道|哪晓得|哪儿知道|怎么知道|咋知道|怎么会知道|怎么可能知道|谁知道)',
    severity: 'block',
    channels: ALL,
    suggestion: '我帮您核实一下,马上给您答复',
    exceptions: [
      // The customer's state, not the agent's answer: 「您不知道单号也没关系」「如果您不清楚…」.
      '[您你]们?(?:可能|如果|要是|也|还|暂时|一时)?(?:不知道|不晓得|不清楚)',
      '(?:如果|要是|假如|万一|若|即使|就算)[^,,。!!??]{0,6}(?:不知道|不晓得|不清楚)',
      // A polite question: 「不知道您现在方便吗?」.
      '不知道(?:您|是否|方不方便|可不可以|能不能|能否)',
      '不清楚的(?:地方|话)',
      // Negated: 「不会不知道」, 「让您不清楚」.
      '(?:不会|并非|不是)(?:不知道|不清楚)',
      '让您(?:不知道|不清楚)',
      // Something else is unclear, not the agent: 「地址写得不清楚」「照片不清楚」「字迹不清楚」.
      '(?:写得|拍得|显示得|字迹|照片|图片|信息|地址|面单|单号)不清楚',
    ],
  },
  {
    id: 'forbidden.not_my_business',
    category: 'forbidden',
    pattern:
      '(?:这|那)?(?:事|个|件事|件事情|事情|事儿)?(?:不(?:关|归)我们?(?:的事|什么事|管|事)?|(?:跟|和|与)我们?(?:没(?:有)?关系|无关)|关我们?(?:什么|啥|屁)事|不是我们?(?:的事|负责的|管的)|不(?:属于|在)我们?(?:的)?(?:职责|负责)范围)|我们?(?:这边)?管不着|别(?:来)?(?:问|找)我|问我我问谁|不是我们?能(?:决定|管|处理)的|你找别人|又不是我们?(?:的(?:事|错|问题|责任)|(?:弄|搞)(?:丢|坏|错)|丢|故意)',
    severity: 'block',
    channels: ALL,
    suggestion: '这个问题我来帮您联系相关同事处理,处理结果第一时间告诉您',
    exceptions: ['(?:跟|和|与)您(?:没(?:有)?关系|无关)'],
  },
  {
    id: 'forbidden.suit_yourself',
    category: 'forbidden',
    pattern: `${YOU}?(?:自己)?看着办|随便${YOU}|随${YOU}(?:的)?便|随你吧|爱(?:咋|怎么)(?:样|办|着)?(?:就)?(?:咋|怎么)(?:样|办|着)?|爱([^,,。!!??\\s]{1,3})就?\\1|${YOU}自己(?:想办法|决定吧|处理吧|去(?:查|问|找|弄))|${YOU}爱(?:投诉|找谁)就|${YOU}(?:说|想|要)(?:怎样|怎么样|咋样|怎么办)就(?:怎样|怎么样|咋样|怎么办)|等着吧|${YOU}急(?:也)?没用|着急(?:也)?没用`,
    severity: 'block',
    channels: ALL,
    suggestion: '我建议您这样处理……,您看可以吗?',
  },
  {
    id: 'rhetorical.why_not_earlier',
    category: 'rhetorical',
    pattern: `${YOU}(?:当时|当初|之前)?(?:怎么|为什么|为啥|咋|干嘛|干吗)(?:不|没)(?:有)?(?:早(?:点|些)?)?(?:说|讲|告诉|问|看|查|联系|打电话|来|当面|验|检查|注意|保价|填)[^,,。!!??]{0,6}(?:呢|啊|呀)?${Q}?`,
    severity: 'block',
    channels: ALL,
    suggestion: '感谢您告诉我,我马上为您处理',
  },
  {
    id: 'rhetorical.didnt_you',
    category: 'rhetorical',
    pattern: `你(?:都|就|难道)?(?:没|不)(?:有)?(?:查|看|读|听|注意)(?:过|一下|到)?[^,,。!!??]{0,8}(?:吗|么|嘛)${Q}?`,
    severity: 'block',
    channels: ALL,
    suggestion: '麻烦您提供一下单号,我马上帮您查询',
  },
  {
    id: 'rhetorical.cant_you',
    category: 'rhetorical',
    pattern: `${YOU}(?:自己)?(?:不会|不能)(?:自己)?(?:看|查|问|找|读|上网|打电话)[^,,。!!??]{0,6}(?:吗|么|嘛|啊)${Q}?|${YOU}自己不会(?:看|查|问|找)|(?:这|那)(?:都|也)不(?:知道|懂|会)|${YOU}(?:听不懂|看不懂|不识字)|(?:不是|我不是)(?:跟|和|给)?${YOU}?(?:说|讲)(?:过|了)(?:了)?吗|(?:说|讲|告诉)(?:过)?(?:你|您)?(?:了|过)?(?:多少|好几|几|无数)(?:遍|次)|早(?:干嘛|干吗|干什么|做什么)去了|说了你也不(?:懂|明白|信)|${YOU}连[^,,。!!??]{1,8}都(?:不|没)|你(?:到底)?想怎么(?:样|办)|${YOU}到底(?:有没有|是不是|不)[^,,。!!??]{0,10}(?:吗|么|嘛)?${Q}|${YOU}难道[^,,。!!??]{0,12}(?:吗|么|嘛)${Q}?`,
    severity: 'block',
    channels: ALL,
    suggestion: '我再为您详细说明一下',
  },
  {
    id: 'blame.your_fault',
    category: 'blame',
    pattern: `(?:是|都是|还不是)${YOU}(?:自己)?[^,,。!!??]{0,6}(?:填错|写错|弄错|搞错|填的|没填|没写|没看|没注意|的问题|的责任|的错)|${YOU}(?:自己)?(?:填错|写错|弄错|搞错|没填对|没写对|没写清楚|没填清楚)|(?:都|还)?(?:怪|赖)你(?:自己)?|谁让${YOU}|是你自己|你们这些|(?:真|太)麻烦(?![您你])|自己看清楚|长点心|${YOU}(?:自己)?(?:的)?(?:问题|责任|错)(?:吧|嘛|啊|呀)`,
    severity: 'block',
    channels: ALL,
    suggestion: '地址信息可能有些出入,我帮您核对并更正一下',
    exceptions: ['(?:不是|并非|不怪|不能怪|不是因为)[您你]'],
  },
  {
    id: 'refusal.cannot',
    category: 'refusal',
    pattern: '我们?(?:这边|这里)?(?:是|真的|实在|确实|也|又|就|都|反正){0,2}(?:不能|不可以|做不到|办不到|无能为力|管不了|处理不了|帮不了)|帮不了[你您]|我(?:又)?能(?:怎么办|怎么样|有什么办法)|我们?(?:一?概)?不负责(?!任)|就是不行',
    severity: 'warn',
    channels: ALL,
    suggestion: '我会帮您……(说能做什么,例如「我会帮您核实情况」)',
    exceptions: ['我们?(?:这边|这里)?(?:不能|不可以)让您'],
  },
  {
    id: 'refusal.no_way',
    category: 'refusal',
    pattern: '没(?:有)?办法|不可能|没辙',
    severity: 'warn',
    channels: ALL,
    suggestion: '我会帮您想办法……',
    exceptions: ['(?:如果|要是|若|万一)[^,,。!!??]{0,8}没(?:有)?办法', '没(?:有)?办法的话', '不可能再', '想办法'],
  },
  {
    id: 'slang.internet',
    category: 'slang',
    pattern:
      '(?<![A-Za-z])e{1,2}m{2,}(?![A-Za-z])|(?<![0-9A-Za-z])6{3,}(?![0-9A-Za-z])|(?<![A-Za-z])(?:yyds|xswl|awsl|nbcs|orz|hhh+|lol)(?![A-Za-z])|哈{3,}|嗯{3,}|呵呵|绝绝子|栓[Qq]|蚌埠住|无语子|酱紫|木有|神马|肿么|伤不起|我太难了|扎心了|给力|牛掰|嗯哼',
    severity: 'warn',
    channels: WRITTEN,
    suggestion: '请用规范的书面用语(「您好」「麻烦您」「好的」)',
  },
  {
    id: 'slang.emoji',
    category: 'slang',
    pattern: '\\p{Extended_Pictographic}(?:\\uFE0F|\\u200D\\p{Extended_Pictographic}|\\p{Emoji_Modifier})*',
    severity: 'warn',
    channels: WRITTEN,
    suggestion: '请删去表情符号,用文字表达',
    exceptions: ['[©®™]'],
  },
  { id: 'jargon.transfer_site', category: 'jargon', phrases: ['中转场', '转运中心', '分拨中心'], severity: 'warn', channels: ALL, suggestion: '分拣中心' },
  { id: 'jargon.courier', category: 'jargon', phrases: ['派件员', '收派员', '派送员'], severity: 'warn', channels: ALL, suggestion: '送货师傅' },
  { id: 'jargon.pickup_courier', category: 'jargon', phrases: ['揽件员', '揽收员'], severity: 'warn', channels: ALL, suggestion: '取件师傅' },
  { id: 'jargon.pickup', category: 'jargon', phrases: ['揽收', '揽件'], severity: 'warn', channels: ALL, suggestion: '上门取件' },
  { id: 'jargon.waybill', category: 'jargon', phrases: ['面单'], severity: 'warn', channels: ALL, suggestion: '快递单' },
  { id: 'jargon.problem_parcel', category: 'jargon', phrases: ['问题件', '异常件'], severity: 'warn', channels: ALL, suggestion: '有异常的快件' },
  { id: 'jargon.stranded', category: 'jargon', phrases: ['滞留件'], severity: 'warn', channels: ALL, suggestion: '暂时没能送出的快件' },
];
