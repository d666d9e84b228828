/**
 * Problem shipments (问题件: delay / loss / damage) worked through the five steps of seed 000
 * 三(三): soothe, verify, find the cause, solve, follow up. The steps go in order; each records
 * what the seed asks for, and the rules here say what a step must contain. Pure: no I/O, no clock.
 */

export const PROBLEM_KINDS = ['delay', 'loss', 'damage'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export const CASE_STEPS = ['soothe', 'verify', 'cause', 'solution', 'follow_up'] as const;
export type CaseStep = (typeof CASE_STEPS)[number];

const KIND_ZH: Record<ProblemKind, string> = { delay: '延误', loss: '丢失', damage: '破损' };

export const STEP_NAMES: Record<CaseStep, { zh: string; en: string }> = {
  soothe: { zh: '安抚情绪', en: 'Soothe' },
  verify: { zh: '核实信息', en: 'Verify' },
  cause: { zh: '查找原因', en: 'Find the cause' },
  solution: { zh: '提出解决方案', en: 'Solution' },
  follow_up: { zh: '跟进落实', en: 'Follow up' },
};

/** Seed 000 三(三)1, the sentence that opens every problem-shipment conversation. */
export function sootheSentence(kind: ProblemKind): string {
  return `非常抱歉,您的快件出现了${KIND_ZH[kind]}的情况,给您带来不便,我非常理解您的心情。`;
}

/** Where to look for the cause (seed 000 三(三)3), and the causes an agent picks from. */
export const CAUSES: Record<ProblemKind, { code: string; zh: string; en: string }[]> = {
  delay: [
    { code: 'sorting_delay', zh: '分拣延迟', en: 'Sorting delay' },
    { code: 'traffic', zh: '交通拥堵', en: 'Traffic congestion' },
    { code: 'weather', zh: '天气原因', en: 'Weather' },
    { code: 'outlet_backlog', zh: '网点积压', en: 'Outlet backlog' },
    { code: 'address_problem', zh: '地址不详或联系不上收件人', en: 'Address unclear or receiver unreachable' },
    { code: 'holiday_peak', zh: '节假日或大促高峰', en: 'Holiday or sales peak' },
    { code: 'other', zh: '其他', en: 'Other' },
  ],
  loss: [
    { code: 'lost_in_transit', zh: '中转环节丢失', en: 'Lost in transit' },
    { code: 'missed_scan', zh: '派件员未及时扫描', en: 'Courier did not scan' },
    { code: 'misdelivered', zh: '错派或冒领', en: 'Delivered to the wrong person' },
    { code: 'other', zh: '其他', en: 'Other' },
  ],
  damage: [
    { code: 'packaging', zh: '包装不当', en: 'Inadequate packaging' },
    { code: 'handling', zh: '运输或装卸造成内件破损', en: 'Damaged in handling' },
    { code: 'other', zh: '其他', en: 'Other' },
  ],
};

export const CAUSE_HINTS: Record<ProblemKind, string> = {
  delay: '查询快件轨迹,联系网点或派件员核实延误原因(如分拣延迟、交通拥堵)',
  loss: '确认快件是否在中转环节丢失,或派件员未及时扫描',
  damage: '核实快件包装是否完好,是否有内件破损照片',
};

export type Solution = 'priority_delivery' | 'compensation' | 'reshipment';

/** Seed 000 三(三)4: delay → priority delivery; loss → compensation; damage → the customer chooses. */
export const SOLUTIONS: Record<ProblemKind, readonly Solution[]> = {
  delay: ['priority_delivery'],
  loss: ['compensation'],
  damage: ['reshipment', 'compensation'],
};

/** What the agent tells the customer at the solution step (seed 000 三(三)4). */
export function solutionSentence(kind: ProblemKind, solution: Solution, callbackMinutes = 60): string {
  if (solution === 'priority_delivery') {
    const within = callbackMinutes % 60 === 0 ? `${callbackMinutes / 60}小时` : `${callbackMinutes}分钟`;
    return `我们会帮您备注优先派件,派件员会在${within}内联系您。`;
  }
  if (kind === 'loss') return '根据《快递服务国家标准》,我们会为您办理赔付,请问您的快件价值是多少?有没有保价?';
  if (solution === 'reshipment') return '我们会为您补发快件,请您留意新的运单号和送达时间。';
  return '我们会为您办理赔付,请您提供物品价值和破损照片,我们核实后尽快处理。';
}

/** Seed 000 三(三)5: what the customer hears when the case is followed up. */
export function followUpSentence(solution: Solution, paymentWorkingDays = 3): string {
  if (solution === 'compensation') return `您的赔付申请已提交,预计${paymentWorkingDays}个工作日内到账,我会跟进进度,有消息第一时间通知您。`;
  if (solution === 'reshipment') return '补发的快件已安排寄出,我会跟进进度,有消息第一时间通知您。';
  return '已为您备注优先派件,我会跟进派送进度,有消息第一时间通知您。';
}

export interface StepData {
  /** soothe: the sentence actually said (the standard one unless the agent adapted it). */
  sentence?: string;
  /** verify: the waybill was checked against the system, and the sender/receiver confirmed. */
  waybillConfirmed?: boolean;
  partiesConfirmed?: boolean;
  /** verify (damage): photos of the packaging and contents received — evidence ids or names. */
  photos?: string[];
  /** cause: one of CAUSES[kind], with what the trajectory or outlet showed. */
  cause?: string;
  findings?: string;
  /** solution: one of SOLUTIONS[kind]; for damage, the customer's own choice. */
  solution?: Solution;
  customerChose?: boolean;
  /** follow_up: what the customer was told about progress. */
  told?: string;
  note?: string;
}

export interface CaseState {
  kind: ProblemKind;
  /** Steps already recorded, in order. */
  done: readonly CaseStep[];
}

export type Check = { ok: true } | { ok: false; reason: string };

/** The step that comes next, or null once the case has been followed up. */
export function nextStep(done: readonly CaseStep[]): CaseStep | null {
  return CASE_STEPS[done.length] ?? null;
}

/** Whether `step` with `data` may be recorded now: in order, and containing what the seed asks. */
export function checkStep(c: CaseState, step: CaseStep, d: StepData): Check {
  const expected = nextStep(c.done);
  if (expected === null) return { ok: false, reason: 'all five steps of this case are already recorded' };
  if (c.done.includes(step)) return { ok: false, reason: `step ${step} is already recorded` };
  if (step !== expected) return { ok: false, reason: `step ${step} comes after ${expected}; record ${STEP_NAMES[expected].zh} (${expected}) first` };
  switch (step) {
    case 'soothe':
      return { ok: true };
    case 'verify':
      if (d.waybillConfirmed !== true) return { ok: false, reason: 'verify: confirm the waybill number against the system (waybillConfirmed: true)' };
      if (d.partiesConfirmed !== true) return { ok: false, reason: 'verify: confirm the sender and receiver (partiesConfirmed: true)' };
      if (c.kind === 'damage' && !(d.photos && d.photos.length > 0)) return { ok: false, reason: 'verify: a damaged parcel needs photos of the packaging and contents (photos)' };
      return { ok: true };
    case 'cause': {
      const known = CAUSES[c.kind].map((x) => x.code);
      if (!d.cause || !known.includes(d.cause)) return { ok: false, reason: `cause: choose one of ${known.join(', ')} for a ${c.kind} case` };
      if (!d.findings || d.findings.trim().length < 4) return { ok: false, reason: `cause: write what you found (${CAUSE_HINTS[c.kind]})` };
      return { ok: true };
    }
    case 'solution': {
      const allowed = SOLUTIONS[c.kind];
      if (!d.solution || !allowed.includes(d.solution)) return { ok: false, reason: `solution: a ${c.kind} case is solved by ${allowed.join(' or ')}` };
      if (allowed.length > 1 && d.customerChose !== true) return { ok: false, reason: 'solution: the customer chooses between re-shipment and compensation (customerChose: true)' };
      return { ok: true };
    }
    case 'follow_up':
      if (!d.told || d.told.trim().length < 4) return { ok: false, reason: 'follow_up: record what the customer was told about progress (told)' };
      return { ok: true };
  }
}
