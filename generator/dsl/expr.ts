/**
 * Width and parameter expressions. An expression renders to Verilog text (so emitted files stay
 * re-parameterizable) and evaluates to a number (so the IR checker can compare widths).
 */
import { largestDivisorOf } from '../config/derive';

export type Expr =
  | { kind: 'const'; value: number }
  | { kind: 'param'; name: string }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }
  | { kind: 'clog2'; arg: Expr }
  | { kind: 'max' | 'min'; left: Expr; right: Expr }
  | { kind: 'divisor'; arg: Expr; limit: number };

export type ExprLike = Expr | number;

export function lit(value: number): Expr {
  if (!Number.isSafeInteger(value))
    throw new Error(`expression constant must be an integer, got ${value}`);
  return { kind: 'const', value };
}

export function ref(name: string): Expr {
  return { kind: 'param', name };
}

export function toExpr(value: ExprLike): Expr {
  return typeof value === 'number' ? lit(value) : value;
}

export const add = (left: ExprLike, right: ExprLike): Expr => ({
  kind: 'binary',
  op: '+',
  left: toExpr(left),
  right: toExpr(right),
});
export const sub = (left: ExprLike, right: ExprLike): Expr => ({
  kind: 'binary',
  op: '-',
  left: toExpr(left),
  right: toExpr(right),
});
export const mul = (left: ExprLike, right: ExprLike): Expr => ({
  kind: 'binary',
  op: '*',
  left: toExpr(left),
  right: toExpr(right),
});
/** Integer division, rounding down (operands are non-negative, as widths and counts are). */
export const div = (left: ExprLike, right: ExprLike): Expr => ({
  kind: 'binary',
  op: '/',
  left: toExpr(left),
  right: toExpr(right),
});
/** ceil(left / right) for non-negative operands. */
export const ceilDiv = (left: ExprLike, right: ExprLike): Expr =>
  div(sub(add(left, right), 1), right);
/** Verilog $clog2: ceil(log2(x)), 0 for x <= 1. */
export const clog2 = (arg: ExprLike): Expr => ({ kind: 'clog2', arg: toExpr(arg) });
/** The larger of two values, rendered as a conditional (Verilog-2005 has no max function). */
export const max = (left: ExprLike, right: ExprLike): Expr => ({
  kind: 'max',
  left: toExpr(left),
  right: toExpr(right),
});
/** The smaller of two values, rendered as a conditional. */
export const min = (left: ExprLike, right: ExprLike): Expr => ({
  kind: 'min',
  left: toExpr(left),
  right: toExpr(right),
});
/**
 * The largest divisor of `arg` that is at most `limit` (a constant): a radix digit width that splits
 * a value width into whole digits. Rendered as a chain of conditionals on `arg % d`.
 */
export const largestDivisor = (arg: ExprLike, limit: number): Expr => {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new Error(`divisor limit must be a positive integer, got ${limit}`);
  return { kind: 'divisor', arg: toExpr(arg), limit };
};

/** Width of an address of `depth` words: clog2(depth), but at least 1 bit so a one-word memory has a port. */
export const addressWidth = (depth: ExprLike): Expr => max(clog2(depth), 1);

/** The divisors a `divisor` expression tests, largest first (1, always a divisor, is the default). */
const divisorCandidates = (limit: number): number[] =>
  Array.from({ length: limit - 1 }, (_, i) => limit - i);

const PRECEDENCE = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;

export function renderExpr(expr: Expr, parentPrecedence = 0): string {
  switch (expr.kind) {
    case 'const':
      return String(expr.value);
    case 'param':
      return expr.name;
    case 'clog2':
      return `$clog2(${renderExpr(expr.arg)})`;
    case 'max':
    case 'min': {
      const [left, right] = [renderExpr(expr.left, 3), renderExpr(expr.right, 3)];
      return `((${left} ${expr.kind === 'max' ? '>' : '<'} ${right}) ? ${left} : ${right})`;
    }
    case 'divisor': {
      const arg = renderExpr(expr.arg, 3);
      const tests = divisorCandidates(expr.limit).map((d) => `(${arg} % ${d} == 0) ? ${d} : `);
      return `(${tests.join('')}1)`;
    }
    case 'binary': {
      const precedence = PRECEDENCE[expr.op];
      // The right operand needs parentheses at equal precedence under '-' and '/', and a quotient
      // under '*': a - (b + c), a / (b * c), a * (b / c).
      const quotient = expr.right.kind === 'binary' && expr.right.op === '/';
      const tight = expr.op === '-' || expr.op === '/' || quotient;
      const right = renderExpr(expr.right, tight ? precedence + 1 : precedence);
      const text = `${renderExpr(expr.left, precedence)} ${expr.op} ${right}`;
      return precedence < parentPrecedence ? `(${text})` : text;
    }
  }
}

export type Env = ReadonlyMap<string, number>;

export function evalExpr(expr: Expr, env: Env): number {
  switch (expr.kind) {
    case 'const':
      return expr.value;
    case 'param': {
      const value = env.get(expr.name);
      if (value === undefined) throw new Error(`expression uses unknown parameter ${expr.name}`);
      return value;
    }
    case 'clog2': {
      const arg = evalExpr(expr.arg, env);
      let bits = 0;
      while (2 ** bits < arg) bits += 1;
      return bits;
    }
    case 'max':
      return Math.max(evalExpr(expr.left, env), evalExpr(expr.right, env));
    case 'min':
      return Math.min(evalExpr(expr.left, env), evalExpr(expr.right, env));
    case 'divisor':
      return largestDivisorOf(evalExpr(expr.arg, env), expr.limit);
    case 'binary': {
      const left = evalExpr(expr.left, env);
      const right = evalExpr(expr.right, env);
      switch (expr.op) {
        case '+':
          return left + right;
        case '-':
          return left - right;
        case '*':
          return left * right;
        case '/':
          return Math.floor(left / right);
      }
    }
  }
}

/** Parameter names an expression refers to. */
export function exprParams(expr: Expr): string[] {
  switch (expr.kind) {
    case 'const':
      return [];
    case 'param':
      return [expr.name];
    case 'clog2':
    case 'divisor':
      return exprParams(expr.arg);
    case 'max':
    case 'min':
    case 'binary':
      return [...exprParams(expr.left), ...exprParams(expr.right)];
  }
}

/** Folds an operation whose operands are constants into a constant. */
function folded(expr: Expr): Expr {
  const operands = 'arg' in expr ? [expr.arg] : 'left' in expr ? [expr.left, expr.right] : [];
  const constant = operands.length > 0 && operands.every((operand) => operand.kind === 'const');
  return constant ? lit(evalExpr(expr, new Map())) : expr;
}

/** `expr` with every parameter name replaced by `binding(name)`, constant operations folded. */
export function substitute(expr: Expr, binding: (name: string) => Expr): Expr {
  switch (expr.kind) {
    case 'const':
      return expr;
    case 'param':
      return binding(expr.name);
    case 'clog2':
    case 'divisor':
      return folded({ ...expr, arg: substitute(expr.arg, binding) });
    case 'max':
    case 'min':
    case 'binary':
      return folded({
        ...expr,
        left: substitute(expr.left, binding),
        right: substitute(expr.right, binding),
      });
  }
}
