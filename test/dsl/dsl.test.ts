import { describe, expect, it } from 'vitest';
import { DslError, ModuleBuilder } from '../../generator/dsl/builder';
import {
  add,
  ceilDiv,
  clog2,
  div,
  evalExpr,
  lit,
  mul,
  ref,
  renderExpr,
  sub,
} from '../../generator/dsl/expr';
import { identifierProblem } from '../../generator/dsl/identifiers';
import { collectModules, designModules } from '../../generator/modules';
import { configWith } from '../support/config';

const { config } = configWith('tiny');

function leaf(stem = 'leaf') {
  const m = new ModuleBuilder(config, stem, 'test leaf');
  const width = m.param('Width', 8, 'bits');
  m.clockAndReset();
  m.input('a_i', width, 'in');
  m.output('y_o', width, 'out');
  return m.build();
}

function dslProblems(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof DslError) return error.problems;
    throw error;
  }
  throw new Error('expected a DslError');
}

describe('expressions', () => {
  it('render with minimal parentheses and evaluate like Verilog', () => {
    const env = new Map([
      ['Lanes', 8],
      ['DataWidth', 12],
    ]);
    const width = sub(mul(ref('Lanes'), add(ref('DataWidth'), 1)), 1);
    expect(renderExpr(width)).toBe('Lanes * (DataWidth + 1) - 1');
    expect(evalExpr(width, env)).toBe(103);
    expect(renderExpr(sub(ref('Lanes'), sub(ref('DataWidth'), 2)))).toBe('Lanes - (DataWidth - 2)');
    expect([1, 2, 3, 8, 9].map((n) => evalExpr(clog2(lit(n)), env))).toEqual([0, 1, 2, 3, 4]);
  });

  it('divide rounding down, with the parentheses Verilog needs around a quotient or divisor', () => {
    const env = new Map([
      ['Capacity', 100],
      ['Lanes', 8],
    ]);
    expect(evalExpr(div(ref('Capacity'), ref('Lanes')), env)).toBe(12);
    expect(evalExpr(ceilDiv(ref('Capacity'), ref('Lanes')), env)).toBe(13);
    expect(renderExpr(mul(ref('Lanes'), div(ref('Capacity'), ref('Lanes'))))).toBe(
      'Lanes * (Capacity / Lanes)',
    );
    expect(renderExpr(div(ref('Capacity'), mul(ref('Lanes'), 2)))).toBe('Capacity / (Lanes * 2)');
    expect(renderExpr(div(mul(ref('Lanes'), 3), 2))).toBe('Lanes * 3 / 2');
  });
});

describe('identifiers', () => {
  it('rejects non-identifiers and reserved words of Verilog and SystemVerilog', () => {
    expect(identifierProblem('u_ok_1')).toBeUndefined();
    expect(identifierProblem('1bad')).toBe(
      '"1bad" is not a Verilog identifier ([A-Za-z_][A-Za-z0-9_]*)',
    );
    expect(identifierProblem('module')).toBe(
      '"module" is a reserved word of Verilog/SystemVerilog',
    );
    expect(identifierProblem('logic')).toBe('"logic" is a reserved word of Verilog/SystemVerilog');
  });
});

describe('IR checks', () => {
  it('stream bundles expand to the DESIGN §3 port names', () => {
    const m = new ModuleBuilder(config, 'streamy', 'test');
    m.clockAndReset();
    m.streamIn('in', { doc: 'x', fields: { data: { width: 4, doc: 'd' } } });
    m.streamOut('out', { doc: 'y', fields: { data: { width: 4, doc: 'd' } }, last: false });
    expect(m.build().ports.map((p) => p.name)).toEqual([
      'clk_i',
      'rst_ni',
      'in_valid_i',
      'in_ready_o',
      'in_data_i',
      'in_last_i',
      'out_valid_o',
      'out_ready_i',
      'out_data_o',
    ]);
  });

  it('reports duplicate names, illegal identifiers and naming conventions together', () => {
    const problems = dslProblems(() => {
      const m = new ModuleBuilder(config, 'bad', 'test');
      m.param('width', 1, 'lower case');
      m.input('a_i', 1, 'a');
      m.input('a_i', 1, 'again');
      m.output('wire', 1, 'reserved');
      m.output('b_x', 1, 'bad suffix');
      return m.build();
    });
    expect(problems).toEqual([
      'spatten_bad: port "wire" is a reserved word of Verilog/SystemVerilog',
      'spatten_bad: duplicate name "a_i" (port)',
      'spatten_bad: parameter "width" must be UpperCamelCase',
      'spatten_bad: output port "wire" must end in _o',
      'spatten_bad: output port "b_x" must end in _o',
    ]);
  });

  it('rejects port widths that use localparams (declared after the ports in Verilog-2005)', () => {
    const problems = dslProblems(() => {
      const m = new ModuleBuilder(config, 'lp', 'test');
      const w = m.localparam('Inner', 4, 'x');
      m.input('a_i', w, 'a');
      return m.build();
    });
    expect(problems).toEqual([
      'spatten_lp: width of port "a_i" uses Inner, which is not a parameter',
    ]);
  });

  it('reports unconnected ports, width mismatches and signals driven twice', () => {
    const child = leaf();
    const problems = dslProblems(() => {
      const m = new ModuleBuilder(config, 'parent', 'test', 'structural');
      m.clockAndReset();
      m.input('a_i', 8, 'a');
      m.output('y_o', 4, 'y');
      m.instance(
        'u_one',
        child,
        { Width: 8 },
        { clk_i: 'clk_i', rst_ni: 'rst_ni', a_i: 'a_i', y_o: 'y_o' },
        'one',
      );
      m.instance(
        'u_two',
        child,
        { Width: 4 },
        { clk_i: 'clk_i', rst_ni: 'rst_ni', y_o: 'y_o' },
        'two',
      );
      return m.build();
    });
    expect(problems).toEqual([
      'spatten_parent.u_one.y_o: width mismatch, port is 8 bits but "y_o" is 4 bits',
      'spatten_parent.u_two.a_i: unconnected port',
      'spatten_parent: "y_o" is driven more than once (u_one.y_o, u_two.y_o)',
    ]);
  });

  it('structural modules must drive every output and net; unknown params and ports are errors', () => {
    const child = leaf();
    const problems = dslProblems(() => {
      const m = new ModuleBuilder(config, 'hollow', 'test', 'structural');
      m.clockAndReset();
      m.input('a_i', 8, 'a');
      m.output('y_o', 8, 'y');
      m.net('spare', 8, 'never driven');
      m.instance(
        'u_leaf',
        child,
        { Depth: 2 },
        { clk_i: 'clk_i', rst_ni: 'rst_ni', a_i: 'a_i', y_o: 'spare', z_o: 'y_o' },
        'leaf',
      );
      m.instance(
        'x_bad',
        child,
        {},
        { clk_i: 'clk_i', rst_ni: 'rst_ni', a_i: 'a_i', y_o: 'nowhere' },
        'bad',
      );
      return m.build();
    });
    // Naming problems are reported first; connections are checked once names are sound.
    expect(problems).toEqual(['spatten_hollow: instance "x_bad" must start with u_']);
    const deeper = dslProblems(() => {
      const m = new ModuleBuilder(config, 'hollow', 'test', 'structural');
      m.clockAndReset();
      m.input('a_i', 8, 'a');
      m.output('y_o', 8, 'y');
      m.net('spare', 8, 'spare');
      m.instance(
        'u_leaf',
        child,
        { Depth: 2 },
        { clk_i: 'clk_i', rst_ni: 'rst_ni', a_i: 'a_i', y_o: 'nowhere', z_o: 'y_o' },
        'leaf',
      );
      return m.build();
    });
    expect(deeper).toEqual([
      'spatten_hollow.u_leaf: spatten_leaf has no parameter Depth',
      'spatten_hollow.u_leaf: spatten_leaf has no port z_o',
      'spatten_hollow: "spare" is never driven',
      'spatten_hollow: "y_o" is never driven',
      'spatten_hollow: "spare" is never read',
      'spatten_hollow: "nowhere" is never read',
    ]);
  });

  it('declares the nets between instances with the width of their driver, over the parent', () => {
    const child = leaf();
    const m = new ModuleBuilder(config, 'chain', 'test', 'structural');
    const width = m.param('Bits', 3, 'bits');
    m.clockAndReset();
    m.input('a_i', add(width, 1), 'a');
    m.output('y_o', add(width, 1), 'y');
    const clocking = { clk_i: 'clk_i', rst_ni: 'rst_ni' };
    m.instance(
      'u_first',
      child,
      { Width: add(width, 1) },
      { ...clocking, a_i: 'a_i', y_o: 'mid' },
      '',
    );
    m.instance(
      'u_second',
      child,
      { Width: add(width, 1) },
      { ...clocking, a_i: 'mid', y_o: 'y_o' },
      '',
    );
    const mid = m.build().nets.find((net) => net.name === 'mid');
    expect(mid && renderExpr(mid.width)).toBe('Bits + 1');
    expect(mid?.doc).toBe('out');
  });
});

describe('design', () => {
  it('lists dependencies before their users, each module once', () => {
    const modules = designModules(config);
    const position = new Map(modules.map((m, i) => [m.name, i]));
    expect(position.size).toBe(modules.length);
    for (const module of modules) {
      for (const instance of module.instances)
        expect(position.get(instance.module.name)).toBeLessThan(position.get(module.name) ?? -1);
    }
    expect(modules.map((m) => m.stem)).toEqual(
      expect.arrayContaining(['zero_compact', 'stream_packer', 'zero_eliminator']),
    );
    const twice = collectModules([leaf(), leaf()]);
    expect(twice).toHaveLength(1);
  });
});
