/**
 * Checks ./model.ts against an NCMEC XSD file: the same elements in the same order and groups, the
 * same cardinalities and attributes, and simple types that accept what the XSD's accept (each
 * enumeration value) and refuse what they refuse. For when NCMEC publishes a new schema revision:
 *
 *   node dist/intake/ncmec/schema/compare-xsd.js path/to/cyber_tipline.xsd
 *
 * prints every difference and exits 1 if there is one (0 if none, 2 on a bad argument).
 */
import fs from 'node:fs';
import type { ElementDef, GroupDef, Particle, TypeDef } from './content-model';
import { FILE_DETAILS, REPORT } from './model';
import type { SimpleType } from './simple-types';
import { readXmlUnits, type XmlElement } from '../xml-units';

const XS = 'http://www.w3.org/2001/XMLSchema';

/** One line per fact: `path occurs`, `path group`, `path/@attr required`, and the simple types to probe. */
interface Facts {
  lines: Set<string>;
  simple: Map<string, SimpleSpec>;
}

/** What an XSD says a simple type accepts. */
interface SimpleSpec {
  base: string;
  enumeration?: string[];
  pattern?: string;
  fixed?: string;
}

const occurs = (min: number, max: number): string => `${min}..${max === Infinity ? 'n' : max}`;

// ---- the model

function modelFacts(): Facts {
  const facts: Facts = { lines: new Set(), simple: new Map() };
  for (const root of [REPORT, FILE_DETAILS]) modelElement(root, root.name, facts);
  return facts;
}

function modelGroup(g: GroupDef): string {
  return `${g.kind}${g.min !== 1 || g.max !== 1 ? `{${occurs(g.min, g.max)}}` : ''}(${g.items.map((p: Particle) => (p.kind === 'element' ? p.name : modelGroup(p))).join(',')})`;
}

function modelElement(def: ElementDef, path: string, facts: Facts): void {
  facts.lines.add(`${path} ${occurs(def.min, def.max)}`);
  modelType(def.type, path, facts);
}

function modelType(type: TypeDef, path: string, facts: Facts): void {
  for (const a of type.attributes) facts.lines.add(`${path}/@${a.name}${a.required ? ' required' : ''}`);
  if (type.content === 'simple') facts.lines.add(`${path} text`);
  if (type.content === 'empty') facts.lines.add(`${path} empty`);
  if (type.content !== 'elements') return;
  facts.lines.add(`${path} ${modelGroup(type.group)}`);
  const walk = (g: GroupDef): void => {
    for (const p of g.items)
      if (p.kind === 'element') modelElement(p, `${path}/${p.name}`, facts);
      else walk(p);
  };
  walk(type.group);
}

/** The model's simple type at each path, to probe with the XSD's values. */
function modelSimpleTypes(): Map<string, SimpleType> {
  const out = new Map<string, SimpleType>();
  const el = (def: ElementDef, path: string): void => {
    for (const a of def.type.attributes) out.set(`${path}/@${a.name}`, a.type);
    if (def.type.content === 'simple') out.set(path, def.type.value);
    if (def.type.content === 'elements') {
      const walk = (g: GroupDef): void => {
        for (const p of g.items)
          if (p.kind === 'element') el(p, `${path}/${p.name}`);
          else walk(p);
      };
      walk(def.type.group);
    }
  };
  el(REPORT, 'report');
  el(FILE_DETAILS, 'fileDetails');
  return out;
}

// ---- the XSD

class Xsd {
  readonly elements = new Map<string, XmlElement>();
  readonly complexTypes = new Map<string, XmlElement>();
  readonly simpleTypes = new Map<string, XmlElement>();

  constructor(schema: XmlElement) {
    for (const c of schema.children) {
      const name = attr(c, 'name');
      if (!name) continue;
      if (local(c) === 'element') this.elements.set(name, c);
      if (local(c) === 'complexType') this.complexTypes.set(name, c);
      if (local(c) === 'simpleType') this.simpleTypes.set(name, c);
    }
  }
}

const local = (e: XmlElement): string => (e.uri === XS ? e.name.replace(/^.*:/, '') : `{${e.uri}}${e.name}`);
const attr = (e: XmlElement, name: string): string | undefined => e.attributes.find((a) => a.name === name && a.uri === '')?.value;
const kids = (e: XmlElement, name: string): XmlElement[] => e.children.filter((c) => local(c) === name);
const kid = (e: XmlElement, name: string): XmlElement | undefined => kids(e, name)[0];
const xsOccurs = (e: XmlElement): string => {
  const max = attr(e, 'maxOccurs') ?? '1';
  return occurs(Number(attr(e, 'minOccurs') ?? '1'), max === 'unbounded' ? Infinity : Number(max));
};

function xsdFacts(xsd: Xsd): Facts {
  const facts: Facts = { lines: new Set(), simple: new Map() };
  for (const root of ['report', 'fileDetails']) xsdElement(xsd, xsd.elements.get(root)!, root, facts);
  return facts;
}

function xsdElement(xsd: Xsd, decl: XmlElement, path: string, facts: Facts, occ?: string): void {
  const ref = attr(decl, 'ref');
  const target = ref ? xsd.elements.get(ref)! : decl;
  facts.lines.add(`${path} ${occ ?? xsOccurs(decl)}`);
  const typeName = attr(target, 'type');
  const inline = kid(target, 'complexType') ?? kid(target, 'simpleType');
  const fixed = attr(target, 'fixed');
  if (typeName && xsd.complexTypes.has(typeName)) xsdComplex(xsd, xsd.complexTypes.get(typeName)!, path, facts);
  else if (inline && local(inline) === 'complexType') xsdComplex(xsd, inline, path, facts);
  else {
    facts.lines.add(`${path} text`);
    facts.simple.set(path, { ...xsdSimple(xsd, typeName, inline), ...(fixed ? { fixed } : {}) });
  }
}

function xsdSimple(xsd: Xsd, typeName: string | undefined, inline?: XmlElement): SimpleSpec {
  const node = inline ?? (typeName ? xsd.simpleTypes.get(typeName) : undefined);
  if (!node) return { base: typeName ?? 'xs:string' };
  const r = kid(node, 'restriction')!;
  const values = kids(r, 'enumeration').map((e) => attr(e, 'value')!);
  const p = kid(r, 'pattern');
  return { base: attr(r, 'base')!, ...(values.length ? { enumeration: values } : {}), ...(p ? { pattern: attr(p, 'value') } : {}) };
}

function xsdComplex(xsd: Xsd, type: XmlElement, path: string, facts: Facts): void {
  const ext = kid(type, 'simpleContent') ? kid(kid(type, 'simpleContent')!, 'extension') : undefined;
  const attrsFrom = ext ?? type;
  for (const a of kids(attrsFrom, 'attribute')) {
    facts.lines.add(`${path}/@${attr(a, 'name')}${attr(a, 'use') === 'required' ? ' required' : ''}`);
    facts.simple.set(`${path}/@${attr(a, 'name')}`, xsdSimple(xsd, attr(a, 'type'), kid(a, 'simpleType')));
  }
  if (ext) {
    facts.lines.add(`${path} text`);
    facts.simple.set(path, xsdSimple(xsd, attr(ext, 'base')));
    return;
  }
  const group = ['sequence', 'choice', 'all'].map((g) => kid(type, g)).find(Boolean);
  if (!group) return void facts.lines.add(`${path} empty`);
  const describe = (g: XmlElement): string => {
    const o = xsOccurs(g);
    return `${local(g)}${o !== '1..1' ? `{${o}}` : ''}(${g.children
      .filter((c) => ['element', 'sequence', 'choice', 'all'].includes(local(c)))
      .map((c) => (local(c) === 'element' ? (attr(c, 'name') ?? attr(c, 'ref')!) : describe(c)))
      .join(',')})`;
  };
  facts.lines.add(`${path} ${describe(group)}`);
  const walk = (g: XmlElement): void => {
    for (const c of g.children) {
      if (local(c) === 'element') xsdElement(xsd, c, `${path}/${attr(c, 'name') ?? attr(c, 'ref')}`, facts);
      else if (['sequence', 'choice', 'all'].includes(local(c))) walk(c);
    }
  };
  walk(group);
}

// ---- probing simple types

const SAMPLES: Record<string, { valid: string[]; invalid: string[] }> = {
  'xs:string': { valid: ['any text', ''], invalid: [] },
  'xs:token': { valid: ['f-1'], invalid: [] },
  'xs:boolean': { valid: ['true', 'false', '1', '0'], invalid: ['yes', 'TRUE'] },
  'xs:dateTime': {
    valid: ['2012-10-15T08:00:00-07:00', '2026-10-30T21:14:00Z', '2026-10-30T21:14:00.5Z', '2026-10-30T21:14:00'],
    invalid: ['2026-10-30', 'yesterday', '2026-13-01T00:00:00Z'],
  },
  'xs:date': { valid: ['2010-04-01', '2010-04-01Z'], invalid: ['2010-04-31', '04/01/2010'] },
  'xs:long': { valid: ['190000001', '-5', '9223372036854775807'], invalid: ['1.5', 'x', '9223372036854775808'] },
  'xs:int': { valid: ['42', '-1'], invalid: ['2147483648', 'forty'] },
  'xs:double': { valid: ['39.96', '-82.99', '1e3', 'INF'], invalid: ['north'] },
};

function probe(spec: SimpleSpec, type: SimpleType): string[] {
  const problems: string[] = [];
  const accepts = (v: string): boolean => type.safeParse(v).success;
  if (spec.fixed !== undefined) {
    if (!accepts('') || !accepts(spec.fixed)) problems.push(`refuses the fixed value ${spec.fixed} or the empty element`);
    if (accepts('false')) problems.push('accepts false where the schema fixes true');
    return problems;
  }
  if (spec.enumeration) {
    for (const v of spec.enumeration) if (!accepts(v)) problems.push(`refuses the enumerated value '${v}'`);
    if (accepts('not-an-enumerated-value')) problems.push('accepts a value outside the enumeration');
    return problems;
  }
  if (spec.pattern) {
    if (accepts('not matching ~')) problems.push(`accepts a value outside the pattern ${spec.pattern}`);
    return problems;
  }
  const samples = SAMPLES[spec.base];
  if (!samples) return [`has base type ${spec.base}, which this check has no samples for`];
  for (const v of samples.valid) if (!accepts(v)) problems.push(`refuses '${v}', a valid ${spec.base}`);
  for (const v of samples.invalid) if (accepts(v)) problems.push(`accepts '${v}', not a valid ${spec.base}`);
  return problems;
}

export async function compareWithXsd(xsdText: string): Promise<string[]> {
  let schema: XmlElement | undefined;
  for await (const ev of readXmlUnits([xsdText], { batchRoots: [], maxUnitChars: 64 * 1024 * 1024 })) {
    if (ev.kind === 'fatal') throw new Error(`the XSD is not readable: line ${ev.line}: ${ev.message}`);
    if (ev.kind === 'unit') schema = ev.element;
  }
  if (!schema || local(schema) !== 'schema') throw new Error('not an XML Schema document');
  const xsd = new Xsd(schema);
  const theirs = xsdFacts(xsd);
  const ours = modelFacts();
  const diffs: string[] = [];
  for (const l of theirs.lines) if (!ours.lines.has(l)) diffs.push(`XSD has, model lacks: ${l}`);
  for (const l of ours.lines) if (!theirs.lines.has(l)) diffs.push(`model has, XSD lacks: ${l}`);
  const types = modelSimpleTypes();
  for (const [path, spec] of theirs.simple) {
    const type = types.get(path);
    if (type) for (const p of probe(spec, type)) diffs.push(`${path}: the model ${p}`);
  }
  return diffs;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/intake/ncmec/schema/compare-xsd.js FILE.xsd\n');
    process.exit(2);
  }
  compareWithXsd(fs.readFileSync(file, 'utf8')).then(
    (diffs) => {
      for (const d of diffs) process.stdout.write(`${d}\n`);
      process.stdout.write(diffs.length === 0 ? 'the model matches the XSD\n' : `${diffs.length} differences\n`);
      process.exit(diffs.length === 0 ? 0 : 1);
    },
    (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    },
  );
}
