/** intake/tips.ts: one tip, an array or NDJSON; every result names its position and the file line it starts on. */
import fs from 'node:fs';
import path from 'node:path';
import { TipSourceError, parseTips, tipWhere } from '../../intake/tips';

const tip = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'tips', 'domestic-arrest.json'), 'utf8')) as Record<string, unknown>;
const bad = { ...tip, ncmecReportNumber: 'x' };

describe('tip files (intake/tips.ts)', () => {
  it('numbers NDJSON tips by their line in the file, blank lines included', () => {
    const text = ['', JSON.stringify(tip), '', '  ', '{not json', JSON.stringify(bad), ''].join('\n');
    const { format, entries } = parseTips(text);
    expect(format).toBe('ndjson');
    expect(entries.map((e) => [e.position, e.line, 'error' in e ? e.error : 'ok'])).toEqual([
      [1, 2, 'ok'],
      [2, 5, 'not valid JSON'],
      [3, 6, 'ncmecReportNumber: must be 5 to 12 digits'],
    ]);
    expect(tipWhere(entries[2], format)).toBe('tip 3 (line 6)');
  });

  it('gives the line each element of a pretty-printed array starts on, and a lone tip as tip 1', () => {
    const text = `\n${JSON.stringify([tip, bad], null, 2)}\n`;
    const { format, entries } = parseTips(text);
    const lines = text.split('\n');
    expect(format).toBe('array');
    expect(entries.map((e) => e.line)).toEqual([3, lines.findIndex((l, i) => i > 3 && l === '  {') + 1]);
    const single = parseTips(JSON.stringify(bad));
    expect(single.format).toBe('json');
    expect(tipWhere(single.entries[0], single.format)).toBe('tip 1');
  });

  it('refuses input that is not tips at all', () => {
    expect(() => parseTips('  \n')).toThrow(new TipSourceError('the input is empty'));
    expect(() => parseTips('[]')).toThrow('no tips in the input');
    expect(() => parseTips('{"a": ')).toThrow('not valid JSON (expected a tip, an array of tips, or one tip per line)');
  });
});
