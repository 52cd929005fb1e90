/**
 * The fetcher's channels side by side: `fetcher.channels` independent fetcher instances, each with its own
 * fetch and row streams (c<N>_fetch, c<N>_row) and its own AXI4 read port (c<N>_m_axi_*). Nothing is
 * shared, so no channel waits for another (no lockstep); each port gets its own DRAM channel.
 */
import type { Config } from '../config/schema';
import { ModuleBuilder, resetPortName } from '../dsl/builder';
import type { ModuleIR } from '../dsl/ir';
import { fetcherModule, fetcherParams, fetcherPorts } from './fetcher';

export function fetcherChannelsModule(config: Config): ModuleIR {
  const channel = fetcherModule(config);
  const m = new ModuleBuilder(
    config,
    'fetcher_channels',
    `DRAM fetcher: ${config.fetcher.channels} independent channels, each with its own AXI4 read port.`,
    'structural',
  );
  const params = fetcherParams(m, config);
  m.clockAndReset();
  const shared = new Set(['clk_i', resetPortName(config)]);
  for (let c = 0; c < config.fetcher.channels; c += 1) {
    fetcherPorts(m, params, `c${c}_`);
    const connections = Object.fromEntries(
      channel.ports.map((port) => [
        port.name,
        shared.has(port.name) ? port.name : `c${c}_${port.name}`,
      ]),
    );
    m.instance(`u_channel${c}`, channel, params, connections, `Channel ${c}.`);
  }
  return m.build();
}
