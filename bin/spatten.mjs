#!/usr/bin/env node
// Entry point: runs the TypeScript CLI through tsx so no build step stands between a checkout and use.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../generator/cli.ts');
process.exitCode = await main(process.argv);
