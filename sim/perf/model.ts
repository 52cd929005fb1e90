/**
 * Transaction-level timing model of the accelerator replaying attention requests. It is the
 * architectural contract the attention core and `spatten_top` are built to, and the
 * fast engine of `spatten replay --mode model`; the RTL engine checks it.
 *
 * One request (one query of one head) is a chain of tasks, each on its own unit:
 *   keys      K MSB rows stream from DRAM through the Q×K array (softmax pass 1, the running max, rides along)
 *   softmax   exp/sum pass and normalize pass over the row held on chip: 2 × ceil(n / lanes)
 *   [keys-lsb, softmax-lsb]  the same again for the LSB plane when progressive quantization refetches;
 *             the first softmax then ends at its decision, the first probability beat: ceil(n / lanes)
 *             + softmaxLatency (the rest of that pass is dropped while the LSB rows arrive)
 *   topk      local value top-k over the n probabilities: ceil(n / P) + fixed overhead
 *   values    the k kept V rows stream from DRAM through the prob×V array
 * Tasks are served first come, first served on each unit (ties: the older request), so request
 * r+1's key fetch overlaps request r's softmax, top-k and value phase (not its LSB refetch: the
 * key side takes the next request after the final key pass). DRAM serves one fetch at a time at
 * its peak rate and at most one row per cycle (the core's one fetch stream); a fetch task ends when both its bytes have arrived and its array has consumed
 * them, the DRAM latency after it was issued. At most `maxInFlight` requests are between their
 * first and last task (the FIFO depth in request IDs). The attention core holds four requests (two
 * key-side contexts, the pending slot, the value side): a request's first key fetch waits until
 * the previous request's final key pass has left DRAM plus `keyPipelineOverhead` (the context
 * hand-off and the fetch path), the softmax of the request two before has ended (its context is
 * free) and the request four before has finished. When the array is slower than DRAM the fetcher's
 * buffers hold the reads back, so the last key row leaves DRAM one latency before the array takes
 * it, not at the DRAM's own pace.
 * With `layerBarrier`, a layer's first request starts only after the previous layer's last request
 * and the token top-k and kept-list compaction at the boundary (the cascade dependency, as
 * spatten_top runs it); without it requests are independent, as in the SpAtten release's figures.
 */

export interface PerfParams {
  headDim: number;
  /** DRAM peak bytes per cycle. */
  peakBytesPerCycle: number;
  /** Bytes of one fetcher data beat: every row starts on a beat, so a row costs whole beats. */
  busBytes: number;
  /** Cycles from a fetch's start to its first data. */
  dramLatency: number;
  /** Multipliers of each array (Q×K and prob×V) as the core builds them: what the timing uses. */
  multipliers: number;
  /**
   * Multipliers of each array the configured machine declares (datapath.multipliers): the lower
   * bound's compute side, so a core that uses fewer than it declares shows as far from its bound.
   */
  boundMultipliers: number;
  softmaxLanes: number;
  /** Cycles from the softmax's last exponential beat to its first probability beat (the division and pipeline). */
  softmaxLatency: number;
  topkParallelism: number;
  /** Fixed cycles of a top-k besides streaming its input once. */
  topkOverhead: number;
  /** Cycles from the end of a request's final key transfer to the next request's first key fetch (context hand-off, fetch path). */
  keyPipelineOverhead: number;
  maxInFlight: number;
  /** Bits of keys and values the trace marks as full precision (-1). */
  fullPrecisionBits: number;
  /** Cycles the prob×V array spends between requests besides their rows (its fabric accumulator's clear). */
  pvRequestOverhead: number;
}

/** One request of the workload, in hardware terms. */
export interface RequestWork {
  layer: number;
  keys: number;
  keyMsbBits: number;
  /** LSB bits refetched by progressive quantization; 0 when it did not fire. */
  keyLsbBits: number;
  values: number;
  valueBits: number;
  /** Tokens kept by the token top-k after this request's layer, if one runs there. */
  tokenTopk: number | null;
}

export type Unit = 'dram' | 'qk' | 'softmax' | 'topk' | 'pv';

export interface PerfResult {
  cycles: number;
  lowerBoundCycles: number;
  dramBytes: { keyMsb: number; keyLsb: number; value: number; total: number };
  /** Busy cycles per unit. */
  busy: Record<Unit, number>;
  /** Finish cycle of every request. */
  finish: number[];
  perLayer: { layer: number; requests: number; keys: number; bytes: number; cycles: number }[];
}

/**
 * Bytes the fetcher reads for `rows` rows of D elements of `bits` bits: each row starts on a beat
 * (the fetcher's memory layout), so it costs whole beats; the padding is read like the data.
 */
export function rowBytes(rows: number, p: Pick<PerfParams, 'headDim' | 'busBytes'>, bits: number) {
  return rows * Math.ceil((p.headDim * bits) / (8 * p.busBytes)) * p.busBytes;
}

interface Task {
  unit: Exclude<Unit, 'dram'>;
  cycles: number;
  /** Bytes fetched from DRAM while the unit consumes them (0: pure compute). */
  bytes: number;
  /** Rows those bytes are: the core issues one row fetch per cycle, keys and values alike. */
  rows?: number;
  plane?: 'keyMsb' | 'keyLsb' | 'value';
}

/** DRAM bytes of one request per plane: its keys' MSB rows, their LSB rows on a refetch, values. */
export function requestBytes(
  r: RequestWork,
  p: Pick<PerfParams, 'headDim' | 'busBytes'>,
): { keyMsb: number; keyLsb: number; value: number } {
  return {
    keyMsb: rowBytes(r.keys, p, r.keyMsbBits),
    keyLsb: r.keyLsbBits > 0 ? rowBytes(r.keys, p, r.keyLsbBits) : 0,
    value: rowBytes(r.values, p, r.valueBits),
  };
}

/** The task chain of one request. */
export function requestTasks(r: RequestWork, p: PerfParams): Task[] {
  const bytes = requestBytes(r, p);
  const arrayCycles = (rows: number) => Math.ceil((rows * p.headDim) / p.multipliers);
  const softmax: Task = {
    unit: 'softmax',
    cycles: 2 * Math.ceil(r.keys / p.softmaxLanes),
    bytes: 0,
  };
  const msbKeys: Task = {
    unit: 'qk',
    cycles: arrayCycles(r.keys),
    bytes: bytes.keyMsb,
    rows: r.keys,
    plane: 'keyMsb',
  };
  const tasks: Task[] = [msbKeys];
  if (r.keyLsbBits > 0) {
    const decision: Task = {
      unit: 'softmax',
      cycles: Math.ceil(r.keys / p.softmaxLanes) + p.softmaxLatency,
      bytes: 0,
    };
    tasks.push(decision, {
      unit: 'qk',
      cycles: arrayCycles(r.keys),
      bytes: bytes.keyLsb,
      rows: r.keys,
      plane: 'keyLsb',
    });
  }
  tasks.push(softmax);
  tasks.push(
    { unit: 'topk', cycles: Math.ceil(r.keys / p.topkParallelism) + p.topkOverhead, bytes: 0 },
    {
      unit: 'pv',
      cycles: arrayCycles(r.values) + p.pvRequestOverhead,
      bytes: bytes.value,
      rows: r.values,
      plane: 'value',
    },
  );
  return tasks;
}

export function runPerfModel(
  requests: readonly RequestWork[],
  p: PerfParams,
  options: { layerBarrier: boolean },
): PerfResult {
  const free: Record<Unit, number> = { dram: 0, qk: 0, softmax: 0, topk: 0, pv: 0 };
  const busy: Record<Unit, number> = { dram: 0, qk: 0, softmax: 0, topk: 0, pv: 0 };
  const bytes = { keyMsb: 0, keyLsb: 0, value: 0, total: 0 };
  const chains = requests.map((r) => requestTasks(r, p));
  const finish = new Array<number>(requests.length).fill(-1);
  const next = new Array<number>(requests.length).fill(0);
  const readyAt = new Array<number>(requests.length).fill(0);
  // When request r may start its key fetch because of r-1 (final key transfer done, plus the overhead)
  // and r-2 (its last softmax pass ended, so a context is free): -1 until known.
  const keysDone = new Array<number>(requests.length).fill(-1);
  const softmaxDone = new Array<number>(requests.length).fill(-1);
  const lastKeyFetch = chains.map((chain) => chain.length - 4);
  const lastSoftmax = chains.map((chain) => chain.length - 3);
  const CONTEXTS = 2;
  const CORE_SLOTS = 4;
  const gate = (index: number, distance: number, times: readonly number[]) =>
    index < distance || (times[index - distance] ?? -1) >= 0;
  const startable = (index: number) =>
    (next[index] ?? 0) > 0 ||
    (gate(index, 1, keysDone) &&
      gate(index, CONTEXTS, softmaxDone) &&
      gate(index, CORE_SLOTS, finish));
  /** Raises the ready time of a waiting request that `time` (a predecessor's event) holds back. */
  const release = (index: number, time: number) => {
    if (index < admitted && (next[index] ?? 0) === 0)
      readyAt[index] = Math.max(readyAt[index] ?? 0, time);
  };
  const active: number[] = [];
  let admitted = 0;
  let layerGate = 0;

  /**
   * Occupies the task's unit (and DRAM for a fetch). A fetch is issued `dramLatency` cycles before its
   * array frees up (outstanding reads hide the latency behind the previous request's data), and holds
   * DRAM for its transfer time only.
   */
  const dispatch = (task: Task, ready: number): { transferEnd: number; end: number } => {
    // The fetch path moves the bytes at DRAM's peak and at most one row per cycle (one fetch
    // stream from the core into its channels).
    const transfer = Math.max(Math.ceil(task.bytes / p.peakBytesPerCycle), task.rows ?? 0);
    const start =
      transfer > 0
        ? Math.max(ready, free[task.unit] - p.dramLatency, free.dram)
        : Math.max(ready, free[task.unit]);
    if (transfer > 0) {
      free.dram = start + transfer;
      busy.dram += transfer;
    }
    const end = Math.max(transfer, task.cycles) + start + (transfer > 0 ? p.dramLatency : 0);
    free[task.unit] = end;
    busy[task.unit] += task.cycles;
    if (task.plane) bytes[task.plane] += task.bytes;
    return { transferEnd: start + transfer, end };
  };

  /** Admits requests, from cycle `now`, while the in-flight limit and the layer barrier allow. */
  const admit = (now: number): void => {
    while (admitted < requests.length && active.length < p.maxInFlight) {
      const r = requests[admitted] as RequestWork;
      const previous = requests[admitted - 1];
      if (options.layerBarrier && previous && previous.layer !== r.layer) {
        if (active.length > 0) return; // the previous layer must drain first
        const layerEnd = Math.max(0, ...finish.slice(0, admitted));
        // The boundary's token top-k runs on the top-k unit once the layer is done, then the kept list
        // is compacted, one kept token per cycle. A new decode step (the layer number drops) first
        // initializes the kept list, one token per cycle.
        const boundary = requests
          .slice(0, admitted)
          .reverse()
          .find((q) => q.layer === previous.layer && q.tokenTopk !== null);
        const pruned = boundary
          ? dispatch(
              {
                unit: 'topk',
                cycles:
                  Math.ceil(boundary.keys / p.topkParallelism) +
                  p.topkOverhead +
                  (boundary.tokenTopk ?? 0),
                bytes: 0,
              },
              layerEnd,
            ).end
          : layerEnd;
        layerGate = r.layer < previous.layer ? pruned + r.keys : pruned;
      }
      readyAt[admitted] = Math.max(
        layerGate,
        now,
        keysDone[admitted - 1] ?? 0,
        softmaxDone[admitted - CONTEXTS] ?? 0,
        finish[admitted - CORE_SLOTS] ?? 0,
      );
      active.push(admitted);
      admitted += 1;
    }
  };

  admit(0);
  while (active.length > 0) {
    // First come, first served: the request whose next task has been ready longest goes next.
    // (The oldest active request is always startable: its predecessor has finished.)
    let pick = -1;
    for (let i = 0; i < active.length; i += 1) {
      const candidate = active[i] as number;
      if (!startable(candidate)) continue;
      if (pick < 0 || (readyAt[candidate] ?? 0) < (readyAt[active[pick] as number] ?? 0)) pick = i;
    }
    const index = active[pick] as number;
    const chain = chains[index] as Task[];
    const { transferEnd, end } = dispatch(chain[next[index] ?? 0] as Task, readyAt[index] ?? 0);
    if (next[index] === lastKeyFetch[index]) {
      // The last key row leaves DRAM when its transfer ends, or, when the array is the slower
      // (the fetcher's buffers hold back the reads), one DRAM latency before the array takes it.
      const lastRowRead = Math.max(transferEnd, end - p.dramLatency);
      const keysFree = lastRowRead + p.keyPipelineOverhead;
      keysDone[index] = keysFree;
      release(index + 1, keysFree);
    }
    if (next[index] === lastSoftmax[index]) {
      softmaxDone[index] = end;
      release(index + CONTEXTS, end);
    }
    next[index] = (next[index] ?? 0) + 1;
    readyAt[index] = end;
    if ((next[index] ?? 0) === chain.length) {
      finish[index] = end;
      release(index + CORE_SLOTS, end);
      active.splice(pick, 1);
      admit(end);
    }
  }

  bytes.total = bytes.keyMsb + bytes.keyLsb + bytes.value;
  const arrayBound = (cycles: number) => Math.ceil((cycles * p.multipliers) / p.boundMultipliers);
  const computeBound = Math.max(arrayBound(busy.qk), busy.softmax, busy.topk, arrayBound(busy.pv));
  return {
    cycles: Math.max(0, ...finish),
    lowerBoundCycles: Math.max(Math.ceil(bytes.total / p.peakBytesPerCycle), computeBound),
    dramBytes: bytes,
    busy,
    finish,
    perLayer: layerTable(requests, chains, finish),
  };
}

/** Per layer (summed over the decode steps it recurs in): requests, keys, bytes and cycles spent. */
function layerTable(
  requests: readonly RequestWork[],
  chains: readonly Task[][],
  finish: readonly number[],
): PerfResult['perLayer'] {
  const rows = new Map<
    number,
    { layer: number; requests: number; keys: number; bytes: number; cycles: number }
  >();
  let segmentStart = 0;
  requests.forEach((r, i) => {
    const row = rows.get(r.layer) ?? { layer: r.layer, requests: 0, keys: 0, bytes: 0, cycles: 0 };
    row.requests += 1;
    row.keys += r.keys;
    row.bytes += (chains[i] ?? []).reduce((sum, task) => sum + task.bytes, 0);
    rows.set(r.layer, row);
    const closesSegment = requests[i + 1]?.layer !== r.layer;
    if (closesSegment) {
      const end = Math.max(...finish.slice(0, i + 1));
      row.cycles += end - segmentStart;
      segmentStart = end;
    }
  });
  return [...rows.values()].sort((a, b) => a.layer - b.layer);
}
