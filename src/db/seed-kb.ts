/**
 * The knowledge base as shipped (issue 5): the scripts and answers the service manuals contain
 * (seeds 000–002: greetings and closings, the five core processes, special customers, the busy
 * message, hold and transfer, common answers), in Chinese, published. Idempotent: a category by
 * its code, an article by its title among the seeded ones (created_by NULL); content an admin
 * has edited or archived is never overwritten.
 */
import type { Tx } from './database.ts';

/** [code, parentCode, zh, en, ticketCategoryCode] */
export const KB_CATEGORIES: [string, string | null, string, string, string | null][] = [
  ['greeting', null, '问候与结束语', 'Greetings and closings', null],
  ['etiquette', null, '服务规范与沟通', 'Service etiquette', null],
  ['order', null, '寄件咨询', 'Sending a parcel', 'consult'],
  ['order.price', 'order', '资费', 'Prices', 'consult.price'],
  ['order.time', 'order', '时效', 'Delivery times', 'consult.time'],
  ['order.prohibited', 'order', '禁寄物品', 'Prohibited items', 'consult.prohibited'],
  ['order.pickup', 'order', '预约取件', 'Pick-up booking', 'order.pickup'],
  ['tracking', null, '查件与派送', 'Tracking and delivery', 'tracking.query'],
  ['tracking.address', 'tracking', '改地址与改派', 'Changing the address', 'tracking.query'],
  ['problem', null, '问题件', 'Problem shipments', 'problem'],
  ['problem.delay', 'problem', '延误', 'Delay', 'problem.delay'],
  ['problem.loss', 'problem', '丢件', 'Loss', 'problem.loss'],
  ['problem.damage', 'problem', '破损', 'Damage', 'problem.damage'],
  ['claim', null, '理赔', 'Claims', 'problem'],
  ['complaint', null, '投诉', 'Complaints', 'complaint'],
  ['followup', null, '售后回访', 'Follow-up calls', 'after_sales'],
  ['special', null, '特殊客户与特殊场景', 'Special customers and situations', null],
];

/** [categoryCode, kind, audience, title, body, tags, appliesTo] */
export type KbSeed = [string, 'article' | 'script', 'internal' | 'public', string, string, string[], string[]];

export const KB_SEEDS: KbSeed[] = [
  // 问候与结束语 (SPEC C5; seed 000 二(二))
  ['greeting', 'script', 'internal', '电话开场白(接听来电)', '您好,{公司}快递客服,请问有什么可以帮您?', ['开场白', '问候', '电话'], []],
  ['greeting', 'script', 'internal', '电话开场白(话务员报号)', '您好,{公司}话务员为您服务,请讲。', ['开场白', '问候', '电话'], []],
  ['greeting', 'script', 'internal', '在线客服开场白', '{客户称呼}好,{公司}快递在线客服很高兴为您服务,请问有什么可以帮您?', ['开场白', '问候', '在线'], []],
  ['greeting', 'script', 'internal', '网点现场接待问候', '您好,请问需要办理什么业务?', ['开场白', '问候', '网点', '现场'], []],
  ['greeting', 'script', 'internal', '结束语(确认无其他问题)', '请问还有其他需要帮助的吗?感谢您的理解与支持,再见!', ['结束语', '再见'], []],
  ['greeting', 'script', 'internal', '繁忙提示(在线咨询量大)', '您好,当前咨询量较大,我会尽快为您解答,请稍等~', ['繁忙', '排队', '稍等', '在线'], []],
  ['greeting', 'script', 'internal', '电话保持前告知等待', '{客户称呼},我需要为您查询一下相关信息,大约需要1分钟,请您稍等不要挂机,好吗?', ['保持', '等待', '电话'], []],
  ['greeting', 'script', 'internal', '转接前征得客户同意', '{客户称呼},您的问题需要由专门的同事为您处理,我现在帮您转接过去,可以吗?转接过程中请不要挂机。', ['转接', '电话'], []],
  ['greeting', 'script', 'internal', '留言回电登记', '{客户称呼},为了不耽误您的时间,我先记录下您的姓名、联系电话和需要办理的事情,处理后我们会尽快给您回电。', ['留言', '回电'], []],

  // 服务规范与沟通 (seed 000 二(三))
  ['etiquette', 'article', 'internal', '倾听与确认:复述关键信息', '1. 专注倾听,不一边听一边打字;\n2. 用「嗯」「我明白」「您继续说」表示在听;\n3. 客户说完后复述关键信息:「您是说,您的快件单号是{运单号},昨天应该送达但至今未收到,对吗?」避免误解。', ['倾听', '复述', '沟通技巧'], []],
  ['etiquette', 'article', 'internal', '通俗表达:术语换成客户听得懂的话', '对客户不用内部术语:\n- 「中转场」说成「分拣中心」;\n- 「派件员」说成「送货师傅」;\n- 回答按「问题—原因—解决方案」的顺序;\n- 用「我会帮您」代替「我不能」,例如「我会帮您核实情况」。', ['术语', '表达', '沟通技巧'], []],
  ['etiquette', 'article', 'internal', '禁忌用语清单', '禁止说:「不知道」「这不关我的事」「你自己看着办」「随便你」。\n禁止反问客户:「你怎么不早说?」「你没查过单号吗?」\n禁止指责客户:「是你自己填错地址了吧?」「你为什么不早点联系我们?」\n在线回复不用网络流行语和表情(如「emmm」「666」)。', ['禁忌用语', '用语规范', '质检'], []],
  ['etiquette', 'article', 'internal', '在线客服回复规范', '1. 客户消息1分钟内回复,繁忙时先发繁忙提示;\n2. 使用「亲」「您好」「麻烦您」等礼貌用语;\n3. 分点或编号回答,例如「关于您的问题,解答如下:1.时效:……;2.费用:……」。', ['在线', '回复规范', '时效'], []],

  // 一、下单咨询 (seed 000 三(一))
  ['order', 'script', 'internal', '寄件咨询:主动询问寄件需求', '请问您是要寄件吗?需要寄到哪里?寄的是什么物品、大概多重呢?我帮您查一下时效和费用。', ['寄件', '下单', '咨询'], []],
  ['order.pickup', 'script', 'internal', '引导下单与上门取件', '如果您确定寄件,可以通过我们的APP或微信公众号下单,会有师傅上门取件。', ['下单', '上门取件', '预约'], []],
  ['order.pickup', 'script', 'internal', '寄件信息复核', '跟您确认一下寄件信息:寄件地址是……,收件人是……,电话是……,对吗?', ['下单', '确认信息'], []],
  ['order.price', 'article', 'public', '运费怎么算?(首重与续重)', '运费按「首重 + 续重」计算:首重1公斤10元,续重每公斤2元(以寄件地到收件地的实际报价为准)。\n例:快件重2公斤,运费 = 10 + 2 × 1 = 12元。\n体积较大的轻泡件按体积重量计费。寄件前可在「运费查询」中输入寄件地、收件地和重量估算。', ['资费', '运费', '首重', '续重', '价格'], []],
  ['order.price', 'script', 'internal', '资费答复话术', '{客户称呼},您的快件首重1公斤10元,续重每公斤2元,按您说的重量计算,运费约……元,具体以师傅称重为准。', ['资费', '运费'], []],
  ['order.time', 'article', 'public', '快递几天能到?(时效说明)', '时效根据寄件地和收件地而定:\n- 同城件一般1天送达;\n- 省内件一般1–2天;\n- 跨省件(如北京寄上海)标准件一般2天左右,偏远地区会更久。\n节假日和大促期间时效可能延迟1–3天,以系统显示的预计送达时间为准。', ['时效', '几天到', '送达时间'], ['delayed']],
  ['order.time', 'script', 'internal', '时效答复话术', '{客户称呼},从寄件地寄到收件地,标准件预计2天左右送达,具体以下单后系统显示的预计送达时间为准。', ['时效'], []],
  ['order.prohibited', 'article', 'public', '哪些物品不能寄?(禁寄物品)', '以下物品禁止寄递:\n1. 易燃易爆物品(汽油、酒精、烟花爆竹、打火机等);\n2. 管制刀具、枪支弹药及仿真枪;\n3. 毒品及易制毒化学品;\n4. 腐蚀性、放射性、有毒物品;\n5. 国家法律法规禁止流通的物品。\n液体、粉末、电池、易碎品等需按规定包装,收件时师傅会当面验视。如不确定,请先咨询客服。', ['禁寄物品', '违禁品', '能不能寄'], []],
  ['order.prohibited', 'script', 'internal', '禁寄物品答复话术', '{客户称呼},非常抱歉,这类物品属于国家规定的禁寄物品,为了运输安全我们无法收寄。我可以帮您看看有没有其他可以寄递的方式。', ['禁寄物品'], []],

  // 二、快件追踪查询 (seed 000 三(二))
  ['tracking', 'script', 'internal', '查件:询问单号', '请问您的快件单号是多少?我帮您查一下。如果不记得单号,提供寄件人或收件人的手机号也可以查询。', ['查件', '单号', '手机号查件'], []],
  ['tracking', 'script', 'internal', '查件结果:正常在途', '{客户称呼},您的快件{运单号}目前在分拣中心正常运输中,预计{预计送达}送达,请您留意送货师傅的电话。', ['查件', '在途', '预计送达'], ['in_transit', 'out_for_delivery']],
  ['tracking', 'script', 'internal', '查件结果:异常延误', '{客户称呼},您的快件{运单号}由于天气原因在途中有所延误,我们会尽快安排派送,给您带来不便非常抱歉。', ['查件', '延误', '天气'], ['delayed', 'exception']],
  ['tracking', 'script', 'internal', '提醒关注公众号实时跟踪', '如果您需要实时跟踪,可以关注我们的公众号,输入单号就能看到最新进度。', ['查件', '公众号', '跟踪'], []],
  ['tracking', 'article', 'public', '怎么查快递到哪了?', '1. 在「帮助中心」或公众号输入运单号查询物流轨迹;\n2. 忘记单号时,可凭寄件人或收件人手机号查询;\n3. 也可以拨打客服热线或在线咨询,客服会帮您查询。', ['查件', '物流', '单号'], []],
  ['tracking', 'article', 'public', '显示已签收但没收到快递怎么办?', '请先查看是否由家人、同事、门卫代收,或放在了驿站、快递柜(留意取件短信)。\n如仍未找到,请联系客服并提供运单号,我们会联系送货师傅核实签收情况,24小时内给您答复。', ['签收', '没收到', '驿站', '快递柜'], ['delivered']],
  ['tracking', 'article', 'public', '快递没经同意放驿站或快递柜怎么办?', '您有权要求送货上门。请联系客服提供运单号,我们会联系送货师傅重新上门投递,并核实情况。', ['驿站', '快递柜', '送货上门'], []],
  ['tracking.address', 'article', 'public', '寄出后可以改地址吗?', '快件未派送前可以申请修改收件地址:\n1. 联系客服,提供运单号和寄件人或收件人手机号完成身份核实;\n2. 告知新的地址和联系人;\n3. 客服提交改址申请,已到达派送网点的快件可能产生转寄费用,时效会相应顺延。\n已签收的快件无法改址。', ['改地址', '改派', '转寄'], ['in_transit']],
  ['tracking.address', 'script', 'internal', '改地址受理话术', '{客户称呼},可以帮您修改地址。为保护您的信息安全,请提供寄件人或收件人手机号后四位核实一下。快件{运单号}改址后时效会顺延,如已到派送网点可能产生转寄费用,您看可以吗?', ['改地址', '身份核实'], ['in_transit']],

  // 三、问题件 (seed 000 三(三))
  ['problem', 'script', 'internal', '问题件:安抚情绪(第一步)', '非常抱歉,您的快件出现了这样的情况,给您带来不便,我非常理解您的心情。我马上帮您处理。', ['安抚', '道歉', '问题件'], ['delayed', 'lost', 'damaged']],
  ['problem', 'article', 'internal', '问题件处理流程(延误/丢失/破损)', '1. 安抚情绪:「非常抱歉……我非常理解您的心情」;\n2. 核实信息:单号、寄件人/收件人信息、问题详情(破损有没有照片);\n3. 查找原因:延误查轨迹并联系网点;丢失确认在哪个环节没有扫描;破损核实包装与内件照片;\n4. 提出方案:延误备注优先派件,送货师傅1小时内联系客户;丢失按保价金额或运费倍数赔付;破损补发或赔付;\n5. 跟进落实:告知处理进度,「有消息第一时间通知您」;\n6. 回访:解决后24小时内回访。', ['问题件', '流程', '延误', '丢失', '破损'], ['delayed', 'lost', 'damaged']],
  ['problem.delay', 'script', 'internal', '延误:备注优先派送', '{客户称呼},您的快件{运单号}延误了,非常抱歉。我已经帮您备注优先派件,送货师傅会在1小时内联系您。', ['延误', '优先派送', '催件'], ['delayed']],
  ['problem.delay', 'article', 'public', '快递延误了怎么办?', '快件超过预计送达时间仍未送达时,请联系客服并提供运单号。我们会查询物流轨迹、联系网点核实原因,并安排优先派送;送货师傅会在1小时内与您联系。\n遇到恶劣天气、节假日和大促时,时效可能延迟1–3天,敬请谅解。', ['延误', '催件', '没送到'], ['delayed']],
  ['problem.loss', 'script', 'internal', '丢件:核实保价与价值', '{客户称呼},非常抱歉给您带来损失。根据《快递服务》国家标准,我们会为您办理赔付。请问您的快件{运单号}价值是多少?寄件时有没有保价?', ['丢件', '保价', '赔付'], ['lost']],
  ['problem.loss', 'article', 'public', '快递丢了怎么赔?', '确认快件丢失后:\n- 已保价的快件按保价金额赔付(不超过实际价值);\n- 未保价的快件按运费的3–5倍赔付,具体以公司规定为准。\n请提供运单号、物品价值证明(如购物凭证),客服会为您提交理赔申请并跟进进度。', ['丢件', '丢失', '赔偿', '保价'], ['lost']],
  ['problem.damage', 'script', 'internal', '破损:核实照片', '{客户称呼},非常抱歉您的快件出现了破损。请问是在哪里发现破损的?麻烦您拍一下外包装和物品破损部位的照片发给我,我马上为您登记处理。', ['破损', '照片', '核实'], ['damaged']],
  ['problem.damage', 'script', 'internal', '破损:补发或赔付选择', '{客户称呼},我们可以为您补发快件,或者赔付您的损失,请问您选择哪种方式?', ['破损', '补发', '赔付'], ['damaged']],
  ['problem.damage', 'article', 'public', '收到的快递破损了怎么办?', '1. 尽量当面验收,发现破损可拒收或请送货师傅确认;\n2. 拍下外包装、面单和物品破损部位的照片;\n3. 联系客服提供运单号和照片,我们会核实后为您补发或赔付。', ['破损', '摔坏', '压坏', '验收'], ['damaged']],

  // 理赔
  ['claim', 'script', 'internal', '理赔受理:告知进度', '{客户称呼},您的赔付申请已提交,预计3个工作日内到账,我会跟进进度,有消息第一时间通知您。', ['理赔', '赔付', '进度'], ['lost', 'damaged']],
  ['claim', 'article', 'public', '理赔需要哪些材料、多久到账?', '申请理赔请准备:运单号、寄件人或收件人身份核实信息、物品价值证明(购物凭证、发票)、破损件的照片。\n客服提交申请后会核实处理,审核通过后一般3个工作日内到账。保价件按保价金额赔付,未保价件按运费的3–5倍赔付。', ['理赔', '材料', '到账'], ['lost', 'damaged']],
  ['claim', 'article', 'public', '什么是保价?要不要保价?', '保价是寄件时按物品声明价值支付少量保价费,发生丢失或破损时按声明价值赔付(不超过实际损失)。贵重物品建议保价;未保价的快件最高按运费的3–5倍赔付。', ['保价', '贵重物品', '赔付'], []],

  // 四、投诉 (seed 000 三(四))
  ['complaint', 'script', 'internal', '投诉:共情接纳', '我非常理解您的不满,换做是我也会很生气。请您慢慢说,我都记录下来。', ['投诉', '共情', '安抚'], []],
  ['complaint', 'script', 'internal', '投诉:复述确认要点', '您是说,送货师傅没有联系您就把快件放在了快递柜,导致您取件不方便,对吗?', ['投诉', '复述', '快递柜'], []],
  ['complaint', 'script', 'internal', '投诉:可立即处理', '我们会马上联系送货师傅,让他上门给您道歉,并把快件送到您手上。', ['投诉', '上门', '道歉'], []],
  ['complaint', 'script', 'internal', '投诉:需升级处理', '{客户称呼},您的问题我会反馈给上级部门,他们会在24小时内给您回复。', ['投诉', '升级', '24小时'], []],
  ['complaint', 'script', 'internal', '投诉:反馈处理结果', '{客户称呼},送货师傅已经上门给您道歉了,快件也送到了,请问您还有其他要求吗?', ['投诉', '结果反馈', '闭环'], []],
  ['complaint', 'article', 'internal', '客户投诉应对流程', '1. 共情接纳;2. 认真倾听并记录(时间、问题、客户诉求);3. 复述确认要点;4. 解决问题:能立即处理的马上处理,需升级的告知24小时内由上级部门回复;5. 处理完成后及时反馈结果;6. 总结改进:记录原因、分析根源、提出改进措施。投诉回复不超过48小时。', ['投诉', '流程', '48小时'], []],
  ['complaint', 'article', 'public', '如何投诉?多久给答复?', '您可以通过客服热线、在线客服或帮助中心提交投诉,请提供运单号和具体情况。我们会在24小时内联系您,48小时内给出处理结果。', ['投诉', '答复时间'], []],

  // 五、售后回访 (seed 000 三(五))
  ['followup', 'script', 'internal', '回访:开场与说明目的', '您好,我是{公司}快递客服,想占用您1分钟时间,了解一下您对我们的服务是否满意。', ['回访', '满意度'], ['delivered']],
  ['followup', 'script', 'internal', '回访:问题件解决后回访', '{客户称呼},您好,我是{公司}快递客服。请问您的快件{运单号}的问题已经解决了吗?对我们的处理结果满意吗?', ['回访', '问题件', '满意度'], ['delayed', 'lost', 'damaged']],
  ['followup', 'script', 'internal', '回访:感谢结束', '感谢您的配合,您的建议我们会认真考虑,祝您生活愉快!', ['回访', '结束语'], []],
  ['followup', 'article', 'internal', '售后回访规范', '1. 避开早8点前和晚9点后,选上午10–12点、下午2–5点;\n2. 自我介绍并确认对方身份;\n3. 说明目的,只占用1分钟;\n4. 询问时效、送货师傅态度、建议;\n5. 认真记录反馈;\n6. 感谢结束。问题件解决后24小时内回访。', ['回访', '时间', '流程'], []],

  // 特殊客户与特殊场景 (seed 000 四)
  ['special', 'article', 'internal', '老年客户服务要点', '语速放慢,用通俗易懂的话解释(如「您的快件明天会送到您家里,师傅会给您打电话」)。客户不会用APP下单时,主动协助填写寄件信息并联系师傅上门取件。', ['老年人', '特殊客户', '耐心'], []],
  ['special', 'article', 'internal', '孕妇客户服务要点', '快件标注「孕妇优先」,送货师傅主动送到家里;需要改时间时灵活调整(「您明天上午在家吗?我让师傅明天上午给您送过去」),不催促。', ['孕妇', '优先', '特殊客户'], []],
  ['special', 'article', 'internal', '残障客户服务要点', '聋哑客户用文字或手语沟通;视障客户详细描述快件信息(如「您的快件是一个长方形的盒子,重约2公斤」);提供上门取件、派件,不让客户到网点取件。', ['残障', '聋哑', '盲人', '无障碍'], []],
  ['special', 'script', 'internal', '节假日时效变化告知', '{客户称呼},节假日期间快件量较大,时效可能延迟1–3天,请您谅解,我们会尽快为您送达。', ['节假日', '大促', '延迟'], ['delayed']],
  ['special', 'script', 'internal', '恶劣天气提醒', '{客户称呼},今天有暴雨,您的快件已放在小区门口的快递柜,请注意及时查收,避免淋湿。', ['天气', '暴雨', '提醒'], []],
  ['special', 'article', 'public', '节假日和恶劣天气会影响快递吗?', '春节、双11等节假日和大促期间,以及暴雨、暴雪、高温天气,快件时效可能延迟1–3天。医疗用品、生鲜食品等紧急快件会优先派送。', ['节假日', '天气', '延迟', '生鲜'], ['delayed']],
];

/** Seeds the categories and the published articles; a title already seeded is left as it is. */
export async function seedKnowledgeBase(tx: Tx): Promise<void> {
  for (const [i, [code, parent, zh, en, ticketCategory]] of KB_CATEGORIES.entries()) {
    await tx.query(
      `INSERT INTO kb_categories (code, parent_id, name_zh, name_en, ticket_category_code, sort)
       VALUES ($1, (SELECT id FROM kb_categories WHERE code = $2), $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
      [code, parent, zh, en, ticketCategory, i],
    );
  }
  const rows = KB_SEEDS.map(([category, kind, audience, title, body, tags, appliesTo]) => ({ category, kind, audience, title, body, tags, appliesTo }));
  // One statement for all: the seeds not yet present, published as version 1, due for review in 180 days.
  await tx.query(
    `WITH s AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(category text, kind text, audience text, title text, body text, tags text[], "appliesTo" text[])
     ), ins AS (
       INSERT INTO kb_articles (kind, audience, category_id, status, title, body, tags, applies_to, version, published_version, published_at, review_due_at)
       SELECT s.kind, s.audience, (SELECT id FROM kb_categories WHERE code = s.category), 'published', s.title, s.body, s.tags, s."appliesTo", 1, 1, now(), now() + interval '180 days'
         FROM s WHERE NOT EXISTS (SELECT 1 FROM kb_articles a WHERE a.title = s.title AND a.created_by IS NULL)
       RETURNING id, title, body, tags
     )
     INSERT INTO kb_article_versions (article_id, version, title, body, tags, note) SELECT id, 1, title, body, tags, '随系统预置(服务手册)' FROM ins`,
    [JSON.stringify(rows.map((r) => ({ ...r, tags: r.tags, appliesTo: r.appliesTo })))],
  );
}
