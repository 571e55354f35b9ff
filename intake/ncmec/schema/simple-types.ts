/**
 * The simple types of NCMEC's report schema, as zod schemas over an element's or attribute's text.
 * Each follows the XML Schema 1.0 built-in type the schema names (lexical space, and the whitespace
 * rule: `xs:string` keeps its text, every other type is read after collapsing whitespace) and the
 * schema's own restrictions (enumerations, patterns). Written from the schema; see ./model.ts for
 * which revision and why it is not vendored.
 */
import { z } from 'zod';
import { ISO_3166_ALPHA2 } from '../../../workflows/policy/iso-countries';

/** A simple type: text in, a typed value (or a zod issue) out. */
export type SimpleType = z.ZodType<unknown, string>;

const collapse = (s: string): string => s.replace(/[\t\n\r ]+/g, ' ').trim();
const collapsed = <T extends z.ZodType<unknown, string>>(inner: T) => z.string().transform(collapse).pipe(inner);

/** `xs:string` (and NCMEC's `text`, `content`, `screenName`, which extend it): any text. */
export const xsString: SimpleType = z.string();

/** `xs:token`: whitespace collapsed. */
export const xsToken: SimpleType = collapsed(z.string());

/** `xs:boolean`: true, false, 1 or 0. */
export const xsBoolean = collapsed(
  z.enum(['true', 'false', '1', '0'], { error: () => 'must be true or false' }).transform((v) => v === 'true' || v === '1'),
) as z.ZodType<boolean, string>;

/**
 * An empty element standing for a flag: NCMEC's annotation elements are `xs:boolean` with
 * `fixed="true"`, so an empty element reads as true and any other value than true is invalid.
 */
export const fixedTrue = collapsed(
  z.enum(['', 'true', '1'], { error: () => 'must be empty (a flag) or true: the schema fixes its value to true' }).transform(() => true as const),
) as z.ZodType<true, string>;

const TZ = '(Z|[+-](0\\d|1[0-3]):[0-5]\\d|[+-]14:00)';
const DATE = '-?([1-9]\\d{3,}|0\\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
const TIME = '(([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d+)?|24:00:00(\\.0+)?)';
const DATE_TIME = new RegExp(`^${DATE}T${TIME}${TZ}?$`);
const DATE_ONLY = new RegExp(`^${DATE}${TZ}?$`);

function realDay(text: string): boolean {
  const m = /^(-?\d+)-(\d\d)-(\d\d)/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
}

/** `xs:dateTime`: YYYY-MM-DDThh:mm:ss[.s][Z|±hh:mm] (the time zone is optional in XML Schema). */
export const xsDateTime = collapsed(
  z.string().refine((s) => DATE_TIME.test(s) && realDay(s), { message: 'must be an xs:dateTime such as 2026-10-30T21:14:00Z' }),
) as z.ZodType<string, string>;

/** `xs:date`: YYYY-MM-DD[Z|±hh:mm]. */
export const xsDate = collapsed(z.string().refine((s) => DATE_ONLY.test(s) && realDay(s), { message: 'must be an xs:date such as 2010-04-01' })) as z.ZodType<
  string,
  string
>;

const integerIn = (min: bigint, max: bigint, name: string) =>
  collapsed(
    z
      .string()
      .regex(/^[+-]?\d+$/, { message: `must be an ${name} (an integer)` })
      .refine((s) => !/^[+-]?\d+$/.test(s) || (BigInt(s) >= min && BigInt(s) <= max), { message: `must be an ${name} between ${min} and ${max}` })
      .transform((s) => BigInt(s).toString()),
  ) as z.ZodType<string, string>;

/** `xs:long`, as its canonical decimal string (report numbers exceed what a JavaScript number holds exactly). */
export const xsLong = integerIn(-(2n ** 63n), 2n ** 63n - 1n, 'xs:long');
/** `xs:int`, as a number. */
export const xsInt = integerIn(-(2n ** 31n), 2n ** 31n - 1n, 'xs:int').transform(Number) as z.ZodType<number, string>;

/** `xs:double` (NCMEC's `latlong`). */
export const xsDouble = collapsed(
  z
    .string()
    .regex(/^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|-?INF|NaN)$/, { message: 'must be an xs:double (a decimal number)' })
    .transform((s) => (s === 'INF' ? Infinity : s === '-INF' ? -Infinity : Number(s))),
) as z.ZodType<number, string>;

/** An enumeration restricting `xs:string`: the value as written (enumerations are compared untrimmed). */
export function enumeration<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<T[number], string> {
  return z.enum(values, { error: () => `must be one of ${values.map((v) => (v === '' ? '(empty)' : v)).join(', ')}` });
}

/** A pattern restricting `xs:string` (XML Schema patterns match the whole value). */
export function pattern(re: RegExp, description: string): z.ZodType<string, string> {
  return z.string().regex(new RegExp(`^(?:${re.source})$`), { message: `must be ${description}` });
}

/**
 * NCMEC's `country`: every ISO 3166-1 alpha-2 code, the empty string, and the GeoIP-style codes it
 * adds (A1 anonymous proxy, A2 satellite provider, O1 other country, AP Asia/Pacific, EU Europe,
 * AN Netherlands Antilles, FX metropolitan France, XK Kosovo).
 */
export const NCMEC_EXTRA_COUNTRY_CODES = ['', 'A1', 'A2', 'AN', 'AP', 'EU', 'FX', 'O1', 'XK'] as const;
export const ncmecCountry = enumeration([...NCMEC_EXTRA_COUNTRY_CODES, ...ISO_3166_ALPHA2] as unknown as readonly [string, ...string[]]);

/** NCMEC's `state`: the US states, DC and territories it lists, or empty. */
// prettier-ignore
export const NCMEC_STATES = [
  '', 'AK', 'AL', 'AR', 'AZ', 'CA', 'CO', 'CT', 'DC', 'DE', 'FL', 'GA', 'GU', 'HI', 'IA', 'ID', 'IL', 'IN', 'KS', 'KY', 'LA', 'MA', 'MD', 'ME',
  'MI', 'MN', 'MO', 'MS', 'MT', 'NC', 'ND', 'NE', 'NH', 'NJ', 'NM', 'NV', 'NY', 'OH', 'OK', 'OR', 'PA', 'PR', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT',
  'VA', 'VI', 'VT', 'WA', 'WI', 'WV', 'WY',
] as const;
export const ncmecState = enumeration(NCMEC_STATES);
