/**
 * The language guard (issue 5, Q1): time per `checkReply` over the labelled set and the
 * development batch (402 agents' replies), as the agent types. Pure, no database. Three ways the
 * rules reach the check: compiled once (first check of a configuration: expanding classes and
 * compiling every pattern), the same configuration object again (the compiled rules are cached
 * by identity), and a fresh copy per check — what reading the `guard.rules` setting per check
 * hands over (cached by content: one JSON serialisation per check). BENCH_GUARD_ROUNDS (50)
 * rounds after a warm-up. Target: p99 well under 1 ms per typical reply.
 * `npm run bench -- guard` runs only this.
 */
import { performance } from 'node:perf_hooks';
import { checkReply, DEFAULT_GUARD_CONFIG, type GuardConfig } from '../src/domain/language-guard.ts';
import { REPLIES as DEV } from '../test/domain/language-guard-dev-set.ts';
import { LABELLED_REPLIES } from '../test/domain/language-guard-set.ts';
import { loadAvg } from './processes.ts';

const ROUNDS = Number(process.env.BENCH_GUARD_ROUNDS ?? 50);
const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
function summary(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `mean ${us(mean)}, p50 ${us(at(0.5))}, p95 ${us(at(0.95))}, p99 ${us(at(0.99))}, max ${us(s[s.length - 1]!)}`;
}

export async function guardMain(): Promise<void> {
  const replies = [...LABELLED_REPLIES, ...DEV];
  const chars = replies.reduce((n, r) => n + r.text.length, 0);
  console.log(`language guard: ${replies.length} replies (mean ${(chars / replies.length).toFixed(0)} characters), ${DEFAULT_GUARD_CONFIG.rules.length} rules, ${ROUNDS} rounds; load ${loadAvg()}`);

  const fresh = (): GuardConfig => JSON.parse(JSON.stringify(DEFAULT_GUARD_CONFIG)) as GuardConfig;
  const t0 = performance.now();
  checkReply(replies[0]!.text, 'chat', fresh());
  console.log(`  first check of a new configuration (compiling): ${(performance.now() - t0).toFixed(2)} ms`);

  for (const [name, config] of [['same configuration object', () => DEFAULT_GUARD_CONFIG], ['fresh copy per check (as read from the setting)', fresh]] as const) {
    for (const r of replies) checkReply(r.text, r.channel, config());
    const samples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const r of replies) {
        const c = config();
        const s = performance.now();
        checkReply(r.text, r.channel, c);
        samples.push(performance.now() - s);
      }
    }
    console.log(`  ${name}: ${summary(samples)}`);
  }
  const long = replies.map((r) => r.text).join('');
  const s = performance.now();
  for (let i = 0; i < 20; i++) checkReply(long, 'chat', DEFAULT_GUARD_CONFIG);
  console.log(`  one ${long.length}-character text (all replies joined): ${((performance.now() - s) / 20).toFixed(2)} ms`);
}
