// Google's partial-response `fields` parameter: "items(id,summary,start),nextSyncToken".

type FieldTree = Map<string, FieldTree | true>;

export function parseFields(spec: string): FieldTree {
  let at = 0;
  const parseList = (): FieldTree => {
    const tree: FieldTree = new Map();
    for (;;) {
      let name = '';
      while (at < spec.length && !',()'.includes(spec[at] as string)) name += spec[at++];
      name = name.trim();
      let sub: FieldTree | true = true;
      if (spec[at] === '(') {
        at++;
        sub = parseList();
        if (spec[at] !== ')') throw new Error('unbalanced parentheses in fields');
        at++;
      }
      if (name) {
        // a/b/c is shorthand for a(b(c))
        const parts = name.split('/');
        let node = tree;
        parts.forEach((part, i) => {
          const last = i === parts.length - 1;
          const existing = node.get(part);
          if (last) {
            node.set(part, existing && existing !== true && sub !== true ? merge(existing, sub) : sub === true ? true : sub);
          } else {
            const child: FieldTree = existing && existing !== true ? existing : new Map();
            node.set(part, child);
            node = child;
          }
        });
      }
      if (spec[at] === ',') {
        at++;
        continue;
      }
      return tree;
    }
  };
  const tree = parseList();
  if (at !== spec.length) throw new Error('unexpected ")" in fields');
  return tree;
}

function merge(a: FieldTree, b: FieldTree): FieldTree {
  const out = new Map(a);
  for (const [k, v] of b) {
    const existing = out.get(k);
    out.set(k, existing && existing !== true && v !== true ? merge(existing, v) : v === true || existing === true ? true : v);
  }
  return out;
}

export function applyFields(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((v) => applyFields(v, tree));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of tree) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    out[key] = sub === true ? v : applyFields(v, sub);
  }
  return out;
}
