/**
 * The Markdown register map of the integration shell: every register and field with its offset,
 * access, reset value and meaning, then the two ring entries, rendered from the same data as the C
 * header (register-map.ts, ring-layout.ts).
 */
import type { Config } from '../config/schema';
import { ERROR_CODES, hexText, registerMap } from './register-map';
import { type RingLayout, WORD_BYTES, ringLayouts } from './ring-layout';

const bits = (lsb: number, width: number) => (width === 1 ? `${lsb}` : `${lsb + width - 1}:${lsb}`);

function entryTable(title: string, layout: RingLayout): string[] {
  return [
    `## ${title} (${layout.bytes} bytes)`,
    '',
    '| byte offset | field | bits | meaning |',
    '|---|---|---|---|',
    ...layout.fields.map(
      (f) => `| ${hexText(f.word * WORD_BYTES, 3)} | ${f.name} | ${f.width} | ${f.doc} |`,
    ),
    '',
  ];
}

export function renderRegisterDoc(config: Config): string {
  const prefix = config.design.modulePrefix;
  const layouts = ringLayouts(config);
  return [
    `# ${prefix}soc register map`,
    '',
    '32-bit registers on the AXI4-Lite slave, byte offsets. Access: const a constant, ro read-only',
    '(hardware drives it), rw read-write,',
    'w1c write one to clear, w1p write one to pulse (reads 0).',
    '',
    '| offset | register | field | bits | access | reset | meaning |',
    '|---|---|---|---|---|---|---|',
    ...registerMap(config).flatMap((r) =>
      r.fields.map(
        (f) =>
          `| ${hexText(r.offset, 3)} | ${r.name} | ${f.name} | ${bits(f.lsb, f.width)} | ${f.access} ` +
          `| ${hexText(f.reset, 8)} | ${f.name === 'VALUE' ? r.doc : f.doc} |`,
      ),
    ),
    '',
    '## STATUS.ERROR_CODE',
    '',
    '| code | name | meaning |',
    '|---|---|---|',
    ...ERROR_CODES.map((c) => `| ${c.value} | ${c.name} | ${c.doc} |`),
    '',
    ...entryTable('Descriptor ring entry', layouts.descriptor),
    ...entryTable('Result ring entry', layouts.result),
  ].join('\n');
}
