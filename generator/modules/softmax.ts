/**
 * softmax: probabilities of a row of scores, Lanes per cycle, rows held on chip in a two-bank sync_ram
 * (one bank loads the next row while the other is processed).
 * The numeric formats are Verilog parameters; the exponential's internal precision (ExpFrac,
 * TableBits) is structural because the generator computes the 2^x tables for it.
 */
import { deriveSoftmax } from '../config/derive-softmax';
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { add, clog2, mul, ref } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { syncRamModule } from './sync-ram';

export function softmaxModule(config: Config): ModuleIR {
  const s = config.softmax;
  const k = deriveSoftmax(config);
  const m = new ModuleBuilder(
    config,
    'softmax',
    'Softmax of a row of scores: max pass, exp/sum pass, reciprocal, normalize pass over a two-bank on-chip row buffer.',
  );
  const lanes = m.param(
    'Lanes',
    s.lanes,
    'Scores per input beat and probabilities per output beat; a power of two.',
  );
  const words = m.param(
    'Words',
    k.words,
    'Words per row buffer bank (Lanes scores each): a row holds up to Capacity = Words*Lanes scores. At least 2.',
  );
  const scoreWidth = m.param('ScoreWidth', s.scoreBits, 'Score width W of input format sW.F.');
  m.param('ScoreFrac', s.scoreFrac, 'Score fraction bits F of input format sW.F.');
  const probWidth = m.param(
    'ProbWidth',
    s.probBits,
    'Probability width W of output format uW.F; at least ProbFrac.',
  );
  m.param('ProbFrac', s.probFrac, 'Probability fraction bits F of output format uW.F.');
  m.localparam('AddrWidth', clog2(words), 'Bits of a buffer word address.');
  m.localparam('StoredWidth', clog2(add(words, 1)), 'Bits of a stored-word count 0..Words.');
  m.localparam('LaneCountWidth', clog2(add(lanes, 1)), 'Bits of a lane count 0..Lanes.');
  m.localparam(
    'ExpFrac',
    s.expFrac,
    'Fraction bits E of the exponentials u(E+1).E (structural: the tables are generated for it).',
  );
  m.localparam('TableBits', s.tableBits, 'Index bits of each 2^x table (structural).');
  m.localparam(
    'Log2eFrac',
    k.log2eFrac,
    'Fraction bits L of the log2(e) constant u(L+1).L (ExpFrac + 4).',
  );
  m.localparam('GuardBits', s.guardBits, 'Reciprocal bits beyond ProbFrac.');
  const capacityBits = clog2(mul(ref('Words'), ref('Lanes')));
  m.localparam(
    'SumGuard',
    capacityBits,
    "Sum term bits beyond ExpFrac: a full row's roundings add up to at most 2^-(ExpFrac+1).",
  );
  m.localparam(
    'SumFrac',
    add(ref('ExpFrac'), ref('SumGuard')),
    'Fraction bits K of the sum terms u(K+1).K and of the row sum.',
  );
  // In parameters only (the port needs it): SumFrac + 1 + clog2(Capacity).
  const sumWidth = add(s.expFrac + 1, mul(2, capacityBits));
  m.localparam(
    'SumWidth',
    sumWidth,
    'Width of the row sum of exponentials, u(SumWidth).SumFrac: holds Capacity × 2.0.',
  );
  m.localparam(
    'QuotientWidth',
    add(ref('ProbFrac'), s.guardBits + 1),
    'Width of the reciprocal Q = floor(2^(SumFrac+QuotientWidth-1) / sum).',
  );
  m.clockAndReset();
  const laneCount = clog2(add(lanes, 1));
  m.streamIn('in', {
    doc: "scores of a row, Lanes per beat, `last` on the row's final beat",
    fields: {
      score: {
        width: mul(lanes, scoreWidth),
        doc: 'Scores sW.F, lane 0 (first in the row) in the low bits.',
      },
      count: {
        width: laneCount,
        doc: 'Scores in the beat, 1..Lanes; read on the last beat only (other beats are full).',
      },
    },
  });
  m.streamOut('out', {
    doc: 'probabilities of the row in input order, Lanes per beat, `last` on the final beat',
    fields: {
      prob: {
        width: mul(lanes, probWidth),
        doc: 'Probabilities uW.F, lane 0 in the low bits, zero above the count.',
      },
      count: { width: laneCount, doc: 'Probabilities in the beat: Lanes except on the last beat.' },
      max: {
        width: probWidth,
        doc: "Probability of the row's largest score (its largest probability); same on every beat.",
      },
      sum: {
        width: sumWidth,
        doc: 'Sum of exp(score - max) over the row, u(SumWidth).SumFrac; same on every beat.',
      },
      overflow: {
        width: 1,
        doc: 'The row had more than Capacity scores: only the first Capacity were used; same on every beat.',
      },
    },
  });
  m.instance(
    'u_row',
    syncRamModule(config),
    { Depth: mul(2, words), Width: mul(lanes, scoreWidth), OutputReg: 1 },
    {
      clk_i: 'clk_i',
      write_en_i: 'mem_write_en',
      write_addr_i: 'mem_write_addr',
      write_data_i: 'in_score_i',
      read_en_i: 'mem_read_en',
      read_addr_i: 'mem_read_addr',
      read_data_o: 'mem_read_data',
    },
    'Row buffer, two banks: one stores the arriving row while the other is read twice (exp/sum, normalize); read through the output register.',
  );
  return m.build();
}
