// A small OData $filter evaluator: comparisons (eq ne gt ge lt le), and/or/not, parentheses,
// startswith/contains, and lambda any/all over collections — enough for
//   singleValueExtendedProperties/any(ep: ep/id eq '...' and ep/value eq '...')
//   start/dateTime ge '2024-05-01T00:00:00' and type eq 'seriesMaster'

type Token = { kind: 'str' | 'num' | 'ident' | 'punct'; value: string };

export class ODataError extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new ODataError('unterminated string literal');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: 'str', value });
    } else if ('()/,:'.includes(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else if (/[0-9-]/.test(c)) {
      let value = '';
      while (i < text.length && /[0-9.\-:TZ+]/.test(text[i] as string)) value += text[i++];
      tokens.push({ kind: 'num', value });
    } else if (/[A-Za-z_@$]/.test(c)) {
      let value = '';
      while (i < text.length && /[A-Za-z0-9_@$.]/.test(text[i] as string)) value += text[i++];
      tokens.push({ kind: 'ident', value });
    } else {
      throw new ODataError(`unexpected character '${c}'`);
    }
  }
  return tokens;
}

type Expr =
  | { op: 'and' | 'or'; left: Expr; right: Expr }
  | { op: 'not'; inner: Expr }
  | { op: 'cmp'; cmp: string; left: Operand; right: Operand }
  | { op: 'fn'; name: string; args: Operand[] }
  | { op: 'lambda'; path: string[]; quantifier: 'any' | 'all'; variable: string; body: Expr }
  | { op: 'bool'; operand: Operand };

type Operand = { path: string[] } | { literal: unknown };

const COMPARATORS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function parseFilter(text: string): Expr {
  const tokens = tokenize(text);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const next = (): Token => {
    const t = tokens[at++];
    if (!t) throw new ODataError('unexpected end of $filter');
    return t;
  };
  const expect = (value: string): void => {
    const t = next();
    if (t.value !== value) throw new ODataError(`expected '${value}' but found '${t.value}'`);
  };
  const isWord = (t: Token | undefined, word: string): boolean => t?.kind === 'ident' && t.value.toLowerCase() === word;

  const parseOr = (): Expr => {
    let left = parseAnd();
    while (isWord(peek(), 'or')) {
      next();
      left = { op: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Expr => {
    let left = parseUnary();
    while (isWord(peek(), 'and')) {
      next();
      left = { op: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Expr => {
    if (isWord(peek(), 'not')) {
      next();
      return { op: 'not', inner: parseUnary() };
    }
    if (peek()?.value === '(') {
      next();
      const inner = parseOr();
      expect(')');
      return inner;
    }
    const left = parseOperandOrCall();
    if ('op' in left) return left;
    const t = peek();
    if (t?.kind === 'ident' && COMPARATORS.has(t.value.toLowerCase())) {
      next();
      const right = parseOperandOrCall();
      if ('op' in right) throw new ODataError('a comparison needs a value on its right');
      return { op: 'cmp', cmp: t.value.toLowerCase(), left, right };
    }
    return { op: 'bool', operand: left };
  };
  const parseOperandOrCall = (): Operand | Expr => {
    const t = next();
    if (t.kind === 'str') return { literal: t.value };
    if (t.kind === 'num') {
      const n = Number(t.value);
      return { literal: Number.isNaN(n) ? t.value : n };
    }
    if (t.kind !== 'ident') throw new ODataError(`unexpected '${t.value}'`);
    const lower = t.value.toLowerCase();
    if (lower === 'true' || lower === 'false') return { literal: lower === 'true' };
    if (lower === 'null') return { literal: null };
    if ((lower === 'startswith' || lower === 'contains' || lower === 'endswith') && peek()?.value === '(') {
      next();
      const args: Operand[] = [];
      for (;;) {
        const a = parseOperandOrCall();
        if ('op' in a) throw new ODataError('function arguments must be values');
        args.push(a);
        if (peek()?.value === ',') {
          next();
          continue;
        }
        break;
      }
      expect(')');
      return { op: 'fn', name: lower, args };
    }
    const path = [t.value];
    while (peek()?.value === '/') {
      next();
      const seg = next();
      const segLower = seg.value.toLowerCase();
      if ((segLower === 'any' || segLower === 'all') && peek()?.value === '(') {
        next();
        const variable = next().value;
        expect(':');
        const body = parseOr();
        expect(')');
        return { op: 'lambda', path, quantifier: segLower, variable, body };
      }
      path.push(seg.value);
    }
    return { path };
  };

  const expr = parseOr();
  if (at !== tokens.length) throw new ODataError(`unexpected '${tokens[at]?.value}' in $filter`);
  return expr;
}

type Scope = Map<string, unknown>;

function resolve(operand: Operand, item: unknown, scope: Scope): unknown {
  if ('literal' in operand) return operand.literal;
  const [head, ...rest] = operand.path;
  let value: unknown = head !== undefined && scope.has(head) ? scope.get(head) : (item as Record<string, unknown>)?.[head as string];
  for (const key of rest) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

function compare(cmp: string, a: unknown, b: unknown): boolean {
  // Exchange compares strings case-insensitively (property ids, subjects).
  const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);
  const x = norm(a);
  const y = norm(b);
  switch (cmp) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    default: {
      if (x === undefined || x === null || y === undefined || y === null) return false;
      const [p, q] = typeof x === 'number' && typeof y === 'number' ? [x, y] : [String(x), String(y)];
      if (cmp === 'gt') return p > q;
      if (cmp === 'ge') return p >= q;
      if (cmp === 'lt') return p < q;
      return p <= q;
    }
  }
}

export function evaluate(expr: Expr, item: unknown, scope: Scope = new Map()): boolean {
  switch (expr.op) {
    case 'and':
      return evaluate(expr.left, item, scope) && evaluate(expr.right, item, scope);
    case 'or':
      return evaluate(expr.left, item, scope) || evaluate(expr.right, item, scope);
    case 'not':
      return !evaluate(expr.inner, item, scope);
    case 'cmp':
      return compare(expr.cmp, resolve(expr.left, item, scope), resolve(expr.right, item, scope));
    case 'bool':
      return resolve(expr.operand, item, scope) === true;
    case 'fn': {
      const [a, b] = expr.args.map((arg) => resolve(arg, item, scope));
      if (typeof a !== 'string' || typeof b !== 'string') return false;
      const x = a.toLowerCase();
      const y = b.toLowerCase();
      return expr.name === 'startswith' ? x.startsWith(y) : expr.name === 'endswith' ? x.endsWith(y) : x.includes(y);
    }
    case 'lambda': {
      const collection = resolve({ path: expr.path }, item, scope);
      const list = Array.isArray(collection) ? collection : [];
      const test = (element: unknown): boolean => evaluate(expr.body, item, new Map(scope).set(expr.variable, element));
      return expr.quantifier === 'any' ? list.some(test) : list.every(test);
    }
  }
}

/** Parses `singleValueExtendedProperties($filter=id eq '...')` style $expand values. */
export function parseExpand(text: string): Array<{ name: string; filter?: Expr }> {
  const out: Array<{ name: string; filter?: Expr }> = [];
  let depth = 0;
  let current = '';
  const flush = (): void => {
    const item = current.trim();
    current = '';
    if (!item) return;
    const open = item.indexOf('(');
    if (open < 0) {
      out.push({ name: item });
      return;
    }
    const name = item.slice(0, open).trim();
    const inner = item.slice(open + 1, item.lastIndexOf(')'));
    const m = /^\$filter=(.*)$/is.exec(inner.trim());
    out.push(m ? { name, filter: parseFilter(m[1] as string) } : { name });
  };
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) flush();
    else current += c;
  }
  flush();
  return out;
}

export type { Expr };
