/**
 * A year of tickets generated inside the database (INSERT … SELECT FROM generate_series), for
 * measuring lists and search at scale. The spread imitates a service centre: 50 agents in 5 teams,
 * most old tickets closed, a backlog of recent open and pending ones, some of them past their SLA.
 *
 * Numbers stay unique and valid: ticket n belongs to day (n mod 365) counting back from two days
 * before today (Asia/Shanghai), with daily sequence n div 365 + 1 — so they never meet the numbers
 * the live daily sequence hands out today (or tomorrow, if the run crosses midnight).
 */
import type pg from 'pg';

export const BENCH_AGENTS = 50;
export const BENCH_TEAMS = 5;
const CUSTOMERS = 20_000;

/** [type, subject] — what the centre hears every day. */
export const SUBJECTS: [string, string][] = [
  ['tracking', '快件三天没有物流更新'],
  ['tracking', '查询快件到哪里了'],
  ['tracking', '显示已签收但本人未收到'],
  ['tracking', '物流信息停在中转站'],
  ['tracking', '派件员电话打不通'],
  ['tracking', '快件一直显示运输中'],
  ['consultation', '寄往北京的资费是多少'],
  ['consultation', '生鲜冷链可以寄吗'],
  ['consultation', '国际件需要哪些报关材料'],
  ['consultation', '周末可以上门取件吗'],
  ['consultation', '保价费用怎么计算'],
  ['order', '预约明天上午上门取件'],
  ['order', '修改取件地址'],
  ['problem_shipment', '快件外包装破损'],
  ['problem_shipment', '快件丢失要求赔偿'],
  ['problem_shipment', '派送延误超过承诺时效'],
  ['problem_shipment', '收到的物品与寄件不符'],
  ['problem_shipment', '快件被退回原因不明'],
  ['complaint', '快递员服务态度差'],
  ['complaint', '未经同意投递驿站'],
  ['complaint', '未送货上门直接放快递柜'],
  ['complaint', '快递员虚假签收'],
  ['appeal', '12305 申诉:赔偿金额不合理'],
  ['after_sales', '电商退货上门取件'],
  ['after_sales', '退换货运费谁承担'],
  ['after_sales', '产品售后寄修'],
  ['suggestion', '建议增加晚间派送时段'],
  ['suggestion', '希望小程序能修改收件人'],
  ['privacy_request', '要求删除个人信息'],
  ['privacy_request', '查询面单信息被泄露'],
];

export const CITIES = ['深圳', '广州', '东莞', '佛山', '上海', '北京', '杭州', '成都', '武汉', '西安', '南京', '重庆', '长沙', '郑州', '厦门', '青岛', '苏州', '天津', '昆明', '沈阳'];
const SUFFIXES = ['', '', '', '', '(第二次来电)', '(客户很着急)', '(催件)', '(已报备)'];
const TAGS = ['重复来电', '媒体关注', '电商客户', '大客户', '夜间来电', '赔付', '12305'];

const lit = (xs: string[]): string => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

/** Teams, agents (with team membership) and customers the generated tickets refer to. Idempotent. */
export async function seedBenchPeople(pool: pg.Pool): Promise<{ agentIds: string[]; teamIds: string[] }> {
  await pool.query(
    `INSERT INTO teams (code, name) SELECT 'bench-team-' || i, (ARRAY['华南一组', '华东一组', '华北一组', '问题件专组', '投诉专组'])[i] FROM generate_series(1, ${BENCH_TEAMS}) i
     ON CONFLICT (code) DO NOTHING`,
  );
  await pool.query(
    `INSERT INTO users (username, display_name, role, skills, channels)
     SELECT 'bench.agent' || lpad(i::text, 2, '0'), '坐席' || lpad(i::text, 2, '0'), 'agent', '{}', '{}' FROM generate_series(1, ${BENCH_AGENTS}) i
     ON CONFLICT DO NOTHING`,
  );
  await pool.query(
    `INSERT INTO team_members (team_id, user_id)
     SELECT t.id, u.id FROM users u JOIN teams t ON t.code = 'bench-team-' || ((substr(u.username, 12)::int - 1) % ${BENCH_TEAMS} + 1)
      WHERE u.username LIKE 'bench.agent%' ON CONFLICT DO NOTHING`,
  );
  const have = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers WHERE special_groups = '{bench}'`)).rows[0]!.n;
  if (have === 0) {
    await pool.query(`INSERT INTO customers (tier, special_groups) SELECT CASE WHEN i % 50 = 0 THEN 'vip' ELSE 'standard' END, '{bench}' FROM generate_series(1, ${CUSTOMERS}) i`);
  }
  const agents = await pool.query<{ id: string }>(`SELECT id FROM users WHERE username LIKE 'bench.agent%' ORDER BY username`);
  const teams = await pool.query<{ id: string }>(`SELECT id FROM teams WHERE code LIKE 'bench-team-%' ORDER BY code`);
  return { agentIds: agents.rows.map((r) => r.id), teamIds: teams.rows.map((r) => r.id) };
}

/** Inserts tickets n ∈ [from, to). Call with consecutive ranges; returns rows inserted. */
export async function insertBenchTickets(pool: pg.Pool, from: number, to: number): Promise<number> {
  const types = lit(SUBJECTS.map(([t]) => t));
  const subjects = lit(SUBJECTS.map(([, s]) => s));
  const r = await pool.query(
    `WITH people AS (
       SELECT array_agg(u.id ORDER BY u.username) AS agents, array_agg(m.team_id ORDER BY u.username) AS agent_teams
         FROM users u JOIN team_members m ON m.user_id = u.id WHERE u.username LIKE 'bench.agent%'),
     teams AS (SELECT array_agg(id ORDER BY code) AS ids FROM teams WHERE code LIKE 'bench-team-%'),
     custs AS (SELECT array_agg(id) AS ids FROM customers WHERE special_groups = '{bench}'),
     today AS (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS d),
     g AS (
       SELECT n, x.*,
              ((SELECT d FROM today) - 2 - x.dayago) AS day,
              (((SELECT d FROM today) - 2 - x.dayago)::timestamp
                 + make_interval(secs => CASE WHEN x.r1 < 0.9 THEN 28800 + x.r1 / 0.9 * 50400 ELSE (x.r1 - 0.9) / 0.1 * 86399 END)) AT TIME ZONE 'Asia/Shanghai' AS created_at,
              1 + floor(x.r6 * ${SUBJECTS.length})::int AS k,
              1 + floor(x.r3 * ${BENCH_AGENTS})::int AS agent
         FROM generate_series($1::int, $2::int - 1) n
        CROSS JOIN LATERAL (SELECT n % 365 AS dayago, n / 365 + 1 AS seq,
                                   random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
                                   random() AS r6, random() AS r7, random() AS r8, random() AS r9) x),
     s AS (
       SELECT g.*,
              CASE
                WHEN dayago < 3 THEN CASE WHEN r2 < 0.10 THEN 'new' WHEN r2 < 0.45 THEN 'open' WHEN r2 < 0.65 THEN 'pending' WHEN r2 < 0.85 THEN 'resolved' ELSE 'closed' END
                WHEN dayago < 14 THEN CASE WHEN r2 < 0.08 THEN 'open' WHEN r2 < 0.15 THEN 'pending' WHEN r2 < 0.40 THEN 'resolved' ELSE 'closed' END
                ELSE CASE WHEN r2 < 0.005 THEN 'open' WHEN r2 < 0.01 THEN 'pending' WHEN r2 < 0.04 THEN 'resolved' ELSE 'closed' END
              END AS status
         FROM g)
     INSERT INTO tickets (number, type, channel, priority, status, waiting_on, subject, description, customer_id, team_id, owner_id, created_by,
                          tags, waybills, first_responded_at, resolved_at, closed_at, sla_state, sla_due_at, created_at, updated_at)
     SELECT 'GD' || to_char(s.day, 'YYYYMMDD') || lpad(s.seq::text, 6, '0'),
            (${types})[s.k],
            CASE WHEN r5 < 0.40 THEN 'phone' WHEN r5 < 0.70 THEN 'chat' WHEN r5 < 0.80 THEN 'web' WHEN r5 < 0.90 THEN 'api' WHEN r5 < 0.95 THEN 'email' ELSE 'walk_in' END,
            CASE WHEN r4 < 0.10 THEN 'low' WHEN r4 < 0.80 THEN 'normal' WHEN r4 < 0.95 THEN 'high' ELSE 'urgent' END,
            s.status,
            CASE WHEN s.status = 'pending' THEN CASE WHEN r7 < 0.7 THEN 'customer' ELSE 'department' END END,
            (${subjects})[s.k] || (${lit(CITIES)})[1 + floor(r7 * ${CITIES.length})::int] || (${lit(SUFFIXES)})[1 + floor(r8 * ${SUFFIXES.length})::int],
            '客户来电反映:' || (${subjects})[s.k] || '。已记录,待跟进。',
            CASE WHEN r9 < 0.85 THEN (SELECT ids FROM custs)[1 + floor(r9 / 0.85 * ${CUSTOMERS})::int] END,
            CASE WHEN s.status = 'new' THEN CASE WHEN r3 < 0.5 THEN (SELECT ids FROM teams)[1 + floor(r3 * 2 * ${BENCH_TEAMS})::int] END
                 ELSE (SELECT agent_teams FROM people)[s.agent] END,
            CASE WHEN s.status <> 'new' THEN (SELECT agents FROM people)[s.agent] END,
            CASE WHEN r5 >= 0.80 AND r5 < 0.90 THEN NULL ELSE (SELECT agents FROM people)[1 + floor(r1 * ${BENCH_AGENTS})::int] END,
            CASE WHEN r8 < 0.15 THEN ARRAY[(${lit(TAGS)})[1 + floor(r8 / 0.15 * ${TAGS.length})::int]] ELSE '{}' END,
            CASE WHEN (${types})[s.k] IN ('consultation', 'suggestion', 'privacy_request') AND r9 > 0.2 THEN '{}'::text[]
                 WHEN r7 < 0.1 THEN ARRAY['SD' || lpad(((n::bigint * 48271) % 2147483647)::text, 13, '0'), 'SD' || lpad(((n::bigint * 16807) % 2147483647)::text, 13, '9')]
                 ELSE ARRAY['SD' || lpad(((n::bigint * 48271) % 2147483647)::text, 13, '0')] END,
            CASE WHEN s.status <> 'new' THEN s.created_at + make_interval(mins => 1 + floor(r1 * 240)::int) END,
            CASE WHEN s.status IN ('resolved', 'closed') THEN s.created_at + make_interval(hours => 1 + floor(r2 * 70)::int) END,
            CASE WHEN s.status = 'closed' THEN s.created_at + make_interval(hours => 2 + floor(r2 * 100)::int) END,
            CASE WHEN s.status IN ('resolved', 'closed') THEN CASE WHEN r4 < 0.93 THEN 'met' ELSE 'none' END
                 WHEN s.status = 'pending' THEN 'paused'
                 WHEN r8 < 0.60 THEN 'running' WHEN r8 < 0.75 THEN 'warning' ELSE 'breached' END,
            CASE WHEN s.status IN ('new', 'open') THEN s.created_at + interval '3 days' END,
            s.created_at,
            s.created_at + make_interval(hours => floor(r2 * 100)::int)
       FROM s`,
    [from, to],
  );
  return r.rowCount ?? 0;
}

/** Realistic query parameters drawn from the generated data. */
export interface SearchSamples {
  numbers: string[];
  waybills: string[];
  agentIds: string[];
  teamIds: string[];
  /** Common substrings (one subject phrase, ~1/30 of tickets) and rare ones (phrase + city, ~1/600). */
  commonText: string[];
  rareText: string[];
  /** Text no ticket contains (a typo, a phrase nobody used): the search must still answer fast. */
  noMatchText: string[];
  twoCharWords: string[];
  twoCharNoMatch: string[];
}

export async function searchSamples(pool: pg.Pool, people: { agentIds: string[]; teamIds: string[] }, count = 200): Promise<SearchSamples> {
  // Evenly spaced rows over the whole year, not just the newest.
  const { rows } = await pool.query<{ number: string; waybill: string | null }>(
    `SELECT number, waybills[1] AS waybill FROM tickets WHERE number LIKE 'GD%' AND cardinality(waybills) > 0
      ORDER BY md5(number) LIMIT $1`,
    [count],
  );
  return {
    numbers: rows.map((r) => r.number),
    waybills: rows.map((r) => r.waybill!).filter(Boolean),
    agentIds: people.agentIds,
    teamIds: people.teamIds,
    commonText: ['外包装破损', '没有物流更新', '投递驿站', '上门取件', '要求赔偿', '虚假签收'],
    rareText: ['破损深圳', '虚假签收杭州', '驿站成都', '不合理西安', '承诺时效厦门', '物流更新苏州'],
    noMatchText: ['冰箱门把手', '无人机配件丢失', '宠物托运咨询', '钢琴搬运报价'],
    twoCharWords: ['破损', '丢失', '延误', '驿站', '赔偿', '签收'],
    twoCharNoMatch: ['钢琴', '冰箱', '宠物', '轮胎'],
  };
}
