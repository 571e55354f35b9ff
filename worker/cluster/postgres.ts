/**
 * A PostgreSQL of the cluster profile's own: Debian's server binaries, a data directory the profile
 * owns, loopback TCP only, its socket inside that directory. Never the package's system cluster, so
 * `cluster-down` stops exactly what `cluster-up` started.
 *
 * PostgreSQL refuses to run as root: when we are root the server runs as the `postgres` user the
 * Debian package creates, and owns its data directory.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PostgresOptions {
  /** The profile's directory: `pg/` (data), `pg-run/` (socket), `pg.log`, `pg-password` live in it. */
  dir: string;
  port: number;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL is not installed under /usr/lib/postgresql: run scripts/install-cluster-tools.sh');
  return path.join(root, newest, 'bin');
}

export class Postgres {
  readonly dataDir: string;
  readonly socketDir: string;
  readonly logFile: string;
  readonly user = 'temporal';
  private readonly bin = binDir();
  private readonly asRoot = process.getuid?.() === 0;

  constructor(readonly opts: PostgresOptions) {
    this.dataDir = path.join(opts.dir, 'pg');
    this.socketDir = path.join(opts.dir, 'pg-run');
    this.logFile = path.join(opts.dir, 'pg.log');
  }

  get port(): number {
    return this.opts.port;
  }

  /** The `temporal` role's password: made once, kept beside the data (mode 0600), never logged. */
  get password(): string {
    const file = path.join(this.opts.dir, 'pg-password');
    if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(18).toString('base64url'), { mode: 0o600 });
    return fs.readFileSync(file, 'utf8').trim();
  }

  private async asServerUser(cmd: string, args: string[]): Promise<string> {
    const file = path.join(this.bin, cmd);
    const { stdout } = this.asRoot ? await run('runuser', ['-u', 'postgres', '--', file, ...args], { cwd: '/' }) : await run(file, args, { cwd: '/' });
    return stdout;
  }

  private chownToServerUser(p: string): void {
    if (!this.asRoot) return;
    const [, uid, gid] = fs.readFileSync('/etc/passwd', 'utf8').match(/^postgres:[^:]*:(\d+):(\d+):/m) ?? [];
    if (uid === undefined || gid === undefined)
      throw new Error('we are root and there is no postgres user to run PostgreSQL as: install Debian’s postgresql package');
    fs.chownSync(p, Number(uid), Number(gid));
  }

  /** initdb once; later calls keep the data. */
  async init(): Promise<void> {
    fs.mkdirSync(this.opts.dir, { recursive: true });
    // The server's user must reach its data dir inside ours (mkdtemp makes 0700 directories).
    if (this.asRoot) fs.chmodSync(this.opts.dir, 0o755);
    if (fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) return;
    for (const d of [this.dataDir, this.socketDir]) {
      fs.mkdirSync(d, { recursive: true, mode: 0o700 });
      this.chownToServerUser(d);
    }
    const pwFile = path.join(this.opts.dir, 'pg-initpw');
    fs.writeFileSync(pwFile, this.password, { mode: 0o600 });
    this.chownToServerUser(pwFile);
    try {
      // The superuser is `temporal` itself: this cluster serves Temporal alone. Over TCP it needs its
      // password; the socket is reachable only by the server's user (its directory is 0700).
      await this.asServerUser('initdb', [
        '-D',
        this.dataDir,
        '-U',
        this.user,
        `--pwfile=${pwFile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--no-instructions',
      ]);
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
    // Not `-o listen_addresses=…`: pg_createcluster writes that unquoted and the server refuses it.
    const conf = [
      `listen_addresses = '127.0.0.1'`,
      `port = ${this.opts.port}`,
      `unix_socket_directories = '${this.socketDir}'`,
      // Every test file gets a namespace, but all share the server's pools; 200 is ample.
      'max_connections = 200',
      'shared_buffers = 128MB',
    ].join('\n');
    fs.appendFileSync(path.join(this.dataDir, 'postgresql.conf'), `\ninclude_dir = 'conf.d'\n`);
    const confD = path.join(this.dataDir, 'conf.d');
    fs.mkdirSync(confD, { recursive: true });
    fs.writeFileSync(path.join(confD, 'casebridge.conf'), conf + '\n');
    this.chownToServerUser(confD);
    this.chownToServerUser(path.join(confD, 'casebridge.conf'));
  }

  async isRunning(): Promise<boolean> {
    try {
      await this.asServerUser('pg_ctl', ['-D', this.dataDir, 'status']);
      return true;
    } catch {
      return false;
    }
  }

  async start(): Promise<void> {
    if (await this.isRunning()) return;
    if (!fs.existsSync(this.logFile)) {
      fs.writeFileSync(this.logFile, '');
      this.chownToServerUser(this.logFile);
    }
    await this.asServerUser('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', 'start']).catch((err: unknown) => {
      throw new Error(`PostgreSQL did not start on 127.0.0.1:${this.opts.port}: see ${this.logFile} (${String(err)})`);
    });
  }

  /** `fast` rolls back open transactions and shuts down cleanly; `immediate` is a crash (recovery on the next start). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!fs.existsSync(path.join(this.dataDir, 'PG_VERSION')) || !(await this.isRunning())) return;
    await this.asServerUser('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** Runs SQL as the superuser over the socket; returns unaligned, tuples-only output. */
  async sql(database: string, statement: string): Promise<string> {
    const args = ['-h', this.socketDir, '-p', String(this.opts.port), '-U', this.user, '-d', database, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', statement];
    return (await this.asServerUser('psql', args)).trim();
  }

  async databaseExists(name: string): Promise<boolean> {
    return (await this.sql('postgres', `SELECT 1 FROM pg_database WHERE datname = '${name.replace(/'/g, "''")}'`)) === '1';
  }

  /** Creates `name` when absent (owned by the profile's user) and returns its connection URL. */
  async database(name: string): Promise<string> {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${JSON.stringify(name)}: lower-case letters, digits and _ only`);
    if (!(await this.databaseExists(name))) await this.sql('postgres', `CREATE DATABASE ${name} OWNER ${this.user}`);
    return this.url(name);
  }

  /** A connection URL for `database` over loopback TCP; it holds the password, so it is never logged. */
  url(database: string): string {
    return `postgres://${this.user}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${database}`;
  }
}
