/** Simulation target `topk`: random requests (sizes, k, distributions and edge cases) through the engine. */
import type { Config } from '../../../generator/config/schema';
import { deriveTopk } from '../../../generator/config/derive-topk';
import { topkModule } from '../../../generator/modules/topk';
import {
  type TopkBeat,
  type TopkRequest,
  type TopkShape,
  requestBeats,
  topk,
} from '../../golden/topk';
import { quickSelect } from '../../golden/quick-select';
import { type StreamBeat, packLanes } from '../vectors';
import { randomRequest } from './topk-requests';
import type { SimPlan, SimTarget } from './types';

export function topkShape(config: Config): TopkShape & { radixBits: number; lengthBits: number } {
  const { parallelism, capacity, valueBits, signed, outLanes, radixBits, lengthBits } = config.topk;
  return { parallelism, capacity, valueBits, signed, outLanes, radixBits, lengthBits };
}

/** The input beats of one request: values padded with zeros to whole beats, n and k on every beat. */
export function requestToStream(request: TopkRequest, shape: TopkShape): StreamBeat[] {
  const beats = requestBeats(request, shape.parallelism);
  return Array.from({ length: beats }, (_, beat) => {
    const lanes = Array.from({ length: shape.parallelism }, (_, lane) =>
      BigInt(request.values[beat * shape.parallelism + lane] ?? 0),
    );
    return {
      fields: {
        data: packLanes(lanes, shape.valueBits),
        n: BigInt(request.n),
        k: BigInt(request.k),
      },
      last: beat === beats - 1,
    };
  });
}

/** A beat of the packet; `passes` is the selection's element-pass count (quickSelect's). */
export function topkBeatToStream(
  beat: TopkBeat,
  shape: TopkShape,
  indexBits: number,
  passes: number,
): StreamBeat {
  const lane = (i: number) => beat.elements[i];
  const values = Array.from({ length: shape.outLanes }, (_, i) => BigInt(lane(i)?.value ?? 0));
  const indices = Array.from({ length: shape.outLanes }, (_, i) => BigInt(lane(i)?.index ?? 0));
  return {
    fields: {
      value: packLanes(values, shape.valueBits),
      index: packLanes(indices, indexBits),
      count: BigInt(beat.elements.length),
      error: beat.error ? 1n : 0n,
      passes: BigInt(passes),
    },
    last: beat.last,
  };
}

export function topkPlan(config: Config, requests: readonly TopkRequest[]): SimPlan {
  const shape = topkShape(config);
  const { indexBits } = deriveTopk(config);
  return {
    top: topkModule(config),
    inputs: { in: requests.flatMap((request) => requestToStream(request, shape)) },
    expected: {
      out: requests.flatMap((request) => {
        const { passes } = quickSelect(request, shape).result;
        return topk(request, shape).map((beat) => topkBeatToStream(beat, shape, indexBits, passes));
      }),
    },
  };
}

export const topkTarget: SimTarget = {
  description:
    'top-k engine: random requests (n, k, value distributions, n > capacity) against the contract',
  plan(resolved, rng, count) {
    const shape = topkShape(resolved.config);
    return topkPlan(
      resolved.config,
      Array.from({ length: count }, () => randomRequest(rng, shape)),
    );
  },
};
