#!/usr/bin/env node
// node bin/run-ts.js <file.ts> [args…] — runs a TypeScript entry point through tsx's loader.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: run-ts <file.ts> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(file), ...args];
await import(pathToFileURL(path.resolve(file)).href);
