/**
 * Ticket intake under load: autocannon POSTs realistic tickets (tracking queries, consultations,
 * problem shipments from phone, chat, web and API intake) with an API key, N connections at once.
 */
import { createRequire } from 'node:module';
import { percentiles, type Percentiles } from './stats.ts';

interface AcRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AcRequest, context: Record<string, unknown>) => AcRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
}

interface AcOptions {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  method?: string;
  headers?: Record<string, string>;
  requests?: AcRequest[];
}

interface AcResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p97_5: number; p99: number; average: number; max: number };
  requests: { average: number; total: number; sent: number };
}

interface AcInstance extends PromiseLike<AcResult> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}

const autocannon = createRequire(import.meta.url)('autocannon') as (opts: AcOptions) => AcInstance;

// What customers actually write in: subjects by ticket type, in the words agents type them.
const BODIES: { type: string; subjects: string[]; descriptions: string[] }[] = [
  {
    type: 'tracking',
    subjects: ['快件三天没有物流更新', '查询快件到哪里了', '显示已签收但本人未收到', '物流信息停在中转站', '派件员电话打不通', '快件一直显示运输中'],
    descriptions: ['客户来电查询快件位置,要求尽快派送。', '客户称物流信息两天未更新,请核实中转情况。', '客户表示未收到快件,但系统显示已签收。'],
  },
  {
    type: 'consultation',
    subjects: ['寄往北京的资费是多少', '生鲜可以寄吗', '国际件需要哪些材料', '周末可以上门取件吗', '保价费用怎么计算', '寄大件家具怎么收费'],
    descriptions: ['客户咨询寄件价格与时效。', '客户咨询禁寄物品范围。', '客户咨询上门取件时间。'],
  },
  {
    type: 'problem_shipment',
    subjects: ['快件外包装破损', '快件丢失要求赔偿', '派送延误超过承诺时效', '快件被放驿站未经同意', '收到的物品与寄件不符', '快件疑似被调包'],
    descriptions: ['客户反映外包装破损,内物待核实,已拍照留证。', '客户要求核实快件下落并按保价赔偿。', '客户投诉未经同意放入快递柜,要求送货上门。'],
  },
];
const CHANNELS = ['phone', 'phone', 'phone', 'chat', 'chat', 'web', 'api', 'email'] as const;
const CITIES = ['深圳', '广州', '上海', '北京', '杭州', '成都', '武汉', '西安', '南京', '重庆'];

function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(Math.random() * xs.length)]!;
}

let waybillCounter = Math.floor(Math.random() * 1e9);

export function randomTicketBody(): Record<string, unknown> {
  const kind = pick(BODIES);
  const body: Record<string, unknown> = {
    type: kind.type,
    channel: pick(CHANNELS),
    subject: `${pick(kind.subjects)}(${pick(CITIES)})`,
    description: pick(kind.descriptions),
  };
  if (kind.type !== 'consultation' || Math.random() < 0.2) {
    waybillCounter += 1;
    const waybills = [`SD${String(7_000_000_000_000 + waybillCounter).slice(-13)}`];
    if (Math.random() < 0.1) waybills.push(`SD${String(7_500_000_000_000 + waybillCounter).slice(-13)}`);
    body.waybills = waybills;
  }
  if (Math.random() < 0.15) body.tags = [pick(['重复来电', '催件', '电商客户', '夜间来电'])];
  return body;
}

export interface CreateLoadResult {
  connections: number;
  seconds: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  sampleErrors: string[];
  requestsPerSecond: number;
  /** autocannon's own histogram (1 ms resolution). */
  autocannon: { p50: number; p97_5: number; p99: number; max: number };
  /** Every response's latency, measured by autocannon with hrtime, in ms. */
  latency: Percentiles;
}

export async function runCreateLoad(baseUrl: string, apiKey: string, opts: { connections: number; seconds: number }): Promise<CreateLoadResult> {
  const sampleErrors: string[] = [];
  const latencies: number[] = [];
  const instance = autocannon({
    url: baseUrl,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/tickets',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(randomTicketBody()) }),
        onResponse: (status, body) => {
          if ((status < 200 || status > 299) && sampleErrors.length < 5) sampleErrors.push(`${status} ${body.slice(0, 300)}`);
        },
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, ms) => {
    latencies.push(ms);
  });
  const r = await instance;
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats)) statusCodes[code] = s.count;
  const requests = latencies.length;
  return {
    connections: opts.connections,
    seconds: r.duration,
    requests,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    sampleErrors,
    requestsPerSecond: Math.round((r['2xx'] / r.duration) * 10) / 10,
    autocannon: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
    latency: percentiles(latencies),
  };
}

export interface GetLoadResult {
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  latency: Percentiles;
}

/** A plain GET load, for comparison with ticket creation. */
export async function runGetLoad(baseUrl: string, path: string, apiKey: string | null, opts: { connections: number; seconds: number }): Promise<GetLoadResult> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: `${baseUrl}${path}`,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 30,
    ...(apiKey ? { headers: { authorization: `Bearer ${apiKey}` } } : {}),
  });
  instance.on('response', (_client, _status, _bytes, ms) => {
    latencies.push(ms);
  });
  const r = await instance;
  return { requestsPerSecond: Math.round((r['2xx'] / r.duration) * 10) / 10, non2xx: r.non2xx, errors: r.errors, latency: percentiles(latencies) };
}
