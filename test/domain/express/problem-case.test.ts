import { describe, expect, it } from 'vitest';
import {
  CASE_STEPS,
  CAUSES,
  checkStep,
  followUpSentence,
  nextStep,
  PROBLEM_KINDS,
  SOLUTIONS,
  solutionSentence,
  sootheSentence,
  type CaseStep,
  type ProblemKind,
  type StepData,
} from '../../../src/domain/express/problem-case.ts';

/** Complete, valid data for each step of each kind. */
function good(kind: ProblemKind, step: CaseStep): StepData {
  switch (step) {
    case 'soothe':
      return { sentence: sootheSentence(kind) };
    case 'verify':
      return { waybillConfirmed: true, partiesConfirmed: true, ...(kind === 'damage' ? { photos: ['box.jpg'] } : {}) };
    case 'cause':
      return { cause: CAUSES[kind][0]!.code, findings: '轨迹显示在分拣中心停留两天' };
    case 'solution':
      return { solution: SOLUTIONS[kind][0]!, customerChose: true };
    case 'follow_up':
      return { told: followUpSentence(SOLUTIONS[kind][0]!) };
  }
}

describe('the seed 000 sentences', () => {
  it('soothe names the problem', () => {
    expect(sootheSentence('delay')).toBe('非常抱歉,您的快件出现了延误的情况,给您带来不便,我非常理解您的心情。');
    expect(sootheSentence('loss')).toContain('丢失');
    expect(sootheSentence('damage')).toContain('破损');
  });
  it('solution: priority delivery with the courier call-back time, loss asks value and insurance, damage offers both', () => {
    expect(solutionSentence('delay', 'priority_delivery')).toBe('我们会帮您备注优先派件,派件员会在1小时内联系您。');
    expect(solutionSentence('delay', 'priority_delivery', 30)).toBe('我们会帮您备注优先派件,派件员会在30分钟内联系您。');
    expect(solutionSentence('delay', 'priority_delivery', 120)).toContain('2小时内');
    expect(solutionSentence('loss', 'compensation')).toContain('有没有保价');
    expect(solutionSentence('damage', 'reshipment')).toContain('补发');
    expect(solutionSentence('damage', 'compensation')).toContain('赔付');
  });
  it('follow-up promises payment within the working days given', () => {
    expect(followUpSentence('compensation')).toBe('您的赔付申请已提交,预计3个工作日内到账,我会跟进进度,有消息第一时间通知您。');
    expect(followUpSentence('compensation', 5)).toContain('5个工作日');
    expect(followUpSentence('priority_delivery')).toContain('优先派件');
    expect(followUpSentence('reshipment')).toContain('补发');
  });
});

describe('steps go in order', () => {
  for (const kind of PROBLEM_KINDS) {
    it(`${kind}: the five steps, each accepted only when it is next`, () => {
      const done: CaseStep[] = [];
      for (const step of CASE_STEPS) {
        expect(nextStep(done)).toBe(step);
        for (const other of CASE_STEPS) {
          if (other === step) continue;
          const r = checkStep({ kind, done }, other, good(kind, other));
          expect(r.ok, `${other} while ${step} is next`).toBe(false);
        }
        expect(checkStep({ kind, done }, step, good(kind, step))).toEqual({ ok: true });
        done.push(step);
      }
      expect(nextStep(done)).toBeNull();
      expect(checkStep({ kind, done }, 'follow_up', good(kind, 'follow_up'))).toEqual({ ok: false, reason: 'all five steps of this case are already recorded' });
    });
  }
  it('a skipped step is named', () => {
    expect(checkStep({ kind: 'delay', done: ['soothe'] }, 'cause', good('delay', 'cause'))).toEqual({ ok: false, reason: 'step cause comes after verify; record 核实信息 (verify) first' });
    expect(checkStep({ kind: 'delay', done: ['soothe', 'verify'] }, 'verify', good('delay', 'verify'))).toEqual({ ok: false, reason: 'step verify is already recorded' });
  });
});

describe('what each step must contain', () => {
  const at = (kind: ProblemKind, step: CaseStep): { kind: ProblemKind; done: CaseStep[] } => ({ kind, done: CASE_STEPS.slice(0, CASE_STEPS.indexOf(step)) });
  const cases: [ProblemKind, CaseStep, StepData, string | null][] = [
    ['delay', 'soothe', {}, null],
    ['delay', 'verify', { waybillConfirmed: true }, 'partiesConfirmed'],
    ['delay', 'verify', { partiesConfirmed: true }, 'waybillConfirmed'],
    ['delay', 'verify', { waybillConfirmed: true, partiesConfirmed: true }, null],
    ['loss', 'verify', { waybillConfirmed: true, partiesConfirmed: true }, null],
    ['damage', 'verify', { waybillConfirmed: true, partiesConfirmed: true }, 'photos'],
    ['damage', 'verify', { waybillConfirmed: true, partiesConfirmed: true, photos: [] }, 'photos'],
    ['damage', 'verify', { waybillConfirmed: true, partiesConfirmed: true, photos: ['a.jpg'] }, null],
    ['delay', 'cause', { cause: 'weather', findings: '暴雨导致干线停运' }, null],
    ['delay', 'cause', { cause: 'packaging', findings: '暴雨导致干线停运' }, 'choose one of sorting_delay'],
    ['loss', 'cause', { cause: 'missed_scan', findings: '' }, 'write what you found'],
    ['loss', 'cause', { cause: 'missed_scan' }, '派件员未及时扫描'],
    ['damage', 'cause', { cause: 'packaging', findings: '外箱受压变形' }, null],
    ['delay', 'solution', { solution: 'priority_delivery' }, null],
    ['delay', 'solution', { solution: 'compensation' }, 'solved by priority_delivery'],
    ['loss', 'solution', { solution: 'compensation' }, null],
    ['loss', 'solution', { solution: 'reshipment' }, 'solved by compensation'],
    ['damage', 'solution', { solution: 'reshipment' }, 'customer chooses'],
    ['damage', 'solution', { solution: 'compensation', customerChose: true }, null],
    ['damage', 'solution', {}, 'reshipment or compensation'],
    ['loss', 'follow_up', { told: '' }, 'told'],
    ['loss', 'follow_up', { told: '赔付已提交,三个工作日内到账' }, null],
  ];
  for (const [kind, step, data, reasonPart] of cases) {
    it(`${kind} ${step} ${JSON.stringify(data)} → ${reasonPart ?? 'ok'}`, () => {
      const r = checkStep(at(kind, step), step, data);
      if (reasonPart === null) expect(r).toEqual({ ok: true });
      else {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.reason).toContain(reasonPart);
      }
    });
  }
  it('every kind has causes with unique codes and an "other"', () => {
    for (const kind of PROBLEM_KINDS) {
      const codes = CAUSES[kind].map((c) => c.code);
      expect(new Set(codes).size).toBe(codes.length);
      expect(codes).toContain('other');
    }
  });
});
