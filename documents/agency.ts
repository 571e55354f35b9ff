/**
 * Who the documents come from: the agency's letterhead, its contact, its court and prosecutor, the
 * central authority. An operator puts `agency.json` in the templates folder
 * (CASEBRIDGE_TEMPLATES_DIR); without one, documents carry a made-up demonstration agency and
 * every document says so in its letterhead, so nothing generated without configuration can pass for
 * the real thing.
 */
import { z } from 'zod';

const line = z.string().trim().min(1).max(300);

export const AgencyProfileSchema = z
  .object({
    name: line,
    unit: line.optional(),
    address: z.array(line).min(1).max(8),
    phone: line,
    email: line,
    /** The person whose name the letters carry as the point of contact. */
    contact: z.object({ name: line, title: line }).strict(),
    /** The 24/7 point of contact (Budapest Convention Art. 35), where the agency has one. */
    twentyFourSeven: line.optional(),
    /** The court warrants and orders are applied for in. */
    court: line,
    /** The prosecuting office that signs applications and subpoenas. */
    prosecutor: line,
    /** The home central authority for treaty requests. */
    centralAuthority: line,
    /** The home embassy or ministry that sends diplomatic notes. */
    embassy: line,
    /** A demonstration profile: every letterhead says it is not a real agency. */
    demonstration: z.boolean().default(false),
  })
  .strict();
export type AgencyProfile = z.infer<typeof AgencyProfileSchema>;

export const DEMONSTRATION_AGENCY: AgencyProfile = {
  name: 'Example County Internet Crimes Against Children Task Force',
  unit: 'Digital Evidence Unit',
  address: ['100 Example Plaza, Suite 400', 'Springfield, EX 00000', 'United States'],
  phone: '+1 555 0100',
  email: 'icac-legal@agency.example',
  contact: { name: 'Investigator A. Example', title: 'Task Force Officer' },
  twentyFourSeven: 'CCIPS 24/7 High Tech Crime Network point of contact (demonstration)',
  court: 'United States District Court for the District of Example',
  prosecutor: 'Office of the United States Attorney for the District of Example',
  centralAuthority: 'Office of International Affairs, Criminal Division, United States Department of Justice',
  embassy: 'Embassy of the United States of America',
  demonstration: true,
};

/** The demonstration letterhead of a UK force's deployment (CASEBRIDGE_HOME_COUNTRY=GB) without an agency.json. */
export const DEMONSTRATION_AGENCY_GB: AgencyProfile = {
  name: 'Example Constabulary',
  unit: 'Online Child Sexual Abuse and Exploitation Team',
  address: ['1 Example Street', 'Exampleton EX1 1AA', 'United Kingdom'],
  phone: '+44 20 7946 0000',
  email: 'ocsae-legal@police.example',
  contact: { name: 'DC A. Example', title: 'Detective Constable' },
  twentyFourSeven: 'NCA 24/7 point of contact (Budapest Convention Art. 35; demonstration)',
  court: 'Example Magistrates’ Court',
  prosecutor: 'Crown Prosecution Service (demonstration)',
  centralAuthority: 'UK Central Authority, Home Office',
  embassy: 'British Embassy',
  demonstration: true,
};

/** The demonstration letterhead for the deployment's home country. */
export function demonstrationAgency(home: string | undefined): AgencyProfile {
  return home === 'GB' ? DEMONSTRATION_AGENCY_GB : DEMONSTRATION_AGENCY;
}
