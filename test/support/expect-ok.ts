import { expect } from 'vitest';

/** Awaits an API response, asserts its status (200 unless told), and answers its body. */
export async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}
