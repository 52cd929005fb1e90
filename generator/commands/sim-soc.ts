/**
 * `spatten sim soc`: decode steps through the integration shell, registers and memory only. The
 * host is the generated C driver on Verilator (`--host c`, the default there) or the Verilog
 * AXI4-Lite testbench (`--host verilog`, the default on Icarus); every result the shell wrote is
 * checked against the golden model, every AXI port against the protocol rules.
 */
import { type TopDescriptor, runTop } from '../../sim/golden/top';
import { Rng } from '../../sim/harness/random';
import type { Simulator } from '../../sim/harness/run';
import { SOC_HOSTS, type SocHost, runBatch } from '../../sim/harness/soc-batch';
import { headInDram } from '../../sim/harness/targets/fetcher';
import { randomSchedule, stepDescriptors } from '../../sim/harness/targets/top';
import type { ResolvedConfig } from '../config/load';
import { CheckFailure, InputError, showValue } from '../errors';

export interface SocSimRequest {
  resolved: ResolvedConfig;
  simulator: Simulator;
  host: string | undefined;
  seed: number;
  steps: number;
  stall: number;
  json: boolean;
  /** A VCD file to write (Verilog host only), checked by the caller. */
  waves: string | undefined;
}

function hostFor(simulator: Simulator, flag: string | undefined): SocHost {
  const host = flag ?? (simulator === 'verilator' ? 'c' : 'verilog');
  if (!(SOC_HOSTS as readonly string[]).includes(host))
    throw new InputError(
      `--host ${showValue(host)}: unknown host (allowed: ${SOC_HOSTS.join(', ')})`,
    );
  if (host === 'c' && simulator !== 'verilator')
    throw new InputError(
      `--host c: the C driver runs on Verilator only (got --simulator ${simulator})`,
    );
  return host as SocHost;
}

export async function simSoc(request: SocSimRequest): Promise<void> {
  const { resolved, simulator, seed, steps, stall } = request;
  const config = resolved.config;
  const host = hostFor(simulator, request.host);
  if (request.waves && host === 'c')
    throw new InputError('--waves: the C host writes none (allowed with --host verilog)');
  const rng = new Rng(seed);
  const head = headInDram(config, rng);
  const descriptors: TopDescriptor[] = [];
  for (let s = 0; s < steps; s += 1)
    descriptors.push(
      ...stepDescriptors(config, rng, head, randomSchedule(config, rng), descriptors.length),
    );
  const golden = runTop(config, head.image, descriptors).results;
  // The C driver refills small rings; the Verilog host needs the batch to fit.
  const descSize = host === 'c' ? rng.int(2, 8) : descriptors.length + 1;
  const resSize = host === 'c' ? rng.int(2, 8) : descriptors.length + 2;
  process.stderr.write(
    `sim soc: preset ${resolved.preset}, ${simulator}, host ${host}, seed ${seed}, ` +
      `${steps} decode step(s) of ${descriptors.length} descriptors, rings of ${descSize} and ` +
      `${resSize} entries, stall ${stall}\n`,
  );
  const outcome = await runBatch(resolved, head, descriptors, golden, {
    host,
    simulator,
    descSize,
    resSize,
    stall: Math.round(stall * 1000),
    seed,
    rng,
    ...(request.waves ? { waves: request.waves } : {}),
  });
  const { failures } = outcome;
  for (const line of outcome.report) process.stderr.write(`${line}\n`);
  if (request.json) {
    const summary = {
      unit: 'soc',
      preset: resolved.preset,
      simulator,
      host,
      seed,
      descriptors: descriptors.length,
      cycles: outcome.cycles,
      problems: failures.length,
      pass: failures.length === 0,
      failures,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  }
  const verdict = failures.length === 0 ? 'PASS' : 'FAIL';
  process.stderr.write(
    `${verdict} soc ${simulator} seed=${seed}: ${descriptors.length} results in ` +
      `${outcome.cycles} cycles, ${failures.length} problem(s)\n`,
  );
  if (failures.length > 0) {
    process.stderr.write(`${failures.slice(0, 20).join('\n')}\n`);
    throw new CheckFailure(
      `soc on ${simulator}: ${failures.length} problem(s); reproduce with --seed ${seed}`,
    );
  }
}
