// Expressions of assembler operands and data directives: integers, symbols, `.` (the location counter),
// C operators and precedence. A value is a constant or a symbol/section start plus a constant.

export type ValueBase = { readonly kind: 'symbol'; readonly name: string } | { readonly kind: 'section'; readonly name: string };

export interface Value {
  readonly addend: number;
  readonly base?: ValueBase;
}

/** An expression could not be evaluated; `offset` is the 0-based position in the expression text. */
export class ExpressionError extends Error {
  override name = 'ExpressionError';
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

type Token = { kind: 'num'; value: number; at: number } | { kind: 'id'; name: string; at: number } | { kind: 'op'; op: string; at: number } | { kind: 'end'; at: number };

const OPS = ['<<', '>>', '+', '-', '*', '/', '%', '&', '|', '^', '~', '(', ')'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const num = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)/.exec(rest);
    if (num !== null) {
      const literal = num[1]!;
      if (/^[0-9]/.test(rest) && /^[0-9]+[a-zA-Z_]/.test(rest) && !/^0[xXbB]/.test(rest)) throw new ExpressionError(i, `malformed number '${/^\w+/.exec(rest)![0]}'`);
      const value = /^0[bB]/.test(literal) ? parseInt(literal.slice(2), 2) : Number(literal);
      tokens.push({ kind: 'num', value, at: i });
      i += literal.length;
      continue;
    }
    const char = /^'(\\?.)'/.exec(rest);
    if (char !== null) {
      const body = char[1]!;
      const value = body.length === 2 ? ({ n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39 } as Record<string, number>)[body[1]!] : body.charCodeAt(0);
      if (value === undefined) throw new ExpressionError(i, `unknown escape '${body}'`);
      tokens.push({ kind: 'num', value, at: i });
      i += char[0].length;
      continue;
    }
    const id = /^[A-Za-z_.$][A-Za-z0-9_.$]*/.exec(rest);
    if (id !== null) {
      tokens.push({ kind: 'id', name: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op === undefined) throw new ExpressionError(i, `unexpected character '${c}'`);
    tokens.push({ kind: 'op', op, at: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

const binaryPrecedence: Record<string, number> = { '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };

/** Resolves a symbol name to a value, or undefined when unknown (the caller decides: external or error). */
export type SymbolResolver = (name: string) => Value | undefined;

const constant = (addend: number): Value => ({ addend });

function combine(op: string, a: Value, b: Value, at: number): Value {
  if (op === '+') {
    if (a.base !== undefined && b.base !== undefined) throw new ExpressionError(at, 'cannot add two symbols');
    const base = a.base ?? b.base;
    return base === undefined ? constant(a.addend + b.addend) : { addend: a.addend + b.addend, base };
  }
  if (op === '-') {
    if (b.base !== undefined) {
      if (a.base !== undefined && a.base.kind === b.base.kind && a.base.name === b.base.name) return constant(a.addend - b.addend);
      throw new ExpressionError(at, 'can only subtract a symbol from a symbol of the same section');
    }
    return a.base === undefined ? constant(a.addend - b.addend) : { addend: a.addend - b.addend, base: a.base };
  }
  if (a.base !== undefined || b.base !== undefined) throw new ExpressionError(at, `operator '${op}' needs constant operands`);
  const x = a.addend;
  const y = b.addend;
  switch (op) {
    case '*':
      return constant(x * y);
    case '/':
    case '%':
      if (y === 0) throw new ExpressionError(at, 'division by zero');
      return constant(op === '/' ? Math.trunc(x / y) : x % y);
    case '<<':
      return constant(Number(BigInt.asIntN(64, BigInt(x) << BigInt(y))));
    case '>>':
      return constant(Math.floor(x / 2 ** y));
    case '&':
      return constant(Number(BigInt(x) & BigInt(y)));
    case '|':
      return constant(Number(BigInt(x) | BigInt(y)));
    default:
      return constant(Number(BigInt(x) ^ BigInt(y)));
  }
}

/** Evaluates `text`; unknown symbols become external symbol references unless `resolve` throws. */
export function evaluate(text: string, resolve: SymbolResolver): Value {
  const tokens = tokenize(text);
  let position = 0;
  const peek = (): Token => tokens[position]!;

  function primary(): Value {
    const token = tokens[position++]!;
    if (token.kind === 'num') return constant(token.value);
    if (token.kind === 'id') return resolve(token.name) ?? { addend: 0, base: { kind: 'symbol', name: token.name } };
    if (token.kind === 'op') {
      if (token.op === '(') {
        const inner = binary(0);
        const close = tokens[position++]!;
        if (close.kind !== 'op' || close.op !== ')') throw new ExpressionError(close.at, "missing ')'");
        return inner;
      }
      if (token.op === '-' || token.op === '+' || token.op === '~') {
        const operand = primary();
        if (token.op === '+') return operand;
        if (operand.base !== undefined) throw new ExpressionError(token.at, `operator '${token.op}' needs a constant operand`);
        return constant(token.op === '-' ? -operand.addend : Number(~BigInt(operand.addend)));
      }
    }
    throw new ExpressionError(token.at, token.kind === 'end' ? 'expression ends early' : 'expected a number, a symbol or (');
  }

  function binary(minPrecedence: number): Value {
    let left = primary();
    for (;;) {
      const token = peek();
      if (token.kind !== 'op') break;
      const precedence = binaryPrecedence[token.op];
      if (precedence === undefined || precedence < minPrecedence) break;
      position++;
      const right = binary(precedence + 1);
      left = combine(token.op, left, right, token.at);
    }
    return left;
  }

  const value = binary(0);
  const rest = peek();
  if (rest.kind !== 'end') throw new ExpressionError(rest.at, `unexpected '${text.slice(rest.at)}'`);
  return value;
}
