/**
 * soc: the integration shell around spatten_top. Software programs it through the AXI4-Lite
 * register block (soc_regs), queues descriptors in a ring in memory and finds the results in
 * another; the shell reads descriptors through an AXI4 read master, writes results through an AXI4
 * write master (one burst per entry), and raises an interrupt when the queue is done. The K/V
 * channels of the top pass through unchanged.
 *
 * The ring entries' layout is fixed when the file is generated (generator/soc/ring-layout.ts) and
 * shared with the C header, so the shell has no Verilog parameters of its own: re-parameterizing
 * the hardware would leave the software's header behind. Generate another config instead.
 */
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { paramEnv } from '../dsl/check';
import { evalExpr } from '../dsl/expr';
import type { ModuleIR, Port } from '../dsl/ir';
import { socRegsModule } from './soc-regs';
import { topModule } from './top';

/** The shell's AXI4 masters move 32-bit words: an entry is a burst of its used words. */
export const SHELL_DATA_BITS = 32;

export function socModule(config: Config): ModuleIR {
  const m = new ModuleBuilder(
    config,
    'soc',
    'Integration shell: AXI4-Lite registers, descriptor and result rings in memory, an interrupt.',
  );
  const regs = socRegsModule(config);
  const top = topModule(config);
  const addr = config.fetcher.axiAddrBits;
  m.clockAndReset();
  // Ports copied from a child, at the child's parameter values (the shell has no parameters).
  const copyPorts = (child: ModuleIR, ports: readonly Port[]) => {
    const env = paramEnv(child);
    for (const port of ports) m[port.direction](port.name, evalExpr(port.width, env), port.doc);
  };
  copyPorts(
    regs,
    regs.ports.filter((p) => p.name.startsWith('s_axil_')),
  );
  const d = 'm_axi_desc';
  m.output(`${d}_arvalid_o`, 1, 'Descriptor read: address valid (one burst per entry).')
    .input(`${d}_arready_i`, 1, 'Address accepted.')
    .output(`${d}_araddr_o`, addr, 'Byte address of the entry.')
    .output(`${d}_arlen_o`, 8, 'Beats minus one: the entry words the descriptor uses.')
    .output(`${d}_arsize_o`, 3, '4 bytes per beat (010).')
    .output(`${d}_arburst_o`, 2, 'INCR (01).')
    .output(`${d}_arid_o`, 1, 'Always 0 (one burst at a time).')
    .input(`${d}_rvalid_i`, 1, 'Read data valid.')
    .output(`${d}_rready_o`, 1, 'Read data taken.')
    .input(`${d}_rdata_i`, SHELL_DATA_BITS, 'A descriptor word, word 0 first.')
    .input(`${d}_rresp_i`, 2, 'Not OKAY: the shell stops with DESC_READ.')
    .input(`${d}_rlast_i`, 1, 'Last beat of the burst.')
    .input(`${d}_rid_i`, 1, 'Ignored (one burst at a time).');
  const r = 'm_axi_res';
  m.output(`${r}_awvalid_o`, 1, 'Result write: address valid (one burst per entry).')
    .input(`${r}_awready_i`, 1, 'Address accepted.')
    .output(`${r}_awaddr_o`, addr, 'Byte address of the entry.')
    .output(`${r}_awlen_o`, 8, 'Beats minus one: the entry words the result uses.')
    .output(`${r}_awsize_o`, 3, '4 bytes per beat (010).')
    .output(`${r}_awburst_o`, 2, 'INCR (01).')
    .output(`${r}_awid_o`, 1, 'Always 0 (one burst at a time).')
    .output(`${r}_wvalid_o`, 1, 'Write data valid (after the address).')
    .input(`${r}_wready_i`, 1, 'Write data taken.')
    .output(`${r}_wdata_o`, SHELL_DATA_BITS, 'A result word, word 0 first.')
    .output(`${r}_wstrb_o`, 4, 'All bytes (1111).')
    .output(`${r}_wlast_o`, 1, 'Last beat of the burst.')
    .input(`${r}_bvalid_i`, 1, 'Write response valid.')
    .output(`${r}_bready_o`, 1, 'Write response taken.')
    .input(`${r}_bresp_i`, 2, 'Not OKAY: the shell stops with RESULT_WRITE.')
    .input(`${r}_bid_i`, 1, 'Ignored (one burst at a time).');
  const topAxi = top.ports.filter((p) => /^c\d+_m_axi_/.test(p.name));
  copyPorts(top, topAxi);
  m.output(
    'irq_o',
    1,
    'Interrupt, level: STATUS.DONE, ERROR or RES_FULL while CONTROL.IRQ_ENABLE.',
  );

  // Hardware-side fields of the register block meet the shell on nets named like their ports.
  const fieldNet = (port: string) => port.replace(/_(i|o)$/, '');
  m.instance(
    'u_regs',
    regs,
    {},
    {
      clk_i: 'clk_i',
      [m.resetPort]: m.resetPort,
      ...Object.fromEntries(
        regs.ports
          .filter((p) => p.name !== 'clk_i' && p.name !== m.resetPort)
          .map((p) => [p.name, p.name.startsWith('s_axil_') ? p.name : fieldNet(p.name)]),
      ),
    },
    'Register block (AXI4-Lite slave); not reset by CONTROL.SOFT_RESET.',
  );
  m.instance(
    'u_top',
    top,
    {},
    {
      clk_i: 'clk_i',
      [m.resetPort]: 'top_reset',
      ...Object.fromEntries(
        top.ports
          .filter((p) => p.name !== 'clk_i' && p.name !== m.resetPort)
          .map((p) => [p.name, topAxi.includes(p) ? p.name : `top_${fieldNet(p.name)}`]),
      ),
    },
    'The accelerator, at its generated parameters; reset also by CONTROL.SOFT_RESET.',
  );
  m.net('top_reset', 1, "The top's reset: the shell's, or a soft reset.");
  return m.build();
}
