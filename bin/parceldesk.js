#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader: one package, no build step for the server.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
