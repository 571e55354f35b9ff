/**
 * What changes with a document's language besides its template: dates, country names, periods and
 * the few words the renderer adds (the DRAFT mark, the approval line). Node's ICU gives dates and
 * country names in every language; the rest is listed per language here.
 */
import type { Period } from '../workflows/policy';

export const LANGUAGES = ['en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(s: string): s is Language {
  return (LANGUAGES as readonly string[]).includes(s);
}

interface Words {
  month: [string, string];
  day: [string, string];
  hour: [string, string];
  draft: string;
  draftBanner: string;
  approved: (who: string, role: string, at: string) => string;
  contentHash: string;
  page: (n: number, of: number) => string;
  /** "and" for joining lists. */
  and: string;
  none: string;
}

export const WORDS: Record<Language, Words> = {
  en: {
    month: ['month', 'months'],
    day: ['day', 'days'],
    hour: ['hour', 'hours'],
    draft: 'DRAFT',
    draftBanner: 'DRAFT — not approved for sending',
    approved: (who, role, at) => `Approved for sending by ${who} (${role}) on ${at}`,
    contentHash: 'Content SHA-256',
    page: (n, of) => `Page ${n} of ${of}`,
    and: 'and',
    none: 'none',
  },
  de: {
    month: ['Monat', 'Monate'],
    day: ['Tag', 'Tage'],
    hour: ['Stunde', 'Stunden'],
    draft: 'ENTWURF',
    draftBanner: 'ENTWURF — nicht zur Versendung freigegeben',
    approved: (who, role, at) => `Zur Versendung freigegeben von ${who} (${role}) am ${at}`,
    contentHash: 'SHA-256 des Inhalts',
    page: (n, of) => `Seite ${n} von ${of}`,
    and: 'und',
    none: 'keine',
  },
  fr: {
    month: ['mois', 'mois'],
    day: ['jour', 'jours'],
    hour: ['heure', 'heures'],
    draft: 'PROJET',
    draftBanner: 'PROJET — non approuvé pour envoi',
    approved: (who, role, at) => `Approuvé pour envoi par ${who} (${role}) le ${at}`,
    contentHash: 'SHA-256 du contenu',
    page: (n, of) => `Page ${n} sur ${of}`,
    and: 'et',
    none: 'aucun',
  },
};

export function formatDate(iso: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
}

export function formatDateTime(iso: string, lang: Language): string {
  const d = new Date(iso);
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
  return `${date}, ${d.toISOString().slice(11, 19)} UTC`;
}

export function countryName(code: string, lang: Language): string {
  return new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;
}

export function formatPeriod(p: Period, lang: Language): string {
  const w = WORDS[lang];
  const parts: string[] = [];
  if (p.months) parts.push(`${p.months} ${p.months === 1 ? w.month[0] : w.month[1]}`);
  if (p.days) parts.push(`${p.days} ${p.days === 1 ? w.day[0] : w.day[1]}`);
  if (p.hours) parts.push(`${p.hours} ${p.hours === 1 ? w.hour[0] : w.hour[1]}`);
  return parts.join(` ${w.and} `) || `0 ${w.day[1]}`;
}

export function joinList(items: readonly string[], lang: Language): string {
  if (items.length === 0) return WORDS[lang].none;
  if (items.length === 1) return items[0];
  return `${items.slice(0, -1).join(', ')} ${WORDS[lang].and} ${items[items.length - 1]}`;
}
