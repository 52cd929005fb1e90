/**
 * DRAM fetcher, one channel: turns a stream of (plane base, plane, token index) into AXI4 INCR burst
 * reads and returns the rows in request order, converted to the full element width. Consecutive rows
 * coalesce into one burst (up to MaxBurst beats, never across a 4 KB page); bursts carry distinct IDs
 * and may complete in any order, a reorder buffer restores request order. Channels are independent
 * instances, each with its own AXI port (no lockstep). DRAM layout: see sim/golden/fetcher.ts.
 */
import { deriveDatapath } from '../config/derive-datapath';
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { type Expr, add, clog2, mul, sub } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { syncRamModule } from './sync-ram';

/**
 * The fetcher's Verilog parameters, declared on `m` (the channel and the multi-channel wrapper share
 * them). A parent whose token index follows other parameters of its own passes that expression as
 * `indexWidth` and declares no IndexWidth parameter.
 */
export function fetcherParams(m: ModuleBuilder, config: Config, indexWidth?: Expr) {
  const f = config.fetcher;
  return {
    HeadDim: m.param('HeadDim', config.model.headDim, 'Elements per row (D).'),
    MsbBits: m.param('MsbBits', f.msbBits, 'Bits per element of the key MSB plane.'),
    LsbBits: m.param('LsbBits', f.lsbBits, 'Bits per element of the key LSB plane.'),
    IndexWidth:
      indexWidth ?? m.param('IndexWidth', deriveDatapath(config).indexBits, 'Token index width.'),
    DataWidth: m.param(
      'DataWidth',
      f.axiDataBits,
      'AXI data width, bits; a power of two, 64..512.',
    ),
    AddrWidth: m.param('AddrWidth', f.axiAddrBits, 'AXI byte address width.'),
    IdWidth: m.param('IdWidth', f.axiIdBits, 'AXI ID width; 2^IdWidth >= Outstanding.'),
    MaxBurst: m.param(
      'MaxBurst',
      f.maxBurst,
      'Longest burst, beats; a power of two, MaxBurst × DataWidth/8 <= 4096.',
    ),
    Outstanding: m.param(
      'Outstanding',
      f.outstanding,
      'Bursts in flight (one ID each); a power of two >= 2.',
    ),
    BufferBeats: m.param(
      'BufferBeats',
      f.bufferBeats,
      'Reorder buffer beats; a power of two >= MaxBurst.',
    ),
  };
}

type FetcherParams = ReturnType<typeof fetcherParams>;

/** The fetch and row streams and the AXI master ports of one channel, names prefixed with `prefix`. */
export function fetcherPorts(m: ModuleBuilder, p: FetcherParams, prefix: string): void {
  // Word (beat) address width: byte address bits minus log2(DataWidth/8).
  const wordAddrWidth = sub(p.AddrWidth, sub(clog2(p.DataWidth), 3));
  m.streamIn(`${prefix}fetch`, {
    doc: 'rows to fetch, in order',
    fields: {
      base: {
        width: wordAddrWidth,
        doc: 'Word address (byte address / (DataWidth/8)) of row 0 of the plane.',
      },
      plane: {
        width: 2,
        doc: 'Plane: 0 key MSBs (MsbBits), 1 key LSBs (LsbBits), 2 full elements (MsbBits+LsbBits); 3 reads as 2.',
      },
      index: { width: p.IndexWidth, doc: 'Token index: the row number within the plane.' },
    },
  });
  m.streamOut(`${prefix}row`, {
    doc: 'fetched rows in request order',
    fields: {
      data: {
        width: mul(p.HeadDim, add(p.MsbBits, p.LsbBits)),
        doc: 'D elements of MsbBits+LsbBits bits, element 0 low: MSB plane in the high bits, LSB plane in the low bits, full as stored.',
      },
      index: { width: p.IndexWidth, doc: 'Token index of the row.' },
      plane: { width: 2, doc: 'Plane of the row, as requested.' },
      error: {
        width: 1,
        doc: 'A beat of the row came back with a non-OKAY RRESP (data delivered as received).',
      },
    },
  });
  const axi = `${prefix}m_axi`;
  m.output(`${axi}_arvalid_o`, 1, 'AXI4 read address valid (one outstanding burst per ID).');
  m.input(`${axi}_arready_i`, 1, 'Address accepted.');
  m.output(`${axi}_araddr_o`, p.AddrWidth, 'Burst start byte address (DataWidth-aligned).');
  m.output(`${axi}_arlen_o`, 8, 'Beats in the burst minus one.');
  m.output(`${axi}_arsize_o`, 3, 'log2 of bytes per beat (full data width).');
  m.output(`${axi}_arburst_o`, 2, 'Burst type: INCR (01).');
  m.output(`${axi}_arid_o`, p.IdWidth, 'Burst ID: its reorder slot.');
  m.input(`${axi}_rvalid_i`, 1, 'Read data valid.');
  m.output(
    `${axi}_rready_o`,
    1,
    'Always 1: every issued burst has its reorder buffer space reserved.',
  );
  m.input(`${axi}_rdata_i`, p.DataWidth, 'Read data beat.');
  m.input(`${axi}_rresp_i`, 2, 'Read response; anything but OKAY flags the row as an error.');
  m.input(`${axi}_rlast_i`, 1, 'Last beat of a burst.');
  m.input(`${axi}_rid_i`, p.IdWidth, 'Burst ID of the beat.');
}

export function fetcherModule(config: Config): ModuleIR {
  const m = new ModuleBuilder(
    config,
    'fetcher',
    'DRAM fetcher channel: AXI4 burst reads of selected token rows (MSB/LSB/full bit planes), rows out in request order.',
  );
  const p = fetcherParams(m, config);
  const { DataWidth: dataWidth, BufferBeats: bufferBeats } = p;
  m.localparam('BufBits', clog2(bufferBeats), 'Reorder buffer address width.');
  m.localparam(
    'SlotBits',
    clog2(p.Outstanding),
    'Width of a burst slot (the low bits of its AXI ID).',
  );
  m.clockAndReset();
  fetcherPorts(m, p, '');

  const ram = syncRamModule(config);
  m.instance(
    'u_buffer',
    ram,
    { Depth: bufferBeats, Width: add(dataWidth, 1) },
    {
      clk_i: 'clk_i',
      write_en_i: 'buf_write_en',
      write_addr_i: 'buf_write_addr',
      write_data_i: 'buf_write_data',
      read_en_i: 'buf_read_en',
      read_addr_i: 'buf_read_addr',
      read_data_o: 'buf_read_data',
    },
    'Reorder buffer: beats land at their burst slot, leave in request order.',
  );
  return m.build();
}
