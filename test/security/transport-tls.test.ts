/**
 * Transport security, for real: the dev server speaks plaintext gRPC, so nginx (grpc_pass) is put
 * in front of it on loopback, once with TLS and once with mutual TLS (ssl_verify_client on), with a
 * CA and certificates this test generates. Clients and a worker connect through it with nothing
 * but the TEMPORAL_TLS_* variables that envconfig reads (platform/connection.ts loadTemporalTarget),
 * the same ones the `temporal` CLI reads; without a client certificate, or with one from another
 * CA, the mTLS proxy refuses them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../platform/config';
import { loadTemporalTarget, type TemporalTarget } from '../../platform/connection';
import { connectWorker } from '../../worker/worker';
import { probeWorkflow } from '../../workflows';
import { freePort } from '../harness/ports';
import { startDevServer, workflowBundle } from '../harness/servers';
import { waitFor } from '../harness/wait';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER_NAME = 'temporal.casebridge.test';
const runFile = promisify(execFile);

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA, a server certificate (SAN: the test name and 127.0.0.1), a client certificate, and a client certificate from a rogue CA. */
function makeCertificates(dir: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const ca of ['ca', 'rogue-ca']) {
    openssl(['req', '-x509', ...ec, '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '2', '-subj', `/CN=CaseBridge test ${ca}`], dir);
  }
  const leaf = (name: string, ca: string, subject: string, ext: string): void => {
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl(['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${ca}.pem`,
        '-CAkey',
        `${ca}.key`,
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
      ],
      dir,
    );
  };
  const common = 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n';
  leaf('server', 'ca', `/CN=${SERVER_NAME}`, `${common}extendedKeyUsage=serverAuth\nsubjectAltName=DNS:${SERVER_NAME},IP:127.0.0.1\n`);
  leaf('client', 'ca', '/CN=casebridge-worker', `${common}extendedKeyUsage=clientAuth\n`);
  leaf('rogue', 'rogue-ca', '/CN=intruder', `${common}extendedKeyUsage=clientAuth\n`);
}

function nginxBinary(): string {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (fs.existsSync(p)) return p;
  return 'nginx';
}

function nginxConfig(dir: string, upstream: string, tlsPort: number, mtlsPort: number): string {
  const tls = `
    ssl_certificate ${dir}/server.pem;
    ssl_certificate_key ${dir}/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      grpc_pass grpc://${upstream};
      # Workers long-poll for tasks (about a minute); payloads can be several MB.
      grpc_read_timeout 300s;
      grpc_send_timeout 300s;
    }`;
  return `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log info;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/nginx-tmp/body;
  proxy_temp_path ${dir}/nginx-tmp/proxy;
  fastcgi_temp_path ${dir}/nginx-tmp/fastcgi;
  uwsgi_temp_path ${dir}/nginx-tmp/uwsgi;
  scgi_temp_path ${dir}/nginx-tmp/scgi;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:${tlsPort} ssl http2;
    ${tls}
  }
  server {
    listen 127.0.0.1:${mtlsPort} ssl http2;
    ssl_client_certificate ${dir}/ca.pem;
    ssl_verify_client on;
    ${tls}
  }
}
`;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('TLS and mTLS to Temporal through envconfig (nginx in front of the dev server)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-tls-'));
  let env: TestWorkflowEnvironment | undefined;
  let nginx: ChildProcess | undefined;
  let nginxOutput = '';
  let tlsPort = 0;
  let mtlsPort = 0;
  const connections: Array<{ close(): Promise<void> }> = [];

  const cert = (name: string) => path.join(dir, name);
  const mtlsEnv = (): NodeJS.ProcessEnv => ({
    TEMPORAL_ADDRESS: `127.0.0.1:${mtlsPort}`,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: cert('ca.pem'),
    TEMPORAL_TLS_CLIENT_CERT_PATH: cert('client.pem'),
    TEMPORAL_TLS_CLIENT_KEY_PATH: cert('client.key'),
    // No TOML profile from the machine running the tests.
    TEMPORAL_CONFIG_FILE: path.join(dir, 'no-such-temporal.toml'),
  });

  async function connect(target: TemporalTarget, connectTimeout = 5_000): Promise<Client> {
    const connection = await Connection.connect({ ...target.connectionOptions, connectTimeout });
    connections.push(connection);
    const client = new Client({ connection, namespace: target.namespace });
    await client.workflowService.getSystemInfo({});
    return client;
  }

  /** The error's message with its causes and gRPC details: what the test asserts a refusal by. */
  async function refusal(p: Promise<unknown>): Promise<string> {
    const outcome = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    if (outcome === undefined) return 'NOT REFUSED';
    const parts: string[] = [];
    for (let e: unknown = outcome; e instanceof Error && parts.length < 5; e = e.cause) {
      parts.push(e.message, JSON.stringify((e as { details?: unknown }).details ?? ''));
    }
    return parts.join(' | ');
  }

  beforeAll(async () => {
    execFileSync(path.join(ROOT, 'scripts', 'install-nginx.sh'), { stdio: 'inherit' });
    makeCertificates(dir);
    env = await startDevServer();
    fs.mkdirSync(path.join(dir, 'nginx-tmp'), { recursive: true });
    tlsPort = await freePort();
    mtlsPort = await freePort();
    const conf = path.join(dir, 'nginx.conf');
    fs.writeFileSync(conf, nginxConfig(dir, env.address, tlsPort, mtlsPort));
    nginx = spawn(nginxBinary(), ['-p', dir, '-c', conf, '-e', path.join(dir, 'nginx-error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stdout!.on('data', (d) => (nginxOutput += String(d)));
    nginx.stderr!.on('data', (d) => (nginxOutput += String(d)));
    await waitFor(async () => {
      if (nginx!.exitCode !== null) throw new Error(`nginx exited with ${nginx!.exitCode}: ${nginxOutput}`);
      return (await portOpen(tlsPort)) && (await portOpen(mtlsPort)) ? true : undefined;
    }, 15_000).catch((err) => {
      const log = fs.existsSync(path.join(dir, 'nginx-error.log')) ? fs.readFileSync(path.join(dir, 'nginx-error.log'), 'utf8') : '';
      throw new Error(`${String(err)}\n${nginxOutput}\n${log}`);
    });
    // A fresh machine runs apt-get first.
  }, 300_000);

  afterAll(async () => {
    for (const c of connections) await c.close().catch(() => undefined);
    if (nginx && nginx.exitCode === null && nginx.signalCode === null) {
      const exited = new Promise((resolve) => nginx!.once('exit', resolve));
      nginx.kill('SIGTERM');
      const timer = setTimeout(() => nginx!.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await env?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('TLS: a client verifying the server against the CA (and TEMPORAL_TLS_SERVER_NAME) gets through', async () => {
    const target = loadTemporalTarget({
      TEMPORAL_ADDRESS: `127.0.0.1:${tlsPort}`,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: cert('ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
      TEMPORAL_CONFIG_FILE: path.join(dir, 'no-such-temporal.toml'),
    });
    expect(target.connectionOptions.tls).toMatchObject({ serverNameOverride: SERVER_NAME });
    const client = await connect(target);
    const ns = await client.workflowService.describeNamespace({ namespace: 'default' });
    expect(ns.namespaceInfo?.name).toBe('default');
  });

  it('TLS: a client that does not trust the CA, or speaks plaintext, is refused', async () => {
    const untrusting = loadTemporalTarget({
      TEMPORAL_ADDRESS: `127.0.0.1:${tlsPort}`,
      TEMPORAL_TLS: 'true',
      TEMPORAL_CONFIG_FILE: path.join(dir, 'none.toml'),
    });
    // The same target with the CA gets through (previous test): the missing trust is what fails.
    expect(await refusal(connect(untrusting, 2_000))).toMatch(/^Failed to connect/);
    const plaintext = loadTemporalTarget({ TEMPORAL_ADDRESS: `127.0.0.1:${tlsPort}`, TEMPORAL_CONFIG_FILE: path.join(dir, 'none.toml') });
    expect(plaintext.connectionOptions.tls).toBeUndefined();
    expect(await refusal(connect(plaintext, 2_000))).toMatch(/^Failed to connect/);
  });

  it('mTLS: a worker and a client with the client certificate run a workflow through the proxy', async () => {
    const target = loadTemporalTarget(mtlsEnv());
    expect(target.connectionOptions.tls).toMatchObject({ clientCertPair: { crt: expect.any(Uint8Array), key: expect.any(Uint8Array) } });
    const client = await connect(target);
    const nativeConnection = await connectWorker(target);
    connections.push(nativeConnection);
    const worker = await Worker.create({ connection: nativeConnection, namespace: target.namespace, taskQueue: 'tls-probe', workflowBundle: workflowBundle() });
    const marker = `tls-${Date.now()}`;
    const result = await worker.runUntil(
      client.workflow.execute(probeWorkflow, { taskQueue: 'tls-probe', workflowId: marker, args: [{ timerMs: 10, marker }] }),
    );
    expect(result.sleptMs).toBeGreaterThanOrEqual(10);
    // The workflow ran on the dev server behind the proxy: visible there directly too.
    const direct = await env!.client.workflow.getHandle(marker).describe();
    expect(direct.status.name).toBe('COMPLETED');
  });

  it('mTLS: without a client certificate, or with one from another CA, client and worker are refused', async () => {
    const { TEMPORAL_TLS_CLIENT_CERT_PATH: _c, TEMPORAL_TLS_CLIENT_KEY_PATH: _k, ...noCert } = mtlsEnv();
    const noCertTarget = loadTemporalTarget(noCert);
    expect(noCertTarget.connectionOptions.tls).toMatchObject({ clientCertPair: undefined });
    // nginx completes the handshake, then answers the gRPC call with HTTP 400 "No required SSL certificate was sent".
    expect(await refusal(connect(noCertTarget, 2_000))).toMatch(/Received HTTP status code 400/);
    expect(await refusal(connectWorker(noCertTarget).then((c) => (connections.push(c), c.workflowService.getSystemInfo({}))))).toMatch(/400 Bad Request/);

    const rogue = loadTemporalTarget({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: cert('rogue.pem'), TEMPORAL_TLS_CLIENT_KEY_PATH: cert('rogue.key') });
    expect(await refusal(connect(rogue, 2_000))).toMatch(/Received HTTP status code 400/);
    // nginx saw and refused them (not some unrelated failure).
    const nginxLog = fs.readFileSync(path.join(dir, 'nginx-error.log'), 'utf8');
    expect(nginxLog).toContain('client sent no required SSL certificate');
    expect(nginxLog).toMatch(/client SSL certificate verify error/);
  });

  it('the temporal CLI reads the same TEMPORAL_TLS_* variables: with the certificate it gets through, without it not', async () => {
    const cli = loadConfig().TEMPORAL_CLI_PATH;
    const describe = (extra: NodeJS.ProcessEnv) =>
      runFile(cli, ['operator', 'namespace', 'describe', '--namespace', 'default', '--output', 'json', '--command-timeout', '5s'], {
        env: { PATH: process.env.PATH, HOME: dir, ...extra },
      });
    const ok = await describe(mtlsEnv());
    expect(JSON.parse(ok.stdout).namespaceInfo.name).toBe('default');
    const { TEMPORAL_TLS_CLIENT_CERT_PATH: _c, TEMPORAL_TLS_CLIENT_KEY_PATH: _k, ...noCert } = mtlsEnv();
    await expect(describe(noCert)).rejects.toThrow(/No required SSL certificate was sent/);
  });

  it('the API (the door people use) connects through the mTLS proxy with the certificate, and cannot start without it', async () => {
    const api = path.resolve(__dirname, '..', '..', 'dist', 'api', 'main.js');
    const base = { PATH: process.env.PATH, HOME: dir, CASEBRIDGE_LOG_LEVEL: 'silent', CASEBRIDGE_DATA_DIR: path.join(dir, 'api-data') };
    const port = await freePort();
    const child = spawn(process.execPath, [api], { env: { ...base, ...mtlsEnv(), CASEBRIDGE_API_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    try {
      await waitFor(async () => (out.includes('CaseBridge API at') ? true : undefined), 60_000, 100);
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { checks: Record<string, string> };
      expect(ready.checks.temporal).toBe('ok');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    const { TEMPORAL_TLS_CLIENT_CERT_PATH: _c, TEMPORAL_TLS_CLIENT_KEY_PATH: _k, ...noCert } = mtlsEnv();
    const refused = await runFile(process.execPath, [api], {
      env: { ...base, ...noCert, CASEBRIDGE_API_PORT: String(await freePort()) },
      timeout: 60_000,
    }).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (err: { code?: number; stderr?: string }) => ({ code: err.code ?? -1, stderr: err.stderr ?? '' }),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^casebridge api: .*(certificate|handshake|UNAVAILABLE|connect)/im);
  });
});
