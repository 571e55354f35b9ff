/**
 * The documents a case sends, as one table: who approves each kind, whether the approver must be
 * someone other than the person who wrote the version (four eyes), and which requests may not be
 * sent before their document is approved. Pure data: the document generator, the workflows' update
 * validators and the API read the same rows.
 */
import { z } from 'zod';
import type { Role } from '../vocabulary';

export const DOCUMENT_KINDS = [
  'preservation-letter',
  'preservation-renewal',
  'emergency-disclosure-request',
  'subscriber-subpoena',
  'court-order-application',
  'search-warrant-application',
  'search-warrant-affidavit',
  'eu-production-order-certificate',
  'eu-preservation-order-certificate',
  'cloud-act-order',
  'mlat-request',
  'mlat-supplement',
  'extradition-request',
  'provisional-arrest-request',
  'diplomatic-note',
  'transfer-of-proceedings',
  'budapest-preservation-request',
  'pace-search-warrant-application',
  'overseas-production-order-application',
] as const;
export const DocumentKindSchema = z.enum(DOCUMENT_KINDS, { message: `must be one of ${DOCUMENT_KINDS.join(', ')}` });
export type DocumentKind = z.infer<typeof DocumentKindSchema>;

export interface DocumentKindRule {
  /** What the document is, in words (lists, the approval's refusal). */
  title: string;
  /** Who sends or signs it: the party that receives it decides nothing here, it is for readers. */
  addressee: 'provider' | 'court' | 'foreign-authority' | 'central-authority' | 'foreign-ministry' | 'foreign-prosecutor' | 'foreign-partner';
  /** The roles that may approve a version for sending. */
  approvers: readonly Role[];
  /** The approver must not be the person who generated or uploaded the version being approved. */
  fourEyes: boolean;
}

export const DOCUMENT_RULES: Record<DocumentKind, DocumentKindRule> = {
  'preservation-letter': { title: 'preservation letter', addressee: 'provider', approvers: ['coordinator', 'manager'], fourEyes: false },
  'preservation-renewal': { title: 'preservation renewal letter', addressee: 'provider', approvers: ['coordinator', 'manager'], fourEyes: false },
  'emergency-disclosure-request': { title: 'emergency disclosure request', addressee: 'provider', approvers: ['coordinator', 'manager'], fourEyes: false },
  'subscriber-subpoena': { title: 'subpoena for subscriber records', addressee: 'provider', approvers: ['coordinator', 'manager'], fourEyes: true },
  'court-order-application': { title: 'application for a § 2703(d) order', addressee: 'court', approvers: ['coordinator', 'manager'], fourEyes: true },
  'search-warrant-application': { title: 'search warrant application', addressee: 'court', approvers: ['coordinator', 'manager'], fourEyes: true },
  'search-warrant-affidavit': { title: 'search warrant affidavit', addressee: 'court', approvers: ['coordinator', 'manager'], fourEyes: true },
  'eu-production-order-certificate': { title: 'European Production Order Certificate', addressee: 'provider', approvers: ['liaison'], fourEyes: true },
  'eu-preservation-order-certificate': { title: 'European Preservation Order Certificate', addressee: 'provider', approvers: ['liaison'], fourEyes: false },
  'cloud-act-order': { title: 'order under the US–UK agreement', addressee: 'provider', approvers: ['liaison'], fourEyes: true },
  'mlat-request': { title: 'request for mutual legal assistance', addressee: 'central-authority', approvers: ['liaison', 'manager'], fourEyes: true },
  'mlat-supplement': {
    title: 'supplement to a request for mutual legal assistance',
    addressee: 'central-authority',
    approvers: ['liaison', 'manager'],
    fourEyes: true,
  },
  'extradition-request': { title: 'request for extradition', addressee: 'central-authority', approvers: ['liaison', 'manager'], fourEyes: true },
  'provisional-arrest-request': { title: 'request for provisional arrest', addressee: 'foreign-authority', approvers: ['liaison', 'manager'], fourEyes: false },
  'diplomatic-note': { title: 'diplomatic note', addressee: 'foreign-ministry', approvers: ['liaison'], fourEyes: false },
  'transfer-of-proceedings': {
    title: 'request for transfer of proceedings',
    addressee: 'foreign-prosecutor',
    approvers: ['liaison', 'manager'],
    fourEyes: true,
  },
  'budapest-preservation-request': {
    title: 'expedited preservation request (Budapest Convention)',
    addressee: 'foreign-partner',
    approvers: ['liaison'],
    fourEyes: false,
  },
  'pace-search-warrant-application': {
    title: 'application for a search warrant (PACE 1984 s.8)',
    addressee: 'court',
    approvers: ['coordinator', 'manager'],
    fourEyes: true,
  },
  'overseas-production-order-application': {
    title: 'application for an overseas production order',
    addressee: 'court',
    approvers: ['liaison'],
    fourEyes: true,
  },
};

/**
 * The documents each kind of request sends, and whether the request may leave only with an approved
 * version. Urgent requests (preservation, emergency disclosure) go at once with the generated
 * document; a person approves afterwards for the file. Keyed by request kind (requests/machines.ts);
 * `subscriber-identification` is the subscriber step being added to the case workflow.
 */
export const REQUEST_DOCUMENTS: Readonly<Record<string, readonly { kind: DocumentKind; approvalBeforeSending: boolean }[]>> = {
  preservation: [
    { kind: 'preservation-letter', approvalBeforeSending: false },
    { kind: 'preservation-renewal', approvalBeforeSending: false },
    { kind: 'budapest-preservation-request', approvalBeforeSending: false },
    { kind: 'eu-preservation-order-certificate', approvalBeforeSending: false },
  ],
  'emergency-disclosure': [{ kind: 'emergency-disclosure-request', approvalBeforeSending: false }],
  'subscriber-identification': [
    { kind: 'subscriber-subpoena', approvalBeforeSending: true },
    { kind: 'court-order-application', approvalBeforeSending: true },
  ],
  'search-warrant': [
    { kind: 'search-warrant-application', approvalBeforeSending: true },
    { kind: 'search-warrant-affidavit', approvalBeforeSending: true },
    // A UK force's (home-law.ts): the information laid before a justice of the peace.
    { kind: 'pace-search-warrant-application', approvalBeforeSending: true },
  ],
  'cloud-act-order': [
    { kind: 'cloud-act-order', approvalBeforeSending: true },
    // A UK force's: the application to a judge for the order (the judge makes the order the provider receives).
    { kind: 'overseas-production-order-application', approvalBeforeSending: true },
  ],
  'eu-production-order': [{ kind: 'eu-production-order-certificate', approvalBeforeSending: true }],
  mlat: [
    { kind: 'mlat-request', approvalBeforeSending: true },
    { kind: 'mlat-supplement', approvalBeforeSending: true },
    // The foreign ministry's covering note for a request already approved: it goes with the transmission.
    { kind: 'diplomatic-note', approvalBeforeSending: false },
  ],
  extradition: [
    { kind: 'provisional-arrest-request', approvalBeforeSending: false },
    { kind: 'extradition-request', approvalBeforeSending: true },
    { kind: 'diplomatic-note', approvalBeforeSending: false },
  ],
  'transfer-of-proceedings': [{ kind: 'transfer-of-proceedings', approvalBeforeSending: true }],
};

/** Every role that approves some kind of document. */
export const APPROVING_ROLES: readonly Role[] = [...new Set(Object.values(DOCUMENT_RULES).flatMap((r) => r.approvers))];

/** Whether a request of `requestKind` may leave only once its document of `kind` is approved. */
export function approvalBeforeSending(requestKind: string, kind: DocumentKind): boolean {
  return REQUEST_DOCUMENTS[requestKind]?.find((d) => d.kind === kind)?.approvalBeforeSending ?? false;
}

const article = (role: string) => (/^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`);

/**
 * Why `role` (acting as `actor`) may not approve a version of `kind` written by `author`, as
 * `field: reason`, or undefined when it may. Pure: the approval update's validator calls it.
 */
export function approvalRefusal(kind: DocumentKind, role: Role, actor: string, author: string | undefined): string | undefined {
  const rule = DOCUMENT_RULES[kind];
  if (!rule.approvers.includes(role)) {
    return `role: ${rule.approvers.map(article).join(' or ')} approves a ${rule.title}, not ${article(role)}`;
  }
  if (rule.fourEyes && author !== undefined && author === actor) {
    return `actor: a ${rule.title} is approved by someone other than the person who wrote this version (${author})`;
  }
  return undefined;
}
