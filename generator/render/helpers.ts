/**
 * Pure template helpers. The only one with logic is `seq`, the register block in the configured reset
 * style, so reset handling is written once for every module.
 */
import type Handlebars from 'handlebars';

export interface ResetView {
  port: string;
  /** Sensitivity list addition for asynchronous reset, '' for synchronous. */
  sensitivity: string;
  /** Expression true while reset is asserted. */
  active: string;
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : by + line))
    .join('\n');
}

export function registerHelpers(engine: typeof Handlebars): void {
  /**
   * {{#seq}} reset assignments {{else}} clocked assignments {{/seq}}: an always block with the reset
   * kind and polarity of the config (read from the root context's `reset`).
   */
  engine.registerHelper('seq', function (this: unknown, options: Handlebars.HelperOptions) {
    const reset = (options.data.root as { reset: ResetView }).reset;
    const onReset = indent(options.fn(this).replace(/\s+$/, ''), '      ');
    const onClock = indent(options.inverse(this).replace(/\s+$/, ''), '      ');
    return [
      `  always @(posedge clk_i${reset.sensitivity}) begin`,
      `    if (${reset.active}) begin`,
      onReset,
      '    end else begin',
      onClock,
      '    end',
      '  end',
      // The block tags stand on lines of their own, which Handlebars removes with their newlines:
      // end the block with one so the template's next line starts a line of its own.
      '',
    ].join('\n');
  });
}
