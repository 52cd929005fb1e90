/**
 * The one validated configuration object of the whole accelerator. Each section lives in
 * `sections/<concept>.ts`; this file only composes them. Unknown keys are errors at every level.
 */
import { z } from 'zod';
import { designSection, modelSection, resetSection } from './sections/core';
import { zeroEliminatorSection } from './sections/zero-eliminator';
import { datapathSection } from './sections/datapath';
import { topkSection } from './sections/topk';
import { softmaxSection } from './sections/softmax';
import { fetcherSection } from './sections/fetcher';
import { attentionCoreSection } from './sections/attention-core';
import { topSection } from './sections/top';
import { memorySection } from './sections/memory';
import { perfModelSection } from './sections/perf-model';
import { technologySection } from './sections/technology';

export const configSchema = z
  .object({
    design: designSection,
    reset: resetSection,
    model: modelSection,
    zeroEliminator: zeroEliminatorSection,
    datapath: datapathSection,
    topk: topkSection,
    softmax: softmaxSection,
    fetcher: fetcherSection,
    attentionCore: attentionCoreSection,
    top: topSection,
    memory: memorySection,
    perfModel: perfModelSection,
    technology: technologySection,
  })
  .strict()
  .describe('spatten-gen configuration.');

export type Config = z.infer<typeof configSchema>;
