/**
 * Browser tests need the web build: build it (npm run build, ~3 s) when dist/web is missing or
 * older than anything under web/ or the lock file; otherwise reuse it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  const outputs = ['dist/web/portal/index.html', 'dist/web/agent/index.html', 'dist/web/widget.js', 'dist/web/widget-demo.html'].map((f) => path.join(repo, f));
  if (!outputs.every((f) => fs.existsSync(f))) return 0;
  return Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
}

export function setup(): void {
  const sources = Math.max(newestMtime(path.join(repo, 'web')), fs.statSync(path.join(repo, 'package-lock.json')).mtimeMs);
  if (builtAt() > sources) return;
  const started = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repo, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status ?? r.signal}); the browser tests need dist/web`);
  console.log(`web build made for the tests in ${Date.now() - started} ms`);
}
