// The stylesheet's rules close where they end. A missing "}" is not an error to the browser: with
// CSS nesting, every rule after it silently becomes a descendant rule of the unclosed one (the
// Inbox badge and everything below it once only applied inside a `.link-button`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const dir = join(__dirname, '../../../src-renderer/src/styles');

/** Line numbers of the blocks left open at the end, and of closings without an opening. */
function unbalanced(css: string): { open: number[]; stray: number[] } {
  // Comments and strings may hold braces; blank them out, keeping the line count.
  const code = css.replace(/\/\*[\s\S]*?\*\/|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, (m) => m.replace(/[^\n]/g, ' '));
  const open: number[] = [];
  const stray: number[] = [];
  let line = 1;
  for (const ch of code) {
    if (ch === '\n') line++;
    else if (ch === '{') open.push(line);
    else if (ch === '}' && open.pop() === undefined) stray.push(line);
  }
  return { open, stray };
}

it('finds an unclosed rule and a stray brace', () => {
  expect(unbalanced('.a {\n  color: red;\n\n.b { color: blue; }\n')).toEqual({ open: [1], stray: [] });
  expect(unbalanced('.a { content: "}"; }\n}\n/* { */')).toEqual({ open: [], stray: [2] });
});

it('every stylesheet of the renderer is balanced', () => {
  const sheets = readdirSync(dir).filter((f) => f.endsWith('.css'));
  expect(sheets.length).toBeGreaterThan(0);
  for (const f of sheets) expect(unbalanced(readFileSync(join(dir, f), 'utf8')), f).toEqual({ open: [], stray: [] });
});
