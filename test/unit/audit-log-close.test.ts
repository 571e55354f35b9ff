/** The embedded audit log at shutdown: what was appended before the close is on disk; nothing after it is written anywhere. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditFile, openEmbeddedStore, verifyAuditFile } from '../../platform/store';
import type { AuditEntry } from '../../platform/store';

const entry = (route: string): AuditEntry => ({
  at: new Date().toISOString(),
  subject: 'subject-1',
  name: 'A. Manager',
  role: 'manager',
  units: ['unit-a'],
  method: 'GET',
  route,
  action: 'read',
  status: 200,
});

describe('the audit log at shutdown', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-audit-close-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes what was appended before the close, and refuses an append after it without touching any file', async () => {
    const store = openEmbeddedStore(dir);
    const before = [store.audit.append(entry('/cases')), store.audit.append(entry('/queue'))];
    const closing = store.close();
    await expect(store.audit.append(entry('/late'))).rejects.toThrow('the audit log is closed: the API is stopping');
    await closing;
    await Promise.all(before);
    // A file opened after the close may take the log's old descriptor number: the late line must not reach it.
    const other = path.join(dir, 'other.txt');
    const fd = fs.openSync(other, 'w');
    await expect(store.audit.append(entry('/later'))).rejects.toThrow('closed');
    fs.closeSync(fd);
    expect(fs.readFileSync(other, 'utf8')).toBe('');
    const lines = fs
      .readFileSync(auditFile(dir), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { route: string });
    expect(lines.map((l) => l.route)).toEqual(['/cases', '/queue']);
    expect(await verifyAuditFile(auditFile(dir))).toMatchObject({ ok: true });
    await store.close(); // a second close is harmless
  });
});
