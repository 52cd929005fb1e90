/**
 * Cycle model of qk_bitserial: when each result leaves, as a function of the data (the planes each
 * key needs, from the golden model) with every input always valid and the output always ready.
 * It steps the RTL's schedule (templates/qk_bitserial.v.hbs) cycle by cycle: Lanes lanes of
 * Contexts contexts taking turns (context = cycle mod Contexts), a key per cycle into the lowest
 * lane with a free context at its turn, a plane decided Contexts - 2 cycles after it issues, the
 * key that leaves in a register for a cycle, a reorder buffer of Contexts × max(Lanes, B) slots,
 * one result out per cycle, a query's thresholds ready LoadCycles + 2 cycles after its beat, and
 * the next query's load into the other bank of tables once no context holds a key of that bank. (The RTL turns each lane's contexts as a ring; the
 * context at entry 0 there is the one whose turn it is here.)
 */
import type { Config } from '../../generator/config/schema';
import { type BitserialRequest, bitserialScores } from './qk-bitserial';

/** Register stages of the tree over the D/4 table entries: every second level and the root. */
const treeStages = (config: Config) =>
  Math.floor((Math.ceil(Math.log2(config.model.headDim / 4)) + 1) / 2);

/** Keys each lane interleaves: a plane's issue-to-decision time and two cycles to read the next
 * plane. */
const contextsOf = (config: Config) => treeStages(config) + 3;

/** Table entries filled, one per cycle, before a query's pos and thresholds. */
const FILL_CYCLES = 16;

/** Cycles from a query's beat to its first key, less two: the tables, pos a group a cycle, one
 * threshold per plane. */
const loadCycles = (config: Config) =>
  FILL_CYCLES + config.model.headDim / 4 + config.datapath.keyBits;

export interface BitserialTimeline {
  /** Cycle each query beat is taken, from the first at 0. */
  queries: number[];
  /** Cycle each result leaves, in output order, on the same clock. */
  results: number[];
}

interface Context {
  active: boolean;
  /** The bank of tables and thresholds of its request. */
  bank: number;
  /** Planes decided so far, and the planes the key needs. */
  done: number;
  needed: number;
  seq: number;
}

export function bitserialTimeline(
  config: Config,
  requests: readonly BitserialRequest[],
): BitserialTimeline {
  const lanes = config.datapath.bitserialLanes;
  const P = contextsOf(config);
  const load = loadCycles(config);
  const robDepth = P * Math.max(lanes, config.datapath.keyBits);
  const keys = requests.flatMap((request, r) =>
    bitserialScores(config, request).map((s, i) => ({
      planes: s.planes,
      last: i === request.keys.length - 1,
      request: r,
    })),
  );
  const ctx: Context[][] = Array.from({ length: lanes }, () =>
    Array.from({ length: P }, () => ({ active: false, bank: 0, done: 0, needed: 0, seq: 0 })),
  );
  const rob = Array.from({ length: robDepth }, () => ({ busy: false, done: false }));
  let armed = false;
  let keyBank = 0;
  let pending = false;
  let nextBank = 0;
  let loading = false;
  let loadBank = 0;
  let loadCount = 0;
  let slot = 0;
  let loadSeq = 0;
  let outSeq = 0;
  let nextQuery = 0;
  let nextKey = 0;
  const queries: number[] = [];
  const results: number[] = [];
  let start = -1;
  let leaving: number[] = [];
  for (let t = 0; results.length < keys.length; t += 1) {
    if (t > 1_000_000 + 1000 * keys.length) throw new Error('bit-serial schedule does not drain');
    // Combinational decisions of cycle t, from the registers.
    const nextBankBusy = ctx.some((lane) => lane.some((c) => c.active && c.bank === nextBank));
    const queryFire = nextQuery < requests.length && !loading && !pending && !nextBankBusy;
    const free = ctx.map((lane) => !(lane[slot] as Context).active);
    const key = keys[nextKey];
    const keyFire =
      key !== undefined &&
      key.request < nextQuery &&
      armed &&
      !rob[loadSeq]?.busy &&
      free.some((f) => f);
    const finalSlot = (slot + 2) % P;
    const retiring = ctx.map((lane) => {
      const c = lane[finalSlot] as Context;
      return c.active && c.done + 1 === c.needed;
    });
    // The output is always ready: a result leaves as soon as it is the next one and is done.
    const outTake = rob[outSeq]?.done ?? false;
    const loadDone = loading && loadCount === load;
    const bankOfKey = keyBank;
    const lastKeyFire = keyFire && key?.last === true;
    // The clock edge.
    if (queryFire) {
      if (start < 0) start = t;
      queries.push(t - start);
      nextQuery += 1;
      loading = true;
      loadBank = nextBank;
      nextBank ^= 1;
      loadCount = 0;
    } else if (loadDone) loading = false;
    else if (loading) loadCount += 1;
    // The loaded request is armed at once if no other takes keys, else after its last key.
    if (loadDone && (!armed || lastKeyFire)) {
      armed = true;
      keyBank = loadBank;
    } else if (loadDone) pending = true;
    else if (lastKeyFire) {
      armed = pending;
      if (pending) keyBank ^= 1;
      pending = false;
    }
    // Keys that left their context last cycle reach the reorder buffer now (a register between).
    for (const seq of leaving) (rob[seq] as { done: boolean }).done = true;
    leaving = [];
    ctx.forEach((lane, l) => {
      const c = lane[finalSlot] as Context;
      if (!c.active) return;
      if (retiring[l]) {
        c.active = false;
        leaving.push(c.seq);
      } else c.done += 1;
    });
    if (keyFire && key) {
      const l = free.indexOf(true);
      Object.assign(ctx[l]?.[slot] as Context, {
        active: true,
        bank: bankOfKey,
        done: 0,
        needed: key.planes,
        seq: loadSeq,
      });
      (rob[loadSeq] as { busy: boolean }).busy = true;
      loadSeq = (loadSeq + 1) % robDepth;
      nextKey += 1;
    }
    if (outTake) {
      Object.assign(rob[outSeq] as object, { busy: false, done: false });
      outSeq = (outSeq + 1) % robDepth;
      // The result register holds it from the next cycle, and the output is always ready.
      results.push(t + 1 - start);
    }
    slot = (slot + 1) % P;
  }
  return { queries, results };
}
