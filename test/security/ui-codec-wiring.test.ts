/**
 * The `make up` wiring of the codec server: with a key configured, startCodecServerForUi starts it
 * on loopback, the embedded dev server's web UI is started with `--ui-codec-endpoint` pointing at
 * it (the UI hands that endpoint to the browser through its settings API), and a request the way
 * the UI's page sends it (its Origin, no Authorization header) decodes a payload. Without a key
 * there is no codec server.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { startCodecServerForUi, type RunningCodecServer } from '../../platform/codec-server';
import { loadConfig } from '../../platform/config';
import { loadPayloadCodec } from '../../platform/connection';
import { createLogger } from '../../platform/logger';
import { startEmbeddedServer, type EmbeddedServer } from '../../worker/embedded-server';
import { freePort } from '../harness/ports';

const KEYS = { CASEBRIDGE_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}` };
const silent = createLogger({ level: 'silent' });

describe('codec server wiring for the embedded web UI', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-ui-codec-'));
  let codecServer: RunningCodecServer | undefined;
  let server: EmbeddedServer | undefined;

  afterAll(async () => {
    await server?.stop();
    await codecServer?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts no codec server without a key', async () => {
    await expect(startCodecServerForUi({ uiPort: 8233, env: {}, logger: silent })).resolves.toBeUndefined();
  });

  it("gives the UI an endpoint it can use from the browser, and decodes the UI's requests", async () => {
    const uiPort = await freePort();
    codecServer = await startCodecServerForUi({ uiPort, env: { ...KEYS, CASEBRIDGE_CODEC_PORT: '0' }, logger: silent });
    expect(codecServer).toBeDefined();
    server = await startEmbeddedServer({
      cliPath: loadConfig().TEMPORAL_CLI_PATH,
      dataDir,
      port: await freePort(),
      uiPort,
      namespace: 'default',
      retentionDays: 1,
      uiCodecEndpoint: codecServer!.uiEndpoint,
      logger: silent,
    });

    // What the UI tells the browser: the codec endpoint (and that it sends no access token).
    const settings = (await (await fetch(`http://127.0.0.1:${uiPort}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string; PassAccessToken?: boolean } };
    expect(settings.Codec).toMatchObject({ Endpoint: codecServer!.uiEndpoint, PassAccessToken: false });

    // What the browser then sends: POST <endpoint>/decode with the UI's Origin, no Authorization.
    const codec = loadPayloadCodec(KEYS)!;
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ screenName: 'darkfalcon_1987' })]);
    const body = JSON.stringify({
      payloads: [
        {
          metadata: {
            encoding: Buffer.from(encrypted.metadata!.encoding).toString('base64'),
            'encryption-key-id': Buffer.from(encrypted.metadata!['encryption-key-id']).toString('base64'),
          },
          data: Buffer.from(encrypted.data!).toString('base64'),
        },
      ],
    });
    const reply = await fetch(`${settings.Codec!.Endpoint}/decode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default' },
      body,
    });
    expect(reply.status).toBe(200);
    const decoded = (await reply.json()) as { payloads: Array<{ data: string }> };
    expect(Buffer.from(decoded.payloads[0].data, 'base64').toString()).toBe('{"screenName":"darkfalcon_1987"}');

    // The same request to the bare URL (no token) is refused.
    const bare = await fetch(`${codecServer!.url}/decode`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(bare.status).toBe(401);
  });
});
