/**
 * Sample NCMEC reports for tests and the intake bench: a `<receivedReport>` per report number, as
 * small and as realistic as a typical CyberTipline report (a reported user with an upload IP, files
 * with hashes). Everything in them is invented.
 */
import fs from 'node:fs';
import { once } from 'node:events';

export interface SampleOptions {
  /** File details documents per report. */
  files?: number;
  directives?: string[];
  /** Extra elements for the report's end (`additionalInfo`), to make reports larger. */
  additionalInfo?: string;
  /** Leave out the envelope's reportId (the number then comes from the file details). */
  envelopeReportId?: boolean;
}

export function sampleReport(reportNumber: string, opts: SampleOptions = {}): string {
  return `<report>
    <incidentSummary>
      <incidentType>Child Pornography (possession, manufacture, and distribution)</incidentType>
      <platform>ExampleChat</platform>
      <incidentDateTime>2026-10-30T21:14:00Z</incidentDateTime>
    </incidentSummary>
    <reporter>
      <reportingPerson>
        <firstName>Robin</firstName>
        <lastName>Reporter</lastName>
        <email>safety@example.com</email>
        <address type="Business"><city>San Francisco</city><state>CA</state><country>US</country></address>
      </reportingPerson>
    </reporter>
    <personOrUserReported>
      <espIdentifier>user-${reportNumber}</espIdentifier>
      <espService>ExampleChat Messenger</espService>
      <screenName>sample_${reportNumber}</screenName>
      <ipCaptureEvent>
        <ipAddress>198.51.100.23</ipAddress>
        <eventName>Upload</eventName>
        <dateTime>2026-10-30T21:13:02Z</dateTime>
      </ipCaptureEvent>
      <estimatedLocation><region>OH</region><countryCode>US</countryCode></estimatedLocation>
    </personOrUserReported>${opts.additionalInfo ? `\n    <additionalInfo>${opts.additionalInfo}</additionalInfo>` : ''}
  </report>`;
}

export function sampleFileDetails(reportNumber: string, i: number): string {
  return `<fileDetails>
    <reportId>${reportNumber}</reportId>
    <fileId>f-${i}</fileId>
    <originalFileName>IMG_${String(i).padStart(4, '0')}.jpg</originalFileName>
    <fileViewedByEsp>${i % 2 === 1 ? 'true' : 'false'}</fileViewedByEsp>
    <publiclyAvailable>false</publiclyAvailable>
    <originalFileHash hashType="MD5">${(Number(reportNumber) * 31 + i).toString(16).padStart(32, '0').slice(-32)}</originalFileHash>
  </fileDetails>`;
}

export function sampleReceivedReport(reportNumber: string, opts: SampleOptions = {}): string {
  const files = Array.from({ length: opts.files ?? 2 }, (_, i) => sampleFileDetails(reportNumber, i + 1)).join('\n  ');
  const directives = (opts.directives ?? []).map((d) => `<simulatorDirective>${d}</simulatorDirective>`).join('');
  const id = opts.envelopeReportId === false ? '' : ` reportId="${reportNumber}"`;
  return `<receivedReport${id} espName="ExampleChat Inc." dataCountry="US">\n  ${sampleReport(reportNumber, opts)}\n  ${files}${directives ? `\n  ${directives}` : ''}\n</receivedReport>`;
}

/** Writes a `<receivedReports>` batch of `count` reports numbered from `first`, streamed (honouring back-pressure). */
export async function writeSampleBatch(file: string, count: number, first: number, opts: SampleOptions = {}): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = async (s: string): Promise<void> => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<receivedReports>\n');
  for (let i = 0; i < count; i++) await write(`${sampleReceivedReport(String(first + i), opts)}\n`);
  await write('</receivedReports>\n');
  out.end();
  await once(out, 'finish');
}
