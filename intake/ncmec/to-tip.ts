/**
 * A valid NCMEC `<report>` with its `<fileDetails>` → CaseBridge's tip (workflows/tip.ts). The table
 * of what goes where, and what is validated but not carried, is in docs/ncmec-intake.md. Every tip
 * field remembers the element it came from, so a rule of the tip's that the report breaks is named by
 * element path and line, like a schema violation.
 */
import type { z } from 'zod';
import { ISO_3166_ALPHA2 } from '../../workflows/policy/iso-countries';
import { TipSchema, type Tip, type TipInput } from '../../workflows/tip';
import { child, childrenNamed, type Issue, type Node } from './validate';

export interface ReportParts {
  report: Node;
  fileDetails: Node[];
  /** What CaseBridge's `<receivedReport>` envelope said, when there was one. */
  envelope?: { node: Node; reportId?: string; priority?: string; espName?: string; dataCountry?: string; directives: string[] };
  /** The report number the caller gave (a CLI argument, an API parameter). */
  reportNumber?: string;
}

const ISO = new Set(ISO_3166_ALPHA2);

const text = (n: Node | undefined): string | undefined => {
  const v = typeof n?.value === 'string' ? n.value.trim() : undefined;
  return v === '' ? undefined : v;
};
const valueOf = <T>(n: Node | undefined): T | undefined => n?.value as T | undefined;
const texts = (n: Node, name: string): string[] => childrenNamed(n, name).flatMap((c) => text(c) ?? []);
/** NCMEC's country codes include non-countries (A1 anonymous proxy, EU, …): those locate nothing. */
const country = (code: unknown): string | undefined => (typeof code === 'string' && ISO.has(code) ? code : undefined);

/** Drops undefined fields, so a tip stored in a case's history holds only what the report said. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

class Sources {
  private readonly map = new Map<string, Node>();

  /**
   * Field `path` of the tip came from `node`; its fields named like the node's descendants come from
   * those (`ipCaptureEvent.1.port` from the second ipCaptureEvent's port). Resolved only when a tip
   * rule is broken, so a valid report costs nothing here.
   */
  set(path: string, node: Node | undefined): void {
    if (node) this.map.set(path, node);
  }

  /** The element a tip field came from: the nearest one recorded on its path, then down by element names. */
  for(path: PropertyKey[], fallback: Node): Node {
    const keys = path.map(String);
    for (let n = keys.length; n >= 0; n--) {
      let node = this.map.get(keys.slice(0, n).join('.'));
      if (!node) continue;
      for (let i = n; i < keys.length; i++) {
        const matches = childrenNamed(node, keys[i]);
        const index = /^\d+$/.test(keys[i + 1] ?? '') ? Number(keys[++i]) : 0;
        const next = matches[index] ?? matches[0];
        if (!next) break;
        node = next;
      }
      return node;
    }
    return fallback;
  }
}

function phone(n: Node): string | undefined {
  const number = text(n);
  if (!number) return undefined;
  const cc = n.attrs.countryCallingCode as string | undefined;
  const ext = n.attrs.extension as string | undefined;
  return `${cc ? `${cc} ` : ''}${number}${ext ? ` ext. ${ext}` : ''}`;
}

function address(n: Node) {
  return compact({
    address: text(child(n, 'address')),
    city: text(child(n, 'city')),
    zipCode: text(child(n, 'zipCode')),
    state: text(child(n, 'state')),
    nonUsaState: text(child(n, 'nonUsaState')),
    country: country(valueOf(child(n, 'country'))),
  });
}

/** NCMEC's `contactPerson`, or the contact part of its `person`. */
function contact(n: Node) {
  return compact({
    firstName: text(child(n, 'firstName')),
    lastName: text(child(n, 'lastName')),
    phone: childrenNamed(n, 'phone').flatMap((p) => phone(p) ?? []),
    email: texts(n, 'email'),
    address: childrenNamed(n, 'address').map(address),
  });
}

function person(n: Node) {
  const dob = valueOf<string>(child(n, 'dateOfBirth'));
  return compact({ ...contact(n), age: valueOf<number>(child(n, 'age')), dateOfBirth: dob ? /^-?\d{4,}-\d\d-\d\d/.exec(dob)?.[0] : undefined });
}

function estimatedLocation(n: Node | undefined) {
  if (!n) return undefined;
  return compact({
    city: text(child(n, 'city')),
    region: text(child(n, 'region')),
    countryCode: country(valueOf(child(n, 'countryCode'))),
    verified: n.attrs.verified as boolean | undefined,
    timestamp: n.attrs.timestamp as string | undefined,
  });
}

function ipCaptureEvent(n: Node) {
  return compact({
    ipAddress: text(child(n, 'ipAddress')) ?? '',
    eventName: valueOf<string>(child(n, 'eventName')) as 'Login' | undefined,
    dateTime: valueOf<string>(child(n, 'dateTime')),
    possibleProxy: valueOf<boolean>(child(n, 'possibleProxy')),
    port: valueOf<number>(child(n, 'port')),
  });
}

/** The account fields a reported user, an intended recipient and a victim share. */
function account(n: Node, path: string, sources: Sources) {
  childrenNamed(n, 'deviceId').forEach((d, i) => sources.set(`${path}.deviceId.${i}`, child(d, 'idValue') ?? d));
  return compact({
    espIdentifier: text(child(n, 'espIdentifier')),
    espService: text(child(n, 'espService')),
    screenName: text(child(n, 'screenName')),
    displayName: texts(n, 'displayName'),
    profileUrl: texts(n, 'profileUrl'),
    ipCaptureEvent: childrenNamed(n, 'ipCaptureEvent').map(ipCaptureEvent),
    deviceId: childrenNamed(n, 'deviceId').flatMap((d) => text(child(d, 'idValue')) ?? []),
    priorCTReports: childrenNamed(n, 'priorCTReports').map((c) => String(c.value)),
    estimatedLocation: estimatedLocation(child(n, 'estimatedLocation')),
  });
}

function file(n: Node) {
  const annotations = new Set<string>();
  for (const a of child(n, 'fileAnnotations')?.children ?? []) annotations.add(a.name);
  if (valueOf<boolean>(child(n, 'potentialMeme')) === true) annotations.add('potentialMeme');
  return compact({
    fileId: text(child(n, 'fileId')) ?? '',
    originalFileName: text(child(n, 'originalFileName')),
    // Wilson: a file the provider does not say it viewed is treated as not viewed (a warrant first).
    fileViewedByEsp: valueOf<boolean>(child(n, 'fileViewedByEsp')) ?? false,
    exifViewedByEsp: valueOf<boolean>(child(n, 'exifViewedByEsp')),
    publiclyAvailable: valueOf<boolean>(child(n, 'publiclyAvailable')),
    originalFileHash: texts(n, 'originalFileHash'),
    fileAnnotations: [...annotations] as never[],
    fileRelevance: valueOf<string>(child(n, 'fileRelevance')) as 'Reported' | undefined,
    industryClassification: valueOf<string>(child(n, 'industryClassification')) as 'A1' | undefined,
    uploadedToEspTimestamp: valueOf<string>(child(n, 'uploadedToEspTimestamp')),
  });
}

/** The NCMEC report number, from wherever it was given; every place that gives one must agree. */
function reportNumber(parts: ReportParts, issues: Issue[]): string | undefined {
  const given: { value: string; where: string; node: Node; path: string }[] = [];
  if (parts.envelope?.reportId)
    given.push({
      value: parts.envelope.reportId,
      where: '<receivedReport reportId>',
      node: parts.envelope.node,
      path: `${parts.envelope.node.path}/@reportId`,
    });
  for (const fd of parts.fileDetails) {
    const id = child(fd, 'reportId');
    if (id) given.push({ value: String(id.value), where: `${fd.path}/reportId`, node: id, path: id.path });
  }
  if (parts.reportNumber !== undefined)
    given.push({ value: parts.reportNumber, where: 'the report number given with the file', node: parts.report, path: parts.report.path });
  if (given.length === 0) {
    issues.push({
      path: parts.report.path,
      line: parts.report.line,
      message:
        'has no NCMEC report number, so no case can be opened for it: NCMEC assigns it (reportId) and it comes in each <fileDetails><reportId>, ' +
        'in <receivedReport reportId="…">, or as a report number given with the file; none came with this report',
    });
    return undefined;
  }
  // reportId is an xs:long: "00073504" and "73504" are one number, so each is compared (and the case named) in canonical form.
  for (const g of given) if (/^\+?\d+$/.test(g.value)) g.value = BigInt(g.value).toString();
  const first = given[0];
  for (const g of given.slice(1)) {
    if (g.value !== first.value) {
      issues.push({
        path: g.path,
        line: g.node.line,
        message: `report number ${g.value} differs from ${first.value} in ${first.where}: the documents are not of one report`,
      });
    }
  }
  return first.value;
}

export type ToTipResult = { tip: Tip } | { issues: Issue[] };

export function toTip(parts: ReportParts): ToTipResult {
  const issues: Issue[] = [];
  const { report, fileDetails, envelope } = parts;
  const sources = new Sources();
  const number = reportNumber(parts, issues);

  const summary = child(report, 'incidentSummary')!;
  const reporterNode = child(report, 'reporter')!;
  const reportingPerson = child(reporterNode, 'reportingPerson')!;
  const users = childrenNamed(report, 'personOrUserReported');
  if (users.length === 0) {
    issues.push({
      path: `${report.path}/personOrUserReported`,
      line: report.line,
      message: "is missing: CaseBridge needs the reported person or user, with their espIdentifier, to deconflict and act (NCMEC's schema makes it optional)",
    });
  } else if (users.length > 1) {
    issues.push({
      path: users[1].path,
      line: users[1].line,
      message: "is a second reported person or user: NCMEC's documentation allows 0 or 1 per report, CaseBridge takes one",
    });
  }
  if (fileDetails.length === 0) {
    issues.push({
      path: report.path,
      line: report.line,
      message: "came without <fileDetails>: CaseBridge opens a case from a report together with its files' details (in one <receivedReport> or one ZIP)",
    });
  }
  const seenFiles = new Set<string>();
  for (const fd of fileDetails) {
    const id = text(child(fd, 'fileId'));
    if (id !== undefined && seenFiles.has(id))
      issues.push({
        path: `${fd.path}/fileId`,
        line: child(fd, 'fileId')!.line,
        message: 'names a file that an earlier <fileDetails> of this report already described',
      });
    if (id !== undefined) seenFiles.add(id);
  }

  const user = users[0];
  const platform = text(child(summary, 'platform'));
  const espName = envelope?.espName?.trim() || platform || (user ? text(child(user, 'espService')) : undefined);
  if (!espName) {
    issues.push({
      path: reporterNode.path,
      line: reporterNode.line,
      message:
        'names no provider, and CaseBridge sends preservation and warrants to it: give <receivedReport espName="…">, or the report\'s incidentSummary/platform or personOrUserReported/espService',
    });
  }
  const companyCountry = country(valueOf(child(childrenNamed(reportingPerson, 'address')[0] ?? reportingPerson, 'country')));
  const dataCountry = envelope?.dataCountry ?? companyCountry;
  if (!dataCountry) {
    issues.push({
      path: reporterNode.path,
      line: reporterNode.line,
      message:
        'says nothing of where the provider holds the data, which decides the legal route: give <receivedReport dataCountry="…"> or a country in reporter/reportingPerson/address',
    });
  }
  if (issues.length > 0) return { issues };

  sources.set('', report);
  sources.set('incidentSummary', summary);
  sources.set('reporter', reporterNode);
  sources.set('reporter.reportingPerson', reportingPerson);
  sources.set('reporter.contactPerson', child(reporterNode, 'contactPerson'));
  sources.set('ncmecReportNumber', envelope?.node ?? fileDetails[0]);
  sources.set('personOrUserReported', user);
  sources.set('personOrUserReported.person', child(user, 'personOrUserReportedPerson'));
  childrenNamed(report, 'intendedRecipient').forEach((r, i) => {
    sources.set(`intendedRecipient.${i}`, r);
    sources.set(`intendedRecipient.${i}.person`, child(r, 'intendedRecipientPerson'));
  });
  childrenNamed(report, 'victim').forEach((v, i) => {
    sources.set(`victim.${i}`, v);
    sources.set(`victim.${i}.person`, child(v, 'victimPerson'));
  });
  fileDetails.forEach((fd, i) => {
    sources.set(`files.${i}`, fd);
    sources.set(`files.${i}.fileAnnotations`, child(fd, 'fileAnnotations') ?? child(fd, 'potentialMeme'));
  });
  const le = child(report, 'lawEnforcement');
  sources.set('lawEnforcement', le);
  if (le) sources.set('lawEnforcement.officerContact', child(le, 'officerContact'));
  const batched = child(report, 'batchedReport');
  sources.set('batchedReport', batched);

  const annotations = child(summary, 'reportAnnotations');
  const served = le ? child(le, 'servedLegalProcessInternational') : undefined;
  const contactPerson = child(reporterNode, 'contactPerson');
  const tip = compact({
    ncmecReportNumber: number!,
    priority: envelope?.priority ? Number(envelope.priority) : undefined,
    batchedReport: batched ? { reason: batched.attrs.reason as 'VIRAL_POTENTIAL_MEME' } : undefined,
    incidentSummary: compact({
      incidentType: valueOf<string>(child(summary, 'incidentType')),
      platform,
      escalateToHighPriority: text(child(summary, 'escalateToHighPriority')),
      reportAnnotations: (annotations?.children ?? []).map((a) => a.name),
      incidentDateTime: valueOf<string>(child(summary, 'incidentDateTime')),
      incidentDateTimeDescription: text(child(summary, 'incidentDateTimeDescription')),
    }),
    reporter: compact({
      espName: espName!,
      dataCountry: dataCountry!,
      reportingPerson: contact(reportingPerson),
      contactPerson: contactPerson ? contact(contactPerson) : undefined,
    }),
    personOrUserReported: compact({
      ...account(user, 'personOrUserReported', sources),
      espIdentifier: text(child(user, 'espIdentifier')) ?? '',
      person: child(user, 'personOrUserReportedPerson') ? person(child(user, 'personOrUserReportedPerson')!) : undefined,
      compromisedAccount: valueOf<boolean>(child(user, 'compromisedAccount')),
      thirdPartyUserReported: valueOf<boolean>(child(user, 'thirdPartyUserReported')),
      groupIdentifier: text(child(user, 'groupIdentifier')),
    }),
    intendedRecipient: childrenNamed(report, 'intendedRecipient').map((r, i) => {
      const p = child(r, 'intendedRecipientPerson');
      return compact({ ...account(r, `intendedRecipient.${i}`, sources), person: p ? person(p) : undefined });
    }),
    files: fileDetails.map(file),
    victim: childrenNamed(report, 'victim').map((v, i) =>
      compact({ ...account(v, `victim.${i}`, sources), person: person(child(v, 'victimPerson')!), schoolName: text(child(v, 'schoolName')) }),
    ),
    lawEnforcement: le
      ? compact({
          agencyName: text(child(le, 'agencyName')) ?? '',
          caseNumber: text(child(le, 'caseNumber')),
          officerContact: child(le, 'officerContact') ? contact(child(le, 'officerContact')!) : undefined,
          reportedToLe: valueOf<boolean>(child(le, 'reportedToLe')),
          servedLegalProcessDomestic: valueOf<boolean>(child(le, 'servedLegalProcessDomestic')),
          servedLegalProcessInternational: served ? compact({ served: served.value as boolean, country: country(served.attrs.fleaCountry) }) : undefined,
        })
      : undefined,
    additionalInfo: text(child(report, 'additionalInfo')),
    simulatorDirectives: envelope?.directives.length ? envelope.directives : undefined,
  }) as TipInput;

  const parsed = TipSchema.safeParse(tip);
  if (parsed.success) return { tip: parsed.data };
  return { issues: parsed.error.issues.map((i: z.core.$ZodIssue) => tipIssue(i, sources, report)) };
}

/** A rule of CaseBridge's tip that the report breaks, said of the element the field came from. */
function tipIssue(issue: z.core.$ZodIssue, sources: Sources, report: Node): Issue {
  const node = sources.for(issue.path, report);
  return { path: node.path, line: node.line, message: `${issue.message} (CaseBridge's tip field ${issue.path.map(String).join('.') || '(root)'})` };
}
