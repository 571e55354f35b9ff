/**
 * `readIntakeFile`: the one function every intake route calls for NCMEC's format (the CLI's
 * `case start --tip`, the API's upload, the drop folder). It takes a file as bytes or a stream and
 * yields, report by report, a tip ready for `startCase` or the reason the report cannot open a case.
 *
 * What a file may be:
 * - one `<receivedReport>` (CaseBridge's envelope, ./envelope.ts) holding a `<report>` and its
 *   `<fileDetails>`; or many of them in `<receivedReports>`, read one at a time (streamed);
 * - a bare `<report>` or `<fileDetails>` document as NCMEC's schema defines them (a `<report>` alone has
 *   no files and no report number, so it is refused with that reason; `<fileDetails>` alone likewise);
 * - a ZIP of such documents: a bare `<report>` with the `<fileDetails>` of its files, and/or envelopes.
 */
import { RECEIVED_REPORT, RECEIVED_REPORTS_NAME, RECEIVED_REPORT_NAME } from './envelope';
import { FILE_DETAILS, REPORT } from './schema/model';
import { toTip, type ReportParts } from './to-tip';
import { XSI, child, childrenNamed, formatIssue, validateElement, type Issue, type Node } from './validate';
import { readXmlUnits, type XmlElement } from './xml-units';
import { DEFAULT_ZIP_LIMITS, ZipError, readZipDocuments, type ZipLimits } from './zip';
import type { Tip } from '../../workflows/tip';

/**
 * One report of the file, in file order. `position` counts reports from 1 (0: the file as a whole
 * could not be read, and nothing in it may open a case); `line` is where it starts or where the
 * problem is; `source` names the ZIP entry. An error names the element path and line, never content.
 */
export type IntakeEntry =
  { position: number; line: number; source?: string; tip: Tip } | { position: number; line: number; source?: string; error: string; issues: string[] };

/** Bytes, a stream read once, or a function that opens the file again (then it is checked whole before anything is yielded). */
export type IntakeSource = Uint8Array | AsyncIterable<Uint8Array | string> | (() => AsyncIterable<Uint8Array | string>);

export interface IntakeOptions {
  /** The NCMEC report number, when the caller knows it (a CLI argument): it must agree with the file's. */
  reportNumber?: string;
  /** Largest ZIP read (it is held in memory; batches stream as one `<receivedReports>` XML instead). */
  maxZipBytes?: number;
  zipLimits?: ZipLimits;
  /** Largest single report with its file details, in characters. */
  maxReportChars?: number;
}

export type IntakeFormat = 'xml' | 'zip' | 'json' | 'unknown';

const ROOTS = ['report', 'fileDetails', RECEIVED_REPORT_NAME, RECEIVED_REPORTS_NAME];
const DEFAULT_MAX_ZIP_BYTES = 64 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** What a file is, from its first bytes (and its name when they say nothing). */
export function detectIntakeFormat(name: string, head: Uint8Array): IntakeFormat {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return 'zip';
  const start = new TextDecoder()
    .decode(head.subarray(0, 256))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (start.startsWith('<')) return 'xml';
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  if (start === '') return /\.zip$/i.test(name) ? 'zip' : /\.xml$/i.test(name) ? 'xml' : 'unknown';
  return 'unknown';
}

export async function* readIntakeFile(name: string, source: IntakeSource, opts: IntakeOptions = {}): AsyncGenerator<IntakeEntry, void, undefined> {
  const open = (): AsyncIterable<Uint8Array | string> => (source instanceof Uint8Array ? chunksOf(source) : typeof source === 'function' ? source() : source);
  const reopenable = source instanceof Uint8Array || typeof source === 'function';
  const { head, rest } = await peek(open());
  const format = detectIntakeFormat(name, head);
  if (format === 'json') return yield fileError(1, 'is JSON: JSON tips are read by the JSON tip reader, not the NCMEC intake');
  if (format === 'unknown') return yield fileError(1, `is neither NCMEC XML (${ROOTS.map((r) => `<${r}>`).join(', ')}) nor a ZIP of them`);
  if (format === 'zip') return yield* readZip(rest, opts);

  if (reopenable) {
    // Checked whole first, so a file that is not well-formed starts nothing at all.
    for await (const ev of readXmlUnits(rest, { batchRoots: [RECEIVED_REPORTS_NAME], maxUnitChars: opts.maxReportChars })) {
      if (ev.kind === 'fatal') return yield fileError(ev.line, ev.message);
      if (ev.kind === 'root' && !ROOTS.includes(ev.element.name)) return yield fileError(ev.element.line, rootMessage(ev.element.name));
    }
    yield* readXml(open(), opts);
  } else {
    yield* readXml(rest, opts);
  }
}

function fileError(line: number, message: string, source?: string): IntakeEntry {
  const error = `line ${line}: ${message}`;
  return { position: 0, line, ...(source ? { source } : {}), error, issues: [error] };
}

function reportError(position: number, issues: Issue[], source?: string): IntakeEntry {
  const lines = issues.map(formatIssue);
  return {
    position,
    line: issues[0]?.line ?? 1,
    ...(source ? { source } : {}),
    error: `${lines[0]}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ''}`,
    issues: lines,
  };
}

const rootMessage = (root: string): string => `the root element <${root}> is none of ${ROOTS.map((r) => `<${r}>`).join(', ')}`;

/** A document of the file, validated: a report with what came with it, file details on their own, or what was wrong. */
type Doc =
  { kind: 'report'; line: number; parts: ReportParts } | { kind: 'fileDetails'; line: number; node: Node } | { kind: 'invalid'; line: number; issues: Issue[] };

function validateUnit(element: XmlElement, path: string, opts: IntakeOptions, batch = false): Doc {
  const issues: Issue[] = [];
  if (batch && element.name !== RECEIVED_REPORT_NAME) {
    return {
      kind: 'invalid',
      line: element.line,
      issues: [{ path, line: element.line, message: `is not a <${RECEIVED_REPORT_NAME}>: a <${RECEIVED_REPORTS_NAME}> batch holds only those` }],
    };
  }
  if (element.name === 'report') {
    const report = validateElement(element, REPORT, path, issues);
    return issues.length
      ? { kind: 'invalid', line: element.line, issues }
      : { kind: 'report', line: element.line, parts: { report, fileDetails: [], reportNumber: opts.reportNumber } };
  }
  if (element.name === 'fileDetails') {
    const node = validateElement(element, FILE_DETAILS, path, issues);
    return issues.length ? { kind: 'invalid', line: element.line, issues } : { kind: 'fileDetails', line: element.line, node };
  }
  if (element.name === RECEIVED_REPORT_NAME) {
    const node = validateElement(element, RECEIVED_REPORT, path, issues);
    if (issues.length) return { kind: 'invalid', line: element.line, issues };
    const a = node.attrs as { reportId?: string; priority?: string; espName?: string; dataCountry?: string };
    return {
      kind: 'report',
      line: element.line,
      parts: {
        report: child(node, 'report')!,
        fileDetails: childrenNamed(node, 'fileDetails'),
        envelope: { node, ...a, directives: childrenNamed(node, 'simulatorDirective').map((d) => String(d.value).trim()) },
        reportNumber: opts.reportNumber,
      },
    };
  }
  return { kind: 'invalid', line: element.line, issues: [{ path, line: element.line, message: `is not a <${RECEIVED_REPORT_NAME}>` }] };
}

function orphan(doc: { line: number; node: Node }): Issue {
  const id = child(doc.node, 'reportId')?.value;
  return {
    path: doc.node.path,
    line: doc.line,
    message:
      `for report ${String(id)} came without its <report>: CaseBridge takes file details only together with their report ` +
      `(one <${RECEIVED_REPORT_NAME}>, or one ZIP); nothing was started, send them again with the report`,
  };
}

/** The documents of one XML file, in order; a bare `<report>` here has nothing else to come with it. */
async function* xmlDocs(
  chunks: AsyncIterable<Uint8Array | string>,
  opts: IntakeOptions,
): AsyncGenerator<Doc | { kind: 'fatal'; line: number; message: string }, void, undefined> {
  let batch = false;
  let n = 0;
  for await (const ev of readXmlUnits(chunks, { batchRoots: [RECEIVED_REPORTS_NAME], maxUnitChars: opts.maxReportChars })) {
    if (ev.kind === 'fatal') return yield ev;
    if (ev.kind === 'root') {
      if (!ROOTS.includes(ev.element.name)) return yield { kind: 'fatal', line: ev.element.line, message: rootMessage(ev.element.name) };
      batch = ev.element.name === RECEIVED_REPORTS_NAME;
      const stray = ev.element.attributes.find((a) => a.name !== 'xmlns' && a.uri !== XSI && !a.name.startsWith('xmlns:'));
      if (batch && stray)
        return yield {
          kind: 'fatal',
          line: ev.element.line,
          message: `${RECEIVED_REPORTS_NAME}/@${stray.name} is not an attribute of <${RECEIVED_REPORTS_NAME}>`,
        };
      continue;
    }
    n++;
    const path = batch ? `${RECEIVED_REPORTS_NAME}/${ev.kind === 'unit' ? ev.element.name : ev.name}[${n}]` : ev.kind === 'unit' ? ev.element.name : ev.name;
    if (ev.kind === 'oversized') {
      yield {
        kind: 'invalid',
        line: ev.line,
        issues: [
          { path, line: ev.line, message: `is larger than ${opts.maxReportChars ?? 'the limit of'} characters: a report with its file details is a few kB` },
        ],
      };
      continue;
    }
    yield validateUnit(ev.element, path, opts, batch);
  }
}

async function* readXml(chunks: AsyncIterable<Uint8Array | string>, opts: IntakeOptions, source?: string): AsyncGenerator<IntakeEntry, void, undefined> {
  let position = 0;
  for await (const doc of xmlDocs(chunks, opts)) {
    if (doc.kind === 'fatal') {
      // A stream read once: what came before was yielded; the rest of the file cannot be read.
      yield position === 0 ? fileError(doc.line, doc.message, source) : { ...fileError(doc.line, doc.message, source), position: position + 1 };
      return;
    }
    position++;
    if (doc.kind === 'invalid') yield reportError(position, doc.issues, source);
    else if (doc.kind === 'fileDetails') yield reportError(position, [orphan(doc)], source);
    else yield fromParts(position, doc.line, doc.parts, source);
  }
}

function fromParts(position: number, line: number, parts: ReportParts, source?: string): IntakeEntry {
  const result = toTip(parts);
  if ('tip' in result) return { position, line, ...(source ? { source } : {}), tip: result.tip };
  return reportError(position, result.issues, source);
}

async function* readZip(chunks: AsyncIterable<Uint8Array | string>, opts: IntakeOptions): AsyncGenerator<IntakeEntry, void, undefined> {
  const max = opts.maxZipBytes ?? DEFAULT_MAX_ZIP_BYTES;
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of chunks) {
    const b = typeof c === 'string' ? Buffer.from(c) : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    size += b.length;
    if (size > max) return yield fileError(1, `is a ZIP larger than ${max} bytes: send a batch as one <${RECEIVED_REPORTS_NAME}> XML file, which is streamed`);
    parts.push(b);
  }
  let docs;
  try {
    docs = await readZipDocuments(Buffer.concat(parts), opts.zipLimits ?? DEFAULT_ZIP_LIMITS);
  } catch (err) {
    if (err instanceof ZipError) return yield fileError(1, err.message);
    throw err;
  }
  if (docs.length === 0) return yield fileError(1, 'is a ZIP with no XML document in it');

  // All entries are read and checked before anything is yielded: one malformed entry starts nothing.
  const reports: { doc: Extract<Doc, { kind: 'report' }>; source: string }[] = [];
  const loose: { doc: Extract<Doc, { kind: 'fileDetails' }>; source: string }[] = [];
  const invalid: { doc: Extract<Doc, { kind: 'invalid' }>; source: string }[] = [];
  for (const d of docs) {
    for await (const doc of xmlDocs(chunksOf(d.bytes), opts)) {
      if (doc.kind === 'fatal') return yield fileError(doc.line, `entry ${d.name}: ${doc.message}`, d.name);
      if (doc.kind === 'report') reports.push({ doc, source: d.name });
      else if (doc.kind === 'fileDetails') loose.push({ doc, source: d.name });
      else invalid.push({ doc, source: d.name });
    }
  }
  const bare = reports.filter((r) => !r.doc.parts.envelope);
  if (bare.length > 1) {
    return yield fileError(
      bare[1].doc.line,
      `entry ${bare[1].source}: a ZIP holds one bare <report> (with the <fileDetails> of its files); wrap each of several in <${RECEIVED_REPORT_NAME}>`,
      bare[1].source,
    );
  }
  // Loose file details belong to the one bare report, when there is one.
  if (bare.length === 1) bare[0].doc.parts.fileDetails = loose.splice(0).map((l) => l.doc.node);

  let position = 0;
  for (const r of reports) yield fromParts(++position, r.doc.line, r.doc.parts, r.source);
  for (const i of invalid) yield reportError(++position, i.doc.issues, i.source);
  for (const l of loose) yield reportError(++position, [orphan(l.doc)], l.source);
}

async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
}

/** The first bytes of a stream, and the whole stream again (those bytes included). */
async function peek(chunks: AsyncIterable<Uint8Array | string>): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array | string> }> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  const head = first.done ? new Uint8Array() : typeof first.value === 'string' ? Buffer.from(first.value) : first.value;
  const rest: AsyncIterable<Uint8Array | string> = {
    async *[Symbol.asyncIterator]() {
      if (!first.done) yield first.value;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    },
  };
  return { head, rest };
}
