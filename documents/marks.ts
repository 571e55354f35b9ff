/** What a rendering adds around the content: the DRAFT mark, or the approval; always the id, version and content hash. */
import { WORDS, formatDateTime, type Language } from './i18n';

export interface Approval {
  actor: string;
  role: string;
  at: string;
}

export interface RenderMeta {
  documentId: string;
  version: number;
  contentHash: string;
  language: Language;
  /** Absent: a draft, rendered with the DRAFT mark. */
  approval?: Approval | undefined;
  /** The letterhead's first line. */
  agency: string;
}

export function footerLines(m: RenderMeta): string[] {
  const w = WORDS[m.language];
  return [
    ...(m.approval ? [w.approved(m.approval.actor, m.approval.role, formatDateTime(m.approval.at, m.language))] : []),
    `${m.documentId} · v${m.version} · ${w.contentHash} ${m.contentHash}`,
  ];
}
