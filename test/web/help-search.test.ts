/** The help centre search's pure parts: highlights split into text and marks, and click retries. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/shared/api/client.ts';
import { highlightSegments, segmentsText, type Segment } from '../../web/shared/kb/highlight.ts';
import { isRetryable, withRetry } from '../../web/shared/kb/retry.ts';

const t = (text: string): Segment => ({ text, marked: false });
const m = (text: string): Segment => ({ text, marked: true });

describe('highlightSegments without the original (body excerpts)', () => {
  it.each<[string, Segment[]]>([
    ['', []],
    ['没有命中', [t('没有命中')]],
    ['【快件】丢失怎么办', [m('快件'), t('丢失怎么办')]],
    // Adjacent marks read as one.
    ['确认【快件】【丢失】后', [t('确认'), m('快件丢失'), t('后')]],
    ['…按【保价】金额赔付…', [t('…按'), m('保价'), t('金额赔付…')]],
    // A stray close or an unclosed open is text, not a mark.
    ['价格】以【公司', [t('价格】以【公司')]],
    ['【保价】金额】', [m('保价'), t('金额】')]],
    ['<b>【保价】</b>', [t('<b>'), m('保价'), t('</b>')]],
  ])('%j', (marked, expected) => {
    expect(highlightSegments(marked)).toEqual(expected);
  });

  it('keeps markup as text: nothing is parsed', () => {
    const segs = highlightSegments('<img src=x onerror=alert(1)>【丢失】');
    expect(segs).toEqual([t('<img src=x onerror=alert(1)>'), m('丢失')]);
  });
});

describe('highlightSegments aligned with the original (titles)', () => {
  it.each<[string, string, Segment[]]>([
    ['【快件丢失】怎么赔?', '快件丢失怎么赔?', [m('快件丢失'), t('怎么赔?')]],
    ['快递丢了怎么赔?', '快递丢了怎么赔?', [t('快递丢了怎么赔?')]],
    // Brackets that are part of the title stay text.
    ['【【重要】】通知', '【重要】通知', [t('【'), m('重要'), t('】通知')]],
    ['【重要】【通知】', '【重要】通知', [t('【重要】'), m('通知')]],
    ['【【快件】】', '【快件】', [t('【'), m('快件'), t('】')]],
    ['价格【说明】】', '价格说明】', [t('价格'), m('说明'), t('】')]],
    ['【保价】服务 Plus', '保价服务 Plus', [m('保价'), t('服务 Plus')]],
    ['寄【😀】表情', '寄😀表情', [t('寄'), m('😀'), t('表情')]],
  ])('%j of %j', (marked, original, expected) => {
    const segs = highlightSegments(marked, original);
    expect(segs).toEqual(expected);
    expect(segmentsText(segs)).toBe(original);
  });

  it('falls back to reading the markers when the original does not fit', () => {
    expect(highlightSegments('【快件】丢失', '完全不同的标题')).toEqual([m('快件'), t('丢失')]);
  });
});

describe('withRetry', () => {
  const noSleep = async (): Promise<void> => {};

  it('sends again after a network failure or a 5xx, the same request each time', async () => {
    const bodies: string[] = [];
    const body = JSON.stringify({ eventId: 'e-1' });
    let n = 0;
    const result = await withRetry(async () => {
      bodies.push(body);
      n++;
      if (n === 1) throw new ApiError(0, 'network', 'offline');
      if (n === 2) throw new ApiError(503, 'http_error', 'busy');
      return 'ok';
    }, { sleep: noSleep });
    expect(result).toBe('ok');
    expect(bodies).toEqual([body, body, body]);
  });

  it('does not resend a refused request (4xx) and gives up after the last delay', async () => {
    let n = 0;
    await expect(withRetry(async () => { n++; throw new ApiError(400, 'validation_failed', 'no'); }, { sleep: noSleep })).rejects.toMatchObject({ status: 400 });
    expect(n).toBe(1);
    n = 0;
    const waited: number[] = [];
    await expect(withRetry(async () => { n++; throw new ApiError(0, 'network', 'offline'); }, { delays: [10, 20], sleep: async (ms) => { waited.push(ms); } })).rejects.toMatchObject({ status: 0 });
    expect(n).toBe(3);
    expect(waited).toEqual([10, 20]);
  });

  it.each([[0, true], [408, true], [429, true], [500, true], [502, true], [400, false], [404, false], [409, false]])('status %i retryable: %s', (status, expected) => {
    expect(isRetryable(new ApiError(status, 'x', 'x'))).toBe(expected);
  });

  it('does not retry errors that are not from the API client', () => {
    expect(isRetryable(new TypeError('bug'))).toBe(false);
  });
});
