/**
 * The 27 EU member states and the e-Evidence Regulation (Reg. (EU) 2023/1543) for each: it applies
 * from 18 August 2026 (Art. 34), to every member state but Denmark.
 */
import type { Rule } from '../rule';

export const EEVIDENCE_APPLIES: Rule<string> = {
  value: '2026-08-18',
  source: 'Regulation (EU) 2023/1543 Art. 34: applies from 18 August 2026',
  kind: 'P',
};

/**
 * Denmark takes no part in measures adopted under Title V of Part Three TFEU (Protocol No 22, Arts 1–2);
 * the Regulation is adopted under Art. 82(1) TFEU (its preamble), so it neither binds nor applies to
 * Denmark. Ireland, under Protocol No 21, takes part (it is bound from the same date).
 */
export const EEVIDENCE_NOT_DENMARK: Rule<false> = {
  value: false,
  source:
    'Protocol (No 22) on the position of Denmark, Arts 1–2 (no part in measures under Title V of Part Three TFEU); ' +
    'Regulation (EU) 2023/1543 is adopted under Art. 82(1) TFEU (preamble). The recital saying so was not read offline.',
  kind: 'P',
};

export const EU_MEMBERS: readonly string[] = 'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' ');

export function eEvidenceFor(code: string): Rule<string | false> | undefined {
  if (!EU_MEMBERS.includes(code)) return undefined;
  return code === 'DK' ? EEVIDENCE_NOT_DENMARK : EEVIDENCE_APPLIES;
}
