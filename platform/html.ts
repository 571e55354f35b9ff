/**
 * HTML built by a tagged template that escapes every interpolated value unless it is already HTML
 * (made by this template, or marked by `raw` for a constant). One escaping rule for every page the
 * processes serve (the local issuer's login page, the web app): tip content reaches pages only
 * through it.
 */

const brand: unique symbol = Symbol('html');

export interface Html {
  readonly [brand]: true;
  readonly text: string;
}

const make = (text: string): Html => ({ [brand]: true, text });

export function isHtml(v: unknown): v is Html {
  return typeof v === 'object' && v !== null && (v as Partial<Html>)[brand] === true;
}

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A value the template may hold: text (escaped), HTML, a list of either, or nothing (renders empty). */
export type HtmlValue = string | number | Html | null | undefined | false | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (typeof v === 'string') return escapeHtml(v);
  if (typeof v === 'number') return String(v);
  if (isHtml(v)) return v.text;
  return v.map(render).join('');
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return make(out);
}

/** Marks a constant string as HTML (never text that came from a request or a case). */
export function raw(s: string): Html {
  return make(s);
}

/** The Content-Security-Policy of every page: nothing inline, nothing from elsewhere. */
export const STRICT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers sent with every page: the CSP, no framing, no sniffing, no referrer leaving the site, no caching of case data. */
export function pageHeaders(csp = STRICT_CSP): Record<string, string> {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
  };
}
