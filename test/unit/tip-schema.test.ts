/** The tip schema: every fixture parses; bad input is named by field. */
import fs from 'node:fs';
import path from 'node:path';
import { TipSchema, caseIdFor, describeIssues } from '../../workflows/tip';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'tips');

describe('tip schema', () => {
  it.each(fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')))('parses fixture %s', (file) => {
    expect(() => TipSchema.parse(JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')))).not.toThrow();
  });

  it('names the field that is wrong', () => {
    const tip = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'domestic-arrest.json'), 'utf8'));
    tip.incidentSummary.incidentType = 'Jaywalking';
    tip.personOrUserReported.ipCaptureEvent[0].ipAddress = '999.1.1.1';
    tip.surprise = true;
    const result = TipSchema.safeParse(tip);
    expect(result.success).toBe(false);
    const lines = describeIssues(result.error!);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^incidentSummary\.incidentType: /),
        'personOrUserReported.ipCaptureEvent.0.ipAddress: must be an IPv4 or IPv6 address',
        expect.stringMatching(/surprise/),
      ]),
    );
  });

  it('derives the case id from the report number only', () => {
    expect(caseIdFor('190000001')).toBe('case-190000001');
  });
});
