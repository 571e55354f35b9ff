/**
 * Reads an XML file as a stream of small documents ("units"): the root element itself, or, under a
 * batch root (`<receivedReports>`), each of its children in turn. Only the unit being read is held in
 * memory, so a file of 10,000 reports costs what one report costs. Positions are kept (line of each
 * start tag) for messages people can act on.
 *
 * The parser is saxes: strict XML 1.0 well-formedness, namespaces, no DTD processing (a DOCTYPE is
 * refused outright, so no entity can expand or reach outside the file).
 */
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';

export interface XmlAttribute {
  /** Qualified name as written (`xsi:noNamespaceSchemaLocation`). */
  name: string;
  local: string;
  uri: string;
  value: string;
}

export interface XmlElement {
  name: string;
  /** Namespace URI ('' for none: NCMEC's schema has no target namespace). */
  uri: string;
  line: number;
  attributes: XmlAttribute[];
  /** Text and CDATA, concatenated. */
  text: string;
  children: XmlElement[];
}

export type XmlEvent =
  /** The root element opened (its children are not read yet). */
  | { kind: 'root'; element: XmlElement }
  | { kind: 'unit'; element: XmlElement }
  /** A unit larger than the limit: skipped whole, the rest of the file is still read. */
  | { kind: 'oversized'; name: string; line: number; chars: number }
  /** The file cannot be read on (not well-formed, not UTF-8, a DOCTYPE): nothing after this. */
  | { kind: 'fatal'; line: number; message: string };

export interface XmlUnitOptions {
  /** Root elements whose children are the units (a batch); any other root is a unit itself. */
  batchRoots: readonly string[];
  /** Largest unit, in characters of text and markup names (a report with its files' details is a few kB). */
  maxUnitChars?: number;
  maxDepth?: number;
}

export const DEFAULT_MAX_UNIT_CHARS = 16 * 1024 * 1024;

class Fatal extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Splits `chunks` into units as they arrive; pulls the next chunk only when the consumer asks (back-pressure). */
export async function* readXmlUnits(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  opts: XmlUnitOptions,
): AsyncGenerator<XmlEvent> {
  const maxUnitChars = opts.maxUnitChars ?? DEFAULT_MAX_UNIT_CHARS;
  const maxDepth = opts.maxDepth ?? 64;
  const parser = new SaxesParser({ xmlns: true, position: true });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: XmlEvent[] = [];
  const stack: XmlElement[] = [];
  let tagLine = 1;
  let batch = false;
  let sawRoot = false;
  // The unit being collected: its depth in `stack`, its size so far, and whether it outgrew the limit.
  let unitDepth = -1;
  let unitChars = 0;
  let oversized = false;
  let fatal: Fatal | undefined;

  const fail = (line: number, message: string): never => {
    throw new Fatal(line, message);
  };

  parser.on('xmldecl', (decl) => {
    if (decl.encoding && !/^utf-?8$/i.test(decl.encoding)) fail(parser.line, `the XML declaration says encoding ${decl.encoding}: NCMEC reports are UTF-8`);
  });
  parser.on('doctype', () => fail(parser.line, 'a DOCTYPE is not allowed in a report'));
  parser.on('opentagstart', () => {
    tagLine = parser.line;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const depth = stack.length;
    if (depth >= maxDepth) fail(tagLine, `elements nested deeper than ${maxDepth}`);
    const element: XmlElement = {
      name: tag.name,
      uri: tag.uri,
      line: tagLine,
      attributes: Object.values(tag.attributes).map((a: SaxesAttributeNS) => ({ name: a.name, local: a.local, uri: a.uri, value: a.value })),
      text: '',
      children: [],
    };
    if (depth === 0) {
      sawRoot = true;
      batch = opts.batchRoots.includes(tag.name);
      out.push({ kind: 'root', element });
    }
    const startsUnit = (depth === 0 && !batch) || (depth === 1 && batch);
    if (startsUnit) {
      unitDepth = depth;
      unitChars = 0;
      oversized = false;
    }
    if (unitDepth >= 0 && !oversized) {
      unitChars += tag.name.length + element.attributes.reduce((n, a) => n + a.name.length + a.value.length, 0);
      if (unitChars > maxUnitChars) oversized = true;
      else if (depth > unitDepth) stack[depth - 1].children.push(element);
    }
    stack.push(element);
  });
  const onText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (!top) return; // whitespace around the root
    if (unitDepth < 0 || oversized) return;
    unitChars += t.length;
    if (unitChars > maxUnitChars) oversized = true;
    else top.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const element = stack.pop()!;
    if (stack.length === unitDepth) {
      out.push(oversized ? { kind: 'oversized', name: element.name, line: element.line, chars: unitChars } : { kind: 'unit', element });
      unitDepth = -1;
    }
  });
  parser.on('error', (err: Error) => {
    // saxes prefixes its messages with the position: keep the message, report the line ourselves.
    fail(parser.line, `not well-formed XML: ${err.message.replace(/^\d+:\d+:\s*/, '')}`);
  });

  const feed = (text: string | null): void => {
    try {
      if (text === null) parser.close();
      else parser.write(text);
    } catch (err) {
      fatal = err instanceof Fatal ? err : new Fatal(parser.line, `not well-formed XML: ${(err as Error).message}`);
    }
  };

  for await (const chunk of chunks) {
    let text: string;
    try {
      text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    } catch {
      fatal = new Fatal(parser.line, 'not UTF-8 text: NCMEC reports are UTF-8');
    }
    if (!fatal) feed(text!);
    yield* out.splice(0);
    if (fatal) break;
  }
  if (!fatal) {
    try {
      const rest = decoder.decode();
      if (rest) feed(rest);
    } catch {
      fatal = new Fatal(parser.line, 'not UTF-8 text: the file ends inside a character');
    }
  }
  if (!fatal) feed(null);
  yield* out.splice(0);
  if (!fatal && !sawRoot) fatal = new Fatal(1, 'the file holds no XML element');
  if (fatal) yield { kind: 'fatal', line: fatal.line, message: fatal.message };
}
