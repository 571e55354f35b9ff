/**
 * Validates one XML element against a content model (./schema/content-model.ts): order and
 * cardinality of child elements, attributes, simple types (zod). The result is the element's typed
 * value tree with the line and path of every element, and every rule it breaks, each naming the
 * element path (`report/personOrUserReported/ipCaptureEvent[2]/port`) and its line.
 */
import type { AttributeDef, ElementDef, GroupDef, Particle } from './schema/content-model';
import type { XmlElement } from './xml-units';

export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XMLNS = 'http://www.w3.org/2000/xmlns/';
/** The xsi attributes a document may carry: they point at the schema and change nothing. */
const XSI_ALLOWED = new Set(['noNamespaceSchemaLocation', 'schemaLocation']);

export interface Issue {
  path: string;
  line: number;
  message: string;
}

/** A valid element: its typed text (simple content), its typed attributes, its children. */
export interface Node {
  name: string;
  path: string;
  line: number;
  value?: unknown;
  attrs: Record<string, unknown>;
  children: Node[];
}

export function formatIssue(i: Issue): string {
  return `line ${i.line}: ${i.path}: ${i.message}`;
}

/** Validates `element` as `def`; the node is only meaningful when no issue was added. */
export function validateElement(element: XmlElement, def: ElementDef, path: string, issues: Issue[]): Node {
  const node: Node = { name: element.name, path, line: element.line, attrs: {}, children: [] };
  if (element.uri !== '') {
    issues.push({ path, line: element.line, message: `is in the XML namespace ${element.uri}; NCMEC's schema elements have no namespace` });
    return node;
  }
  validateAttributes(element, def.type.attributes, node, issues);
  const type = def.type;
  const hasText = element.text.trim() !== '';
  if (type.content === 'simple') {
    if (element.children.length > 0) {
      issues.push({ path, line: element.children[0].line, message: `holds a value, not elements (found <${element.children[0].name}>)` });
      return node;
    }
    const parsed = type.value.safeParse(element.text);
    if (parsed.success) node.value = parsed.data;
    else issues.push({ path, line: element.line, message: parsed.error.issues[0]?.message ?? 'invalid value' });
    return node;
  }
  if (hasText) issues.push({ path, line: element.line, message: 'holds elements only, not text' });
  if (type.content === 'empty') {
    if (element.children.length > 0) issues.push({ path, line: element.children[0].line, message: `must be empty (found <${element.children[0].name}>)` });
    return node;
  }
  // Elements the model does not have at all are reported as such, and left out of the matching,
  // so that one stray element does not also read as "the next required one is missing".
  const known = namesIn(type.group);
  const strangers = element.children.filter((c) => !known.has(c.name));
  for (const extra of strangers) {
    issues.push({ path: `${path}/${extra.name}`, line: extra.line, message: `is not an element of <${element.name}> in NCMEC's schema` });
  }
  const m = new Matcher({ ...element, children: element.children.filter((c) => known.has(c.name)) }, path, issues, node);
  m.group(type.group);
  const rest = m.rest();
  if (rest) {
    issues.push({
      path: `${path}/${rest.name}`,
      line: rest.line,
      message: `is out of order or repeated too often: in NCMEC's schema <${element.name}> holds ${[...known].join(', ')} in that order`,
    });
  }
  return node;
}

function validateAttributes(element: XmlElement, defs: AttributeDef[], node: Node, issues: Issue[]): void {
  const byName = new Map(defs.map((d) => [d.name, d]));
  for (const a of element.attributes) {
    if (a.uri === XMLNS || a.name === 'xmlns') continue; // a namespace declaration, not an attribute
    const at = `${node.path}/@${a.name}`;
    if (a.uri === XSI) {
      if (!XSI_ALLOWED.has(a.local))
        issues.push({ path: at, line: element.line, message: 'is not supported: only xsi:noNamespaceSchemaLocation and xsi:schemaLocation' });
      continue;
    }
    const def = a.uri === '' ? byName.get(a.name) : undefined;
    if (!def) {
      issues.push({ path: at, line: element.line, message: `is not an attribute of <${element.name}> in NCMEC's schema` });
      continue;
    }
    const parsed = def.type.safeParse(a.value);
    if (parsed.success) node.attrs[a.name] = parsed.data;
    else issues.push({ path: at, line: element.line, message: parsed.error.issues[0]?.message ?? 'invalid value' });
  }
  for (const d of defs) {
    if (d.required && !(d.name in node.attrs) && !element.attributes.some((a) => a.uri === '' && a.name === d.name)) {
      issues.push({ path: `${node.path}/@${d.name}`, line: element.line, message: "is required by NCMEC's schema" });
    }
  }
}

/** Element names a particle can start with. */
function firstNames(p: Particle): Set<string> {
  if (p.kind === 'element') return new Set([p.name]);
  const names = new Set<string>();
  if (p.kind === 'sequence') {
    for (const item of p.items) {
      for (const n of firstNames(item)) names.add(n);
      if (!emptiable(item)) break;
    }
  } else for (const item of p.items) for (const n of firstNames(item)) names.add(n);
  return names;
}

function emptiable(p: Particle): boolean {
  if (p.min === 0) return true;
  if (p.kind === 'element') return false;
  return p.kind === 'choice' ? p.items.some(emptiable) : p.items.every(emptiable);
}

function namesIn(g: GroupDef, into = new Set<string>()): Set<string> {
  for (const item of g.items) {
    if (item.kind === 'element') into.add(item.name);
    else namesIn(item, into);
  }
  return into;
}

/** Walks a deterministic content model (NCMEC's is: each next element decides the branch) over the children. */
class Matcher {
  i = 0;
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly parent: XmlElement,
    private readonly path: string,
    private readonly issues: Issue[],
    private readonly node: Node,
  ) {}

  /** The first child the model had no place for, if any. */
  rest(): XmlElement | undefined {
    return this.parent.children[this.i];
  }

  private get next(): XmlElement | undefined {
    return this.parent.children[this.i];
  }

  private take(def: ElementDef): void {
    const child = this.parent.children[this.i++];
    const n = (this.seen.get(def.name) ?? 0) + 1;
    this.seen.set(def.name, n);
    const childPath = `${this.path}/${def.name}${def.max > 1 ? `[${n}]` : ''}`;
    this.node.children.push(validateElement(child, def, childPath, this.issues));
  }

  private missing(name: string): void {
    this.issues.push({ path: `${this.path}/${name}`, line: this.next?.line ?? this.parent.line, message: "is missing: NCMEC's schema requires it here" });
  }

  group(g: GroupDef): void {
    for (let rep = 0; rep < g.max; rep++) {
      const before = this.i;
      if (g.kind === 'sequence') for (const item of g.items) this.particle(item);
      else if (g.kind === 'choice') this.choice(g, rep < g.min);
      else this.all(g);
      if (this.i === before) break; // nothing more this group can take
    }
  }

  private particle(p: Particle): void {
    if (p.kind !== 'element') return this.group(p);
    let count = 0;
    while (count < p.max && this.next?.name === p.name) {
      this.take(p);
      count++;
    }
    // Present further on: the element before it is the one out of place, and is reported as such.
    const later = this.parent.children.slice(this.i).some((c) => c.name === p.name);
    if (count < p.min && !later) this.missing(p.name);
  }

  private choice(g: GroupDef, required: boolean): void {
    const next = this.next;
    const branch = next ? g.items.find((item) => firstNames(item).has(next.name)) : undefined;
    if (branch) return this.particle(branch);
    if (required && !g.items.some(emptiable)) {
      this.issues.push({
        path: this.path,
        line: next?.line ?? this.parent.line,
        message: `needs one of ${[...namesIn(g)].map((n) => `<${n}>`).join(', ')}`,
      });
    }
  }

  private all(g: GroupDef): void {
    const defs = new Map<string, ElementDef>();
    for (const item of g.items) if (item.kind === 'element') defs.set(item.name, item);
    const counts = new Map<string, number>();
    for (let next = this.next; next && defs.has(next.name); next = this.next) {
      const def = defs.get(next.name)!;
      const n = (counts.get(def.name) ?? 0) + 1;
      counts.set(def.name, n);
      if (n > def.max) {
        this.issues.push({ path: `${this.path}/${def.name}`, line: next.line, message: 'appears more than once' });
        this.i++;
        continue;
      }
      this.take(def);
    }
    for (const def of defs.values()) if ((counts.get(def.name) ?? 0) < def.min) this.missing(def.name);
  }
}

// ---- Reading a valid node

export const child = (n: Node, name: string): Node | undefined => n.children.find((c) => c.name === name);
export const childrenNamed = (n: Node, name: string): Node[] => n.children.filter((c) => c.name === name);
