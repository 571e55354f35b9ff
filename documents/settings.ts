/**
 * The document layer as a process builds it at start-up: settings from the environment (validated),
 * the templates (built-in and the agency's overrides, checked), the agency profile, and the store
 * under the data dir with the payload codec's keys. A bad setting, template or agency file stops
 * the process with the setting or file named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseSettings, type CaseBridgeConfig } from '../platform/config';
import { loadEncryptionSettings } from '../platform/crypto/keys';
import { FileDocumentStore, type DocumentStore } from '../platform/store/documents';
import { openPostgresDocumentStore } from '../platform/store/postgres';
import { AgencyProfileSchema, demonstrationAgency, type AgencyProfile } from './agency';
import { isLanguage } from './i18n';
import { sampleFacts } from './sample';
import { DocumentService } from './service';
import { TemplateSet, TemplateError } from './templates';
import { buildView } from './view';

const DocumentEnvSchema = z.object({
  /** The agency's folder: `agency.json` and template overrides named `<kind>.<language>.hbs`. */
  CASEBRIDGE_TEMPLATES_DIR: z.string().trim().min(1).optional(),
  /** Which demonstration letterhead a deployment without agency.json carries (platform/config.ts checks the code). */
  CASEBRIDGE_HOME_COUNTRY: z.string().trim().min(1).optional(),
});

export function loadAgency(dir: string | undefined, home?: string): AgencyProfile {
  if (!dir) return demonstrationAgency(home);
  const file = path.join(dir, 'agency.json');
  if (!fs.existsSync(file)) return demonstrationAgency(home);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new TemplateError(`CASEBRIDGE_TEMPLATES_DIR: ${file} is not valid JSON`);
  }
  const parsed = AgencyProfileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TemplateError(`CASEBRIDGE_TEMPLATES_DIR: ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The templates, checked against the made-up sample case with the agency's letterhead. */
export function loadTemplates(dir: string | undefined, agency: AgencyProfile): TemplateSet {
  if (dir && !fs.existsSync(dir)) throw new TemplateError(`CASEBRIDGE_TEMPLATES_DIR: the folder ${dir} does not exist`);
  return new TemplateSet({
    overridesDir: dir,
    sample: (kind, language) => buildView(kind, sampleFacts(kind), agency, isLanguage(language) ? language : 'en'),
  });
}

export interface DocumentLayer {
  service: DocumentService;
  store: DocumentStore;
  /** What start-up should tell the operator (no key: documents stored unencrypted; demonstration letterhead). */
  warnings: string[];
}

export function createDocumentLayer(
  config: Pick<CaseBridgeConfig, 'CASEBRIDGE_DATA_DIR'> & Partial<Pick<CaseBridgeConfig, 'CASEBRIDGE_STORE_URL'>>,
  env: NodeJS.ProcessEnv = process.env,
): DocumentLayer {
  const { CASEBRIDGE_TEMPLATES_DIR: dir, CASEBRIDGE_HOME_COUNTRY: home } = parseSettings(DocumentEnvSchema, env);
  const agency = loadAgency(dir, home);
  const templates = loadTemplates(dir, agency);
  const { keyRing } = loadEncryptionSettings(env);
  const store = config.CASEBRIDGE_STORE_URL
    ? openPostgresDocumentStore(config.CASEBRIDGE_STORE_URL, keyRing)
    : new FileDocumentStore(path.join(config.CASEBRIDGE_DATA_DIR, 'documents'), keyRing);
  const warnings = [
    ...(keyRing ? [] : ['no encryption key is configured: documents are stored unencrypted (set CASEBRIDGE_ENCRYPTION_KEYS or CASEBRIDGE_KEY_FILE)']),
    ...(agency.demonstration ? ['no agency.json in CASEBRIDGE_TEMPLATES_DIR: documents carry the demonstration letterhead'] : []),
  ];
  return { service: new DocumentService({ store, templates, agency }), store, warnings };
}
