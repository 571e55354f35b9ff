/**
 * The codec server on loopback, over real HTTP: round trips in Temporal's remote codec JSON format
 * (interoperating with the worker's codec), the bearer token and the UI's token path, CORS for the
 * UI origin only, the body size limit, and error answers that are clear but leak nothing.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Writable } from 'node:stream';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { run, startCodecServer, type RunningCodecServer } from '../../platform/codec-server';
import { loadPayloadCodec } from '../../platform/connection';
import { createLogger } from '../../platform/logger';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const TOKEN = randomBytes(32).toString('base64url');
const UI_ORIGIN = 'http://127.0.0.1:8233';
const MAX_BODY = 64 * 1024;
const secret = { screenName: 'darkfalcon_1987', ipAddress: '203.0.113.45' };

interface JsonPayload {
  metadata: Record<string, string>;
  data: string;
}
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});
const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http rather than fetch: fetch forbids setting Origin, and the tests need to. */
function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.chunks) {
      for (const c of opts.chunks) req.write(c);
      req.end();
    } else {
      req.end(opts.body);
    }
  });
}

const json = (token = TOKEN): Record<string, string> => ({ 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'X-Namespace': 'default' });

describe('codec server', () => {
  let server: RunningCodecServer | undefined;
  const logLines: string[] = [];
  const codec = loadPayloadCodec({ CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k1}` })!;

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _e, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    server = await startCodecServer({
      codec,
      token: TOKEN,
      allowedOrigins: [UI_ORIGIN],
      port: 0,
      maxBodyBytes: MAX_BODY,
      logger: createLogger({ level: 'debug', destination }),
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('decodes what the worker encrypted, and encodes what the worker can decrypt', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(secret)]);
    const decoded = await request(`${server!.url}/decode`, { headers: json(), body: JSON.stringify({ payloads: [toJson(encrypted)] }) });
    expect(decoded.status).toBe(200);
    expect(decoded.headers['content-type']).toBe('application/json');
    expect(decoded.headers['cache-control']).toBe('no-store');
    const [plain] = (JSON.parse(decoded.body) as { payloads: JsonPayload[] }).payloads;
    expect(Buffer.from(plain.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(fromJson(plain))).toEqual(secret);

    const encoded = await request(`${server!.url}/encode`, { headers: json(), body: JSON.stringify({ payloads: [plain] }) });
    expect(encoded.status).toBe(200);
    const [again] = (JSON.parse(encoded.body) as { payloads: JsonPayload[] }).payloads;
    expect(Buffer.from(again.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(again.metadata['encryption-key-id'], 'base64').toString()).toBe('k1');
    expect(encoded.body).not.toContain(Buffer.from(JSON.stringify(secret)).toString('base64'));
    const [roundTrip] = await codec.decode([fromJson(again)]);
    expect(defaultPayloadConverter.fromPayload(roundTrip)).toEqual(secret);

    // Mounted under a prefix (only the last segment counts), and an empty batch.
    const prefixed = await request(`${server!.url}/codec/default/decode`, { headers: json(), body: '{"payloads":[]}' });
    expect(prefixed).toMatchObject({ status: 200, body: '{"payloads":[]}' });
  });

  it('refuses a missing or wrong bearer token with 401', async () => {
    const body = JSON.stringify({ payloads: [] });
    const wrong = await request(`${server!.url}/decode`, { headers: json(randomBytes(32).toString('hex')), body });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer');
    const none = await request(`${server!.url}/decode`, { headers: { 'Content-Type': 'application/json' }, body });
    expect(none.status).toBe(401);
    const prefix = await request(`${server!.url}/decode`, { headers: json(TOKEN.slice(0, -1)), body });
    expect(prefix.status).toBe(401);
  });

  it("accepts the token as a path segment: the web UI's endpoint", async () => {
    expect(server!.uiEndpoint).toBe(`${server!.url}/${TOKEN}`);
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(secret)]);
    const ok = await request(`${server!.uiEndpoint}/decode`, {
      headers: { 'Content-Type': 'application/json', Origin: UI_ORIGIN, 'X-Namespace': 'default' },
      body: JSON.stringify({ payloads: [toJson(encrypted)] }),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(ok.body).toContain(Buffer.from(JSON.stringify(secret)).toString('base64'));
    const wrong = await request(`${server!.url}/${'x'.repeat(64)}/decode`, { headers: { 'Content-Type': 'application/json' }, body: '{"payloads":[]}' });
    expect(wrong.status).toBe(401);
  });

  it('answers CORS only for the UI origin', async () => {
    const preflight = await request(`${server!.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: UI_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': UI_ORIGIN,
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type, X-Namespace',
      vary: 'Origin',
    });

    const evil = 'https://evil.example';
    const badPreflight = await request(`${server!.url}/decode`, { method: 'OPTIONS', headers: { Origin: evil, 'Access-Control-Request-Method': 'POST' } });
    const badPost = await request(`${server!.url}/decode`, { headers: { ...json(), Origin: evil }, body: '{"payloads":[]}' });
    // Same host, other port: another origin.
    const otherPort = await request(`${server!.url}/decode`, { headers: { ...json(), Origin: 'http://127.0.0.1:9999' }, body: '{"payloads":[]}' });
    for (const reply of [badPreflight, badPost, otherPort]) {
      expect(reply.status).toBe(403);
      expect(Object.keys(reply.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }

    const ok = await request(`${server!.url}/decode`, { headers: { ...json(), Origin: UI_ORIGIN }, body: '{"payloads":[]}' });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
  });

  it('refuses oversized bodies with 413, and keeps serving', async () => {
    const big = JSON.stringify({ payloads: [{ metadata: {}, data: 'A'.repeat(MAX_BODY) }] });
    const declared = await request(`${server!.url}/encode`, { headers: json(), body: big });
    expect(declared.status).toBe(413);

    // Chunked, no Content-Length: cut off while streaming. The server may close the socket
    // before the client has read the 413; either way the body is not accepted.
    const streamed = await request(`${server!.url}/encode`, {
      headers: { ...json(), 'Transfer-Encoding': 'chunked' },
      chunks: Array.from({ length: 8 }, () => Buffer.alloc(MAX_BODY / 4, 'A')),
    }).catch((err: NodeJS.ErrnoException) => ({ status: err.code ?? 'error' }));
    expect([413, 'ECONNRESET', 'EPIPE']).toContain(streamed.status);

    const after = await request(`${server!.url}/decode`, { headers: json(), body: '{"payloads":[]}' });
    expect(after.status).toBe(200);
  });

  it('answers malformed requests and undecodable payloads with 400 and a clear message', async () => {
    const badJson = await request(`${server!.url}/decode`, { headers: json(), body: '{"payloads":' });
    expect(badJson).toMatchObject({ status: 400, body: JSON.stringify({ message: 'the body is not valid JSON' }) });
    const badShape = await request(`${server!.url}/decode`, { headers: json(), body: '{"payloads":[{"data":42}]}' });
    expect(badShape.status).toBe(400);
    expect(JSON.parse(badShape.body).message).toMatch(/^payloads\.0\.data: /);
    const badBase64 = await request(`${server!.url}/decode`, { headers: json(), body: '{"payloads":[{"data":"%%%"}]}' });
    expect(JSON.parse(badBase64.body)).toEqual({ message: 'payloads[0].data is not base64' });

    const other = loadPayloadCodec({ CASEBRIDGE_ENCRYPTION_KEYS: `k2:${k2}` })!;
    const [foreign] = await other.encode([defaultPayloadConverter.toPayload(secret)]);
    const unknownKey = await request(`${server!.url}/decode`, { headers: json(), body: JSON.stringify({ payloads: [toJson(foreign)] }) });
    expect(unknownKey.status).toBe(400);
    expect(JSON.parse(unknownKey.body).message).toBe(
      "payload was encrypted with key 'k2' which is not configured (configured: k1); add it to CASEBRIDGE_ENCRYPTION_KEYS or the key file",
    );

    expect((await request(`${server!.url}/decode`, { method: 'GET' })).status).toBe(405);
    expect((await request(`${server!.url}/metrics`, { headers: json(), body: '{}' })).status).toBe(404);
    expect((await request(`${server!.url}/decode`, { headers: { ...json(), 'Content-Type': 'text/plain' }, body: '{"payloads":[]}' })).status).toBe(415);
  });

  it('logs requests without their data or the token', () => {
    const log = logLines.join('');
    expect(log).toContain('codec request served');
    expect(log).not.toContain('darkfalcon_1987');
    expect(log).not.toContain(Buffer.from(JSON.stringify(secret)).toString('base64'));
    expect(log).not.toContain(TOKEN);
  });

  it('run(): refuses to start without a token or without a key, and serves with both', async () => {
    const keys = { CASEBRIDGE_ENCRYPTION_KEYS: `k1:${k1}` };
    await expect(run({ ...keys })).rejects.toThrow(/invalid setting CASEBRIDGE_CODEC_TOKEN: set CASEBRIDGE_CODEC_TOKEN to a random secret/);
    await expect(run({ ...keys, CASEBRIDGE_CODEC_TOKEN: 'short' })).rejects.toThrow(/at least 32 characters/);
    await expect(run({ CASEBRIDGE_CODEC_TOKEN: TOKEN })).rejects.toThrow(/no encryption key is configured/);
    await expect(run({ ...keys, CASEBRIDGE_CODEC_TOKEN: TOKEN, CASEBRIDGE_CODEC_UI_ORIGINS: 'http://127.0.0.1:8233/' })).rejects.toThrow(
      /CASEBRIDGE_CODEC_UI_ORIGINS.*an origin is scheme:\/\/host\[:port\]/,
    );
    const started = await run({ ...keys, CASEBRIDGE_CODEC_TOKEN: TOKEN, CASEBRIDGE_CODEC_PORT: '0' }, createLogger({ level: 'silent' }));
    try {
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await request(`${started.url}/decode`, { headers: json(), body: '{"payloads":[]}' })).status).toBe(200);
    } finally {
      await started.close();
    }
  });
});
