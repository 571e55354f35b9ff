/**
 * The templates: one Handlebars file per document kind and language (`<kind>.<language>.hbs`),
 * built in under documents/templates/, overridable per agency by a folder of files with the same
 * names (CASEBRIDGE_TEMPLATES_DIR). Templates write the content format of ./content.ts.
 *
 * Checked when loaded (at start-up): every template compiles and runs in strict mode against a
 * made-up case, so a misspelt field stops the process with the file and field named; and an
 * override must fill every field its built-in counterpart fills — the check renders both against a
 * view whose every value is a marker of its own path and compares the markers that come out — so an
 * agency cannot silently drop, say, the Wilson file-view facts or a citation from the tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { PROJECT_ROOT } from '../platform/config';
import { DOCUMENT_KINDS, type DocumentKind } from '../workflows/documents';
import { canonicalContent } from './content';
import { isLanguage, type Language } from './i18n';
import type { DocumentView } from './view';

export const BUILT_IN_TEMPLATES_DIR = path.join(PROJECT_ROOT, 'documents', 'templates');
const FILE = /^([a-z0-9-]+)\.([a-z]{2})\.hbs$/;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

type Compiled = (view: unknown) => string;

interface Entry {
  kind: DocumentKind;
  language: Language;
  file: string;
  render: Compiled;
  overridden: boolean;
}

function engine(): typeof Handlebars {
  const h = Handlebars.create();
  h.registerHelper('inc', (n: unknown) => Number(n) + 1);
  h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  return h;
}

/** The shared pieces (letterhead, account identifiers, signature) of `language`, falling back to English. */
function registerPartials(h: typeof Handlebars, language: Language, dirs: readonly string[]): void {
  for (const dir of dirs) {
    const partials = path.join(dir, 'partials');
    if (!fs.existsSync(partials)) continue;
    for (const name of fs.readdirSync(partials).sort()) {
      const m = /^([a-z0-9-]+)\.([a-z]{2})\.hbs$/.exec(name);
      if (!m || (m[2] !== language && m[2] !== 'en')) continue;
      // The language's own partial wins over the English one, and an agency's over the built-in.
      if (m[2] === 'en' && language !== 'en' && fs.existsSync(path.join(partials, `${m[1]}.${language}.hbs`))) continue;
      h.registerPartial(m[1], fs.readFileSync(path.join(partials, name), 'utf8'));
    }
  }
}

function compileFile(file: string, where: string, language: Language, partialDirs: readonly string[]): Compiled {
  const source = fs.readFileSync(file, 'utf8');
  try {
    const h = engine();
    registerPartials(h, language, partialDirs);
    return h.compile(source, { strict: true, noEscape: true, preventIndent: true });
  } catch (err) {
    throw new TemplateError(`${where}: ${(err as Error).message.split('\n')[0]}`);
  }
}

function readDir(dir: string, where: string): Array<{ kind: DocumentKind; language: Language; file: string; name: string }> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new TemplateError(`${where}: cannot read the folder ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const out = [];
  for (const name of names.filter((n) => n.endsWith('.hbs')).sort()) {
    const m = FILE.exec(name);
    if (!m) throw new TemplateError(`${where}: ${name} is not named <kind>.<language>.hbs`);
    const [, kind, language] = m;
    if (!(DOCUMENT_KINDS as readonly string[]).includes(kind)) {
      throw new TemplateError(`${where}: ${name}: '${kind}' is not a document kind (one of ${DOCUMENT_KINDS.join(', ')})`);
    }
    if (!isLanguage(language)) throw new TemplateError(`${where}: ${name}: no language support for '${language}'`);
    out.push({ kind: kind as DocumentKind, language, file: path.join(dir, name), name });
  }
  return out;
}

const MARK_OPEN = '\u27e6';
const MARK_CLOSE = '\u27e7';
const MARKS = /\u27e6([^\u27e7]+)\u27e7/g;

/** The view with every string and number replaced by a marker of its path (list items as `*`). */
export function markerView(value: unknown, at = ''): unknown {
  if (typeof value === 'string' || typeof value === 'number') return `${MARK_OPEN}${at}${MARK_CLOSE}`;
  if (Array.isArray(value)) return value.map((v) => markerView(v, `${at}.*`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markerView(v, at ? `${at}.${k}` : k)]));
  }
  return value;
}

function marksIn(text: string): Set<string> {
  return new Set([...text.matchAll(MARKS)].map((m) => m[1]));
}

function run(entry: { render: Compiled }, view: unknown, where: string): string {
  try {
    return entry.render(view);
  } catch (err) {
    throw new TemplateError(`${where}: ${(err as Error).message.split('\n')[0]}`);
  }
}

export class TemplateSet {
  private readonly entries = new Map<string, Entry>();

  /**
   * Loads the built-in templates and the overrides in `overridesDir`, checking them against
   * `sample` (a made-up case's view for each kind). Throws TemplateError naming the file and field.
   */
  constructor(opts: { sample: (kind: DocumentKind, language: Language) => DocumentView; overridesDir?: string | undefined; builtInDir?: string }) {
    const builtInDir = opts.builtInDir ?? BUILT_IN_TEMPLATES_DIR;
    for (const t of readDir(builtInDir, 'built-in templates')) {
      const entry: Entry = {
        kind: t.kind,
        language: t.language,
        file: t.file,
        render: compileFile(t.file, `built-in template ${t.name}`, t.language, [builtInDir]),
        overridden: false,
      };
      run(entry, opts.sample(t.kind, t.language), `built-in template ${t.name}`);
      this.entries.set(`${t.kind}.${t.language}`, entry);
    }
    for (const kind of DOCUMENT_KINDS) {
      if (!this.entries.has(`${kind}.en`)) throw new TemplateError(`built-in templates: no English template for ${kind}`);
    }
    if (!opts.overridesDir) return;
    const where = `CASEBRIDGE_TEMPLATES_DIR (${opts.overridesDir})`;
    for (const t of readDir(opts.overridesDir, where)) {
      const name = `${where}: ${t.name}`;
      const override: Entry = {
        kind: t.kind,
        language: t.language,
        file: t.file,
        render: compileFile(t.file, name, t.language, [builtInDir, opts.overridesDir]),
        overridden: true,
      };
      const base = this.entries.get(`${t.kind}.${t.language}`) ?? this.entries.get(`${t.kind}.en`)!;
      const markers = markerView(opts.sample(t.kind, t.language));
      run(override, opts.sample(t.kind, t.language), name);
      const required = marksIn(run(base, markers, `built-in template for ${t.kind}`));
      const filled = marksIn(run(override, markers, name));
      const missing = [...required].filter((m) => !filled.has(m));
      if (missing.length > 0) {
        throw new TemplateError(`${name} does not fill ${missing.join(', ')} (the built-in ${path.basename(base.file)} does)`);
      }
      this.entries.set(`${t.kind}.${t.language}`, override);
    }
  }

  languages(kind: DocumentKind): Language[] {
    return [...this.entries.values()].filter((e) => e.kind === kind).map((e) => e.language);
  }

  has(kind: DocumentKind, language: Language): boolean {
    return this.entries.has(`${kind}.${language}`);
  }

  /** The overridden templates, as `kind.language`. */
  overrides(): string[] {
    return [...this.entries.values()].filter((e) => e.overridden).map((e) => `${e.kind}.${e.language}`);
  }

  /** The document's content in canonical form. */
  render(kind: DocumentKind, language: Language, view: DocumentView): string {
    const entry = this.entries.get(`${kind}.${language}`);
    if (!entry) throw new TemplateError(`no ${language} template for ${kind} (available: ${this.languages(kind).join(', ')})`);
    return canonicalContent(run(entry, view, path.basename(entry.file)));
  }
}
