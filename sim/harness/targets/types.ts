/** What a simulation target provides: the DUT, random stimulus and the golden model's expected output. */
import type { ResolvedConfig } from '../../../generator/config/load';
import type { ModuleIR } from '../../../generator/dsl/ir';
import type { Rng } from '../random';
import type { TestbenchAttachment } from '../testbench';
import type { StreamBeat } from '../vectors';

export interface SimPlan {
  top: ModuleIR;
  params?: Record<string, number>;
  inputs: Record<string, StreamBeat[]>;
  /** Golden-model output per output stream. */
  expected: Record<string, StreamBeat[]>;
  constants?: Record<string, bigint>;
  extra?: TestbenchAttachment;
  maxCycles?: number;
}

export interface SimTarget {
  description: string;
  /** `count` random transactions (packets, requests...) of the target's kind. */
  plan(resolved: ResolvedConfig, rng: Rng, count: number): SimPlan;
}
