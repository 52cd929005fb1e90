import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { add } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { skidBufferModule } from './skid-buffer';

/**
 * A stream stage beside a synchronous memory read: the read is issued when a beat is taken, and the
 * beat leaves with the word read. The attention core looks up the token map, the kept key rows and
 * the probabilities with it; the top looks up its kept-token list. With Slice = 1 both go through a skid buffer (ready, valid and
 * payload registered: the stage may feed another unit); with Slice = 0 the word comes straight from
 * the memory and out_ready_i reaches in_ready_o (for a user that registers both).
 */
export function lookupStageModule(config: Config): ModuleIR {
  const m = new ModuleBuilder(
    config,
    'lookup_stage',
    'Stream stage that issues a synchronous memory read for each beat it takes and passes the beat on with the word read, registered both ways.',
  );
  const dataWidth = m.param('DataWidth', 8, 'Bits of the beat payload.');
  const addrWidth = m.param('AddrWidth', 4, 'Bits of the memory address read for a beat.');
  const wordWidth = m.param('WordWidth', 8, 'Bits of the memory word read for a beat.');
  m.param(
    'Slice',
    1,
    '1: output through a skid buffer (two cycles, registered both ways); 0: one cycle, the word from the memory.',
  );
  m.clockAndReset();
  m.streamIn('in', {
    doc: 'beats with the address to read',
    fields: {
      data: { width: dataWidth, doc: 'Payload.' },
      addr: { width: addrWidth, doc: 'Memory word to read for the beat.' },
    },
  });
  m.streamOut('out', {
    doc: 'the same beats with their words, Slice + 1 cycles later at the earliest',
    fields: {
      data: { width: dataWidth, doc: 'Payload.' },
      word: { width: wordWidth, doc: 'Memory word read for the beat.' },
    },
  });
  m.output('read_en_o', 1, 'Memory read enable: a beat is taken this cycle.');
  m.output('read_addr_o', addrWidth, 'Memory address to read.');
  m.input(
    'read_data_i',
    wordWidth,
    'Memory output: the word read at the last enabled edge (held while not read).',
  );
  const slice = skidBufferModule(config);
  const payload = add(add(dataWidth, wordWidth), 1);
  m.instance(
    'u_slice',
    slice,
    { Width: payload },
    {
      clk_i: 'clk_i',
      [m.resetPort]: m.resetPort,
      in_valid_i: 'stage_valid',
      in_ready_o: 'stage_ready',
      in_data_i: 'stage_data',
      out_valid_o: 'slice_valid',
      out_ready_i: 'out_ready_i',
      out_data_o: 'slice_data',
    },
    'Output register: the beat with its word, ready registered.',
  );
  return m.build();
}
