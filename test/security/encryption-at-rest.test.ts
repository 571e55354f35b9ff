/**
 * Encryption at rest, on the real dev server with its SQLite file: a workflow whose input, memo,
 * update, result, activity failure and workflow failure carry a (fake) suspect's screen name and IP
 * address leaves neither in the database file, while a client with the key reads everything back
 * and the `temporal` CLI decodes it through the codec server. A control run without a key, on the
 * same server, proves the file scan finds plaintext when it is there. Also: key rotation keeps a
 * running case going, and wrong keys fail with clear messages.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { type Payload } from '@temporalio/common';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { startCodecServer } from '../../platform/codec-server';
import { caseBridgeDataConverter, FAILURE_CONVERTER_PATH, loadPayloadCodec } from '../../platform/connection';
import { encryptionKeyId } from '../../platform/crypto/codec';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { CaseStage } from '../../workflows/search-attributes';
import { addNote, encryptedProbe, failingProbe, stage, type LookupActivities, type ProbeSubject } from '../crypto/workflows';
import { startDevServer } from '../harness/servers';
import { waitFor } from '../harness/wait';

const run = promisify(execFile);
const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const KEYS_K1 = { CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k1}` };
const KEYS_ROTATED = { CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k1},k2:${k2}`, CASEBRIDGE_ENCRYPTION_KEY_ID: 'k2' };
const nonce = randomBytes(4).toString('hex');

const SECRET: ProbeSubject = { screenName: `darkfalcon_${nonce}`, ipAddress: '203.0.113.45', failureMarker: `ACTFAIL_SECRET_${nonce}` };
const ROTATED: ProbeSubject = { screenName: `nightowl_${nonce}`, ipAddress: '198.51.100.23', failureMarker: `ACTFAIL_ROTATED_${nonce}` };
const CONTROL: ProbeSubject = { screenName: `plainjane_${nonce}`, ipAddress: '192.0.2.77', failureMarker: `ACTFAIL_CONTROL_${nonce}` };
const SECRET_NOTE = `note naming ${SECRET.screenName} NOTE_${nonce}`;
const SECRET_WF_FAILURE = `WFFAIL_SECRET_${nonce}`;
const CONTROL_WF_FAILURE = `WFFAIL_CONTROL_${nonce}`;
const SA_MARKER = `intake-${nonce}`;

const activities: LookupActivities = {
  async lookUpAccount(subject) {
    throw new Error(`no account for ${subject.screenName} at ${subject.ipAddress} [${subject.failureMarker}]`);
  },
};

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The text of every payload in `temporal workflow show --output json` (payload data is base64 there). */
function payloadTexts(cliJson: string): string {
  const texts: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.data === 'string' && o.metadata && typeof o.metadata === 'object') texts.push(Buffer.from(o.data, 'base64').toString('utf8'));
      Object.values(o).forEach(walk);
    }
  };
  walk(JSON.parse(cliJson));
  return texts.join('\n');
}

function keyIds(payloads: Payload[] | null | undefined): Array<string | undefined> {
  return (payloads ?? []).map((p) => encryptionKeyId(p));
}

async function events(handle: WorkflowHandle): Promise<HistoryEvent[]> {
  return (await handle.fetchHistory()).events ?? [];
}

const started = (evs: HistoryEvent[]) => evs[0].workflowExecutionStartedEventAttributes!;

describe('payload encryption on the dev server', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-encryption-'));
  const dbFilename = path.join(dir, 'temporal.sqlite');
  let env: TestWorkflowEnvironment | undefined;
  let bundle: { code: string };
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

  beforeAll(async () => {
    env = await startDevServer({ dbFilename });
    // The shared bundle (workflows/index.ts) has neither these workflows nor the failure converter.
    bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../crypto/workflows'),
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: quiet,
    });
  });

  afterAll(async () => {
    await env?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function client(keys: NodeJS.ProcessEnv): Client {
    return new Client({ connection: env!.connection, dataConverter: caseBridgeDataConverter(keys) });
  }

  function worker(taskQueue: string, keys: NodeJS.ProcessEnv): Promise<Worker> {
    return Worker.create({
      connection: env!.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities,
      dataConverter: caseBridgeDataConverter(keys),
    });
  }

  /** Starts the probe, waits for the failed activity, sends the update, returns the result. */
  async function probeCase(c: Client, taskQueue: string, subject: ProbeSubject, note: string) {
    const handle = await c.workflow.start(encryptedProbe, {
      taskQueue,
      workflowId: `probe-${taskQueue}-${nonce}`,
      args: [subject],
      memo: { subject },
      typedSearchAttributes: [{ key: CaseStage, value: `${SA_MARKER}-${taskQueue}` }],
    });
    await waitFor(async () => ((await handle.query(stage)) === 'waiting-for-note' ? true : undefined), 30_000);
    const updateResult = await handle.executeUpdate(addNote, { args: [note] });
    return { handle, updateResult, result: await handle.result() };
  }

  async function failingCase(c: Client, taskQueue: string, subject: ProbeSubject, marker: string): Promise<unknown> {
    const handle = await c.workflow.start(failingProbe, {
      taskQueue,
      workflowId: `failing-${taskQueue}-${nonce}`,
      args: [{ ...subject, failureMarker: marker }],
    });
    return handle.result().catch((err: unknown) => err);
  }

  it('rotation: a case started under key k1 finishes after k2 becomes active, with k1 still listed', async () => {
    const before = await worker('rotation', KEYS_K1);
    const c1 = client(KEYS_K1);
    const handle = await before.runUntil(async () => {
      const h = await c1.workflow.start(encryptedProbe, { taskQueue: 'rotation', workflowId: `rotation-${nonce}`, args: [ROTATED] });
      await waitFor(async () => ((await h.query(stage)) === 'waiting-for-note' ? true : undefined), 30_000);
      return h;
    });

    // A new worker (no cached state: it replays the k1 history) with k2 active.
    const after = await worker('rotation', KEYS_ROTATED);
    const c2 = client(KEYS_ROTATED);
    const result = await after.runUntil(async () => {
      await c2.workflow.getHandle(handle.workflowId).executeUpdate(addNote, { args: ['after rotation'] });
      return c2.workflow.getHandle(handle.workflowId).result();
    });
    expect(result).toEqual({ subject: ROTATED, activityError: expect.stringContaining(ROTATED.failureMarker), notes: ['after rotation'] });

    const evs = await events(handle);
    expect(keyIds(started(evs).input?.payloads)).toEqual(['k1']);
    const completed = evs.find((e) => e.workflowExecutionCompletedEventAttributes)!.workflowExecutionCompletedEventAttributes!;
    expect(keyIds(completed.result?.payloads)).toEqual(['k2']);
    const accepted = evs.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)!.workflowExecutionUpdateAcceptedEventAttributes!;
    expect(keyIds(accepted.acceptedRequest?.input?.args?.payloads)).toEqual(['k2']);

    // Why k1 must stay listed: without it the case's older data cannot be read.
    const k2Only = client({ CASEBRIDGE_ENCRYPTION_KEYS: `k2:${k2}` });
    await expect(decodeArrayFromPayloads(k2Only.options.loadedDataConverter, started(evs).input?.payloads)).rejects.toThrow(
      "payload was encrypted with key 'k1' which is not configured (configured: k2)",
    );
    await expect(decodeArrayFromPayloads(c2.options.loadedDataConverter, started(evs).input?.payloads)).resolves.toEqual([ROTATED]);
  });

  it('encrypts inputs, memos, updates, results and failure messages; the key holder reads them back', async () => {
    const encWorker = await worker('enc', KEYS_K1);
    const plainWorker = await worker('plain', {});
    const enc = client(KEYS_K1);
    const plain = client({});

    const [secretRun, controlRun] = await Promise.all([
      encWorker.runUntil(async () => ({
        ...(await probeCase(enc, 'enc', SECRET, SECRET_NOTE)),
        failure: await failingCase(enc, 'enc', SECRET, SECRET_WF_FAILURE),
      })),
      plainWorker.runUntil(async () => ({
        ...(await probeCase(plain, 'plain', CONTROL, 'control note')),
        failure: await failingCase(plain, 'plain', CONTROL, CONTROL_WF_FAILURE),
      })),
    ]);

    // The key holder sees everything, failure messages included.
    expect(secretRun.result).toEqual({
      subject: SECRET,
      activityError: `no account for ${SECRET.screenName} at ${SECRET.ipAddress} [${SECRET.failureMarker}]`,
      notes: [SECRET_NOTE],
    });
    expect(secretRun.updateResult).toBe(`noted: ${SECRET_NOTE}`);
    expect(secretRun.failure).toBeInstanceOf(WorkflowFailedError);
    expect((secretRun.failure as WorkflowFailedError).cause?.message).toBe(
      `case cannot proceed: ${SECRET.screenName} at ${SECRET.ipAddress} (${SECRET_WF_FAILURE})`,
    );
    expect((await secretRun.handle.describe()).memo).toEqual({ subject: SECRET });
    const evs = await events(secretRun.handle);
    await expect(decodeArrayFromPayloads(enc.options.loadedDataConverter, started(evs).input?.payloads)).resolves.toEqual([SECRET]);
    expect(controlRun.result.subject).toEqual(CONTROL);

    // What the server holds: ciphertext under k1, failures as "Encoded failure".
    expect(keyIds(started(evs).input?.payloads)).toEqual(['k1']);
    expect(Object.values(started(evs).memo?.fields ?? {}).map((p) => encryptionKeyId(p))).toEqual(['k1']);
    const activityFailure = evs.find((e) => e.activityTaskFailedEventAttributes)!.activityTaskFailedEventAttributes!.failure!;
    expect(activityFailure.message).toBe('Encoded failure');
    expect(activityFailure.stackTrace).toBe('');
    expect(encryptionKeyId(activityFailure.encodedAttributes!)).toBe('k1');
    const failedEvs = await events(enc.workflow.getHandle(`failing-enc-${nonce}`));
    const wfFailure = failedEvs.find((e) => e.workflowExecutionFailedEventAttributes)!.workflowExecutionFailedEventAttributes!.failure!;
    expect(wfFailure.message).toBe('Encoded failure');
    expect(encryptionKeyId(wfFailure.encodedAttributes!)).toBe('k1');
  });

  it('a client with a missing or wrong key gets a clear error, never garbage', async () => {
    const handle = (keys: NodeJS.ProcessEnv) => client(keys).workflow.getHandle(`probe-enc-${nonce}`);
    await expect(handle({ CASEBRIDGE_ENCRYPTION_KEYS: `k9:${k2}` }).result()).rejects.toThrow(
      "payload was encrypted with key 'k1' which is not configured (configured: k9); add it to CASEBRIDGE_ENCRYPTION_KEYS or the key file",
    );
    await expect(handle({ CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k2}` }).result()).rejects.toThrow(
      "payload encrypted with key 'k1' could not be decrypted: the key configured as 'k1' is not the one it was encrypted with, or the stored payload was altered",
    );
    // Without any key the SDK refuses the unknown encoding rather than returning ciphertext.
    await expect(handle({}).result()).rejects.toThrow(/binary\/encrypted/);
  });

  it('the temporal CLI decodes the history through the codec server, and only with the token', async () => {
    const token = randomBytes(32).toString('base64url');
    const codecLog: string[] = [];
    const server = await startCodecServer({
      codec: loadPayloadCodec(KEYS_K1)!,
      token,
      allowedOrigins: ['http://127.0.0.1:8233'],
      port: 0,
      logger: createLogger({ level: 'debug', destination: new Writable({ write: (c: Buffer, _e, done) => (codecLog.push(c.toString()), done()) }) }),
    });
    const cli = loadConfig().TEMPORAL_CLI_PATH;
    const show = (...extra: string[]) =>
      run(cli, ['workflow', 'show', '--workflow-id', `probe-enc-${nonce}`, '--address', env!.address, '--output', 'json', ...extra], {
        env: { PATH: process.env.PATH, HOME: dir },
        maxBuffer: 16 * 1024 * 1024,
      });
    try {
      const raw = await show();
      expect(raw.stdout).toContain(Buffer.from('binary/encrypted').toString('base64'));
      expect(payloadTexts(raw.stdout)).not.toContain(SECRET.screenName);

      const decoded = await show('--codec-endpoint', server.url, '--codec-auth', `Bearer ${token}`);
      expect(decoded.stdout).not.toContain(Buffer.from('binary/encrypted').toString('base64'));
      const texts = payloadTexts(decoded.stdout);
      expect(texts).toContain(SECRET.screenName);
      // The activity failure's message, from its encoded attributes.
      expect(texts).toContain(`"message":"no account for ${SECRET.screenName} at ${SECRET.ipAddress} [${SECRET.failureMarker}]"`);

      // The CLI retries a failing codec until its deadline, then gives up without the data.
      const refused = await show('--codec-endpoint', server.url, '--codec-auth', 'Bearer not-the-token', '--command-timeout', '3s').then(
        (r) => ({ failed: false, output: payloadTexts(r.stdout) }),
        (err: { stdout?: string; stderr?: string }) => ({ failed: true, output: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
      );
      expect(refused.failed).toBe(true);
      expect(refused.output).not.toContain(SECRET.screenName);
      expect(codecLog.join('')).toContain('codec request without a valid token refused');
    } finally {
      await server.close();
    }
  });

  it('the SQLite files hold no identifier of an encrypted case (and do hold the unencrypted control)', async () => {
    // Stop the server so nothing is half-written; SIGKILL leaves the WAL, which is scanned too.
    await env?.teardown();
    env = undefined;
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('temporal.sqlite'));
    expect(files).toContain('temporal.sqlite');
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(dir, f))));
    const found = (s: string) => bytes.includes(Buffer.from(s, 'utf8'));

    const mustBeAbsent = [
      SECRET.screenName,
      SECRET.ipAddress,
      SECRET.failureMarker,
      SECRET_NOTE,
      SECRET_WF_FAILURE,
      ROTATED.screenName,
      ROTATED.ipAddress,
      ROTATED.failureMarker,
    ];
    expect(mustBeAbsent.filter(found)).toEqual([]);
    // The control proves the scan sees plaintext payloads, failure messages and search attributes.
    expect([CONTROL.screenName, CONTROL.ipAddress, CONTROL.failureMarker, CONTROL_WF_FAILURE].filter(found)).toEqual([
      CONTROL.screenName,
      CONTROL.ipAddress,
      CONTROL.failureMarker,
      CONTROL_WF_FAILURE,
    ]);
    // Search attributes are never encrypted: the encrypted case's CaseStage is in the file in clear.
    expect(found(`${SA_MARKER}-enc`)).toBe(true);
  });
});
