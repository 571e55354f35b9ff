/**
 * Who you are: `login` (the local issuer's token endpoint → a token stored 0600 under your config
 * dir), `logout`, `whoami`; and the operators' and auditors' commands on the data dir: `users add`
 * (the local issuer's people), `audit verify` (the hash chain) — and `audit export` through the API.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../../platform/config';
import { auditFile, hashPassword, openIssuerStoreFor, openStore, verifyAuditFile, type AuditVerification } from '../../platform/store';
import { PERSON_ROLES } from '../../workflows/vocabulary';
import { ApiClient, apiUrl } from '../api-client';
import { loginFile, removeLogin, saveLogin } from '../login-store';
import { UnitSchema, arg } from './args';
import { badInput, failure } from './errors';
import { print } from './output';
import { api, withCommon, type Common } from './session';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** A password from standard input (`--password-stdin`) or typed at the terminal without echo. */
async function readPassword(fromStdin: boolean | undefined, prompt: string): Promise<string> {
  if (fromStdin) return readStdin();
  const stdin = process.stdin;
  if (!stdin.isTTY) throw badInput('no terminal to ask for the password: pass it on standard input with --password-stdin');
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (d: Buffer) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(typed);
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          return reject(badInput('cancelled'));
        }
        if (ch === '\u007f') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

const PasswordSchema = z.string().min(12, { message: 'must be at least 12 characters' }).max(1024);
const NameSchema = z.string().trim().min(1, { message: 'must not be empty' }).max(200);
const RoleSchema = z.enum(PERSON_ROLES, { message: `must be one of ${PERSON_ROLES.join(', ')}` });
const collect = (v: string, all: string[] = []) => [...all, v];

export function registerIdentityCommands(program: Command): void {
  withCommon(program.command('login'))
    .description('log in to the CaseBridge API (the local issuer): the token is kept, readable by you only, for 8 hours')
    .argument('<NAME>')
    .option('--password-stdin', 'read the password from standard input')
    .addHelpText(
      'after',
      '\nThe API is CASEBRIDGE_API_URL (default http://127.0.0.1:8240, what `make up` starts). With an agency identity provider, get the token from it instead.',
    )
    .action(async (name: string, o: Common & { passwordStdin?: boolean }) => {
      const password = await readPassword(o.passwordStdin, `password for ${name}: `);
      const url = apiUrl();
      const issued = await new ApiClient(url, undefined)
        .call<{ token: string; expiresAt: string; name: string }>('POST', '/auth/token', { anonymous: true, body: { name, password } })
        .catch((err: unknown) => {
          if (err instanceof Error && /login has expired/.test(err.message)) throw badInput(`login refused: unknown name or wrong password`);
          throw err;
        });
      const file = saveLogin({ apiUrl: url, token: issued.token, name: issued.name, expiresAt: issued.expiresAt });
      const me = await new ApiClient(url, issued.token).call<{ name: string; roles: string[]; units: string[] }>('GET', '/whoami');
      print(
        !!o.json,
        { name: me.name, roles: me.roles, units: me.units, expiresAt: issued.expiresAt, file },
        () => `logged in to ${url} as ${me.name} (${me.roles.join(', ') || 'no role'}; units ${me.units.join(', ') || 'none'}) until ${issued.expiresAt}`,
      );
    });

  withCommon(program.command('logout'))
    .description('forget the stored token')
    .action((o: Common) => {
      const removed = removeLogin();
      print(!!o.json, { loggedOut: removed }, () => (removed ? 'logged out' : `not logged in (${loginFile()})`));
    });

  withCommon(program.command('whoami'))
    .description('who the API says you are: name, verified id, roles, units')
    .action(async (o: Common) => {
      const me = await api().call<{ id: string; name: string; roles: string[]; units: string[] }>('GET', '/whoami');
      print(!!o.json, me, () => `${me.name} (${me.id})\nroles  ${me.roles.join(', ') || '-'}\nunits  ${me.units.join(', ') || '-'}`);
    });

  const users = program.command('users').description('operator: the local issuer’s people, in the data dir (CASEBRIDGE_DATA_DIR)');
  withCommon(users.command('add'))
    .description('add a person (or replace their roles, units and password); they log in with `casebridge login NAME`')
    .argument('<NAME>')
    .requiredOption('--role <role>', `a role (repeat for several): ${PERSON_ROLES.join(', ')}`, collect)
    .option('--unit <unit>', 'a unit whose cases they work (repeat for several)', collect, [])
    .option('--password-stdin', 'read the password from standard input (else asked twice at the terminal)')
    .action(async (nameArg: string, o: Common & { role: string[]; unit: string[]; passwordStdin?: boolean }) => {
      const name = arg(NameSchema, nameArg, 'NAME');
      const roles = [...new Set(o.role.map((r) => arg(RoleSchema, r, '--role')))];
      const units = [...new Set(o.unit.map((u) => arg(UnitSchema, u, '--unit')))];
      const password = arg(PasswordSchema, await readPassword(o.passwordStdin, `new password for ${name}: `), 'password');
      if (!o.passwordStdin && (await readPassword(false, 'again: ')) !== password) throw badInput('password: the two entries differ');
      const store = await openIssuerStoreFor(loadConfig());
      const user = await store.users.put({ name, roles, units, passwordHash: await hashPassword(password) }).finally(() => store.close());
      print(
        !!o.json,
        { name: user.name, subject: user.subject, roles: user.roles, units: user.units },
        () => `${user.name}: ${roles.join(', ')}; units ${units.join(', ') || 'none'}`,
      );
    });
  withCommon(users.command('list'))
    .description('the local issuer’s people (no passwords)')
    .action(async (o: Common) => {
      const store = await openIssuerStoreFor(loadConfig());
      const list = await store.users.list().finally(() => store.close());
      const rows = list.map((u) => ({ name: u.name, subject: u.subject, roles: u.roles, units: u.units }));
      print(!!o.json, rows, () => rows.map((u) => `${u.name}  ${u.roles.join(',')}  ${u.units.join(',') || '-'}`).join('\n'));
    });

  const audit = program.command('audit').description('the audit log of every read and write');
  withCommon(audit.command('verify'))
    .description('operator or auditor: walk the hash chain of the audit log in the data dir; exit 1 names the first line changed, removed or moved')
    .option('--file <file>', 'an audit log file (default: the store: CASEBRIDGE_STORE_URL, else CASEBRIDGE_DATA_DIR/audit/audit.ndjson; or an export)')
    .action(async (o: Common & { file?: string }) => {
      const config = loadConfig();
      // `source` names the log in a failure (the whole path), `where` in a success line.
      let source: string;
      let where: string;
      let v: AuditVerification;
      if (!o.file && config.CASEBRIDGE_STORE_URL) {
        source = where = 'audit log in PostgreSQL';
        const store = await openStore(config);
        v = await store.audit.verify().finally(() => store.close());
      } else {
        const file = o.file ?? auditFile(config.CASEBRIDGE_DATA_DIR);
        if (!fs.existsSync(file)) throw badInput(`--file: ${file}: no such file`);
        source = file;
        where = path.basename(file);
        v = await verifyAuditFile(file);
      }
      if (v.ok || o.json) print(!!o.json, v, () => (v.ok ? `${where}: ${v.lines} lines, chain intact; head ${v.head.seq} ${v.head.hash}` : ''));
      if (!v.ok) throw failure(`${source}: line ${v.line}: ${v.problem}`);
    });
  withCommon(audit.command('export'))
    .description('manager or auditor: the audit log from --from to --to (NDJSON on standard output), through the API')
    .option('--from <iso>', 'from this date-time (inclusive)')
    .option('--to <iso>', 'to this date-time (exclusive)')
    .action(async (o: Common & { from?: string; to?: string }) => {
      const q = new URLSearchParams({ ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) });
      const res = await api().send('GET', `/audit?${q.toString()}`);
      process.stdout.write(await res.text());
    });
}
