/**
 * The drop folder as a process of its own: `node dist/intake/drop-folder-main.js` with
 * CASEBRIDGE_DROP_DIR (and the drop folder's other settings, ./drop-folder.ts) and the Temporal
 * connection of every CaseBridge process (TEMPORAL_ADDRESS, …). The API process hosts the same
 * DropFolder with its own client; this entry point is for running it alone, and for the tests.
 * SIGINT/SIGTERM stop it; a file being read stays in processing/ for the next start.
 */
import { loadConfig } from '../platform/config';
import { connectClient } from '../platform/connection';
import { logger } from '../platform/logger';
import { configuredDropFolder, loadDropFolderSettings, prepareDropFolder } from './drop-folder';

async function main(): Promise<void> {
  const settings = loadDropFolderSettings();
  if (!settings) throw new Error('invalid setting CASEBRIDGE_DROP_DIR: not set (the folder to watch)');
  const config = loadConfig();
  // Settings first: a wrong folder is said at once, before any connection is tried.
  prepareDropFolder(settings.CASEBRIDGE_DROP_DIR);
  const client = await connectClient();
  const folder = configuredDropFolder(settings, client, config);
  const stop = (): void => {
    void folder
      .stop()
      .then(() => client.connection.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await folder.start();
}

main().catch((err: Error) => {
  logger().fatal({ err }, 'drop folder: cannot start');
  process.stderr.write(`casebridge drop folder: ${err.message}\n`);
  // 2: a setting is wrong (the operator fixes it); 1: anything else (Temporal unreachable, …).
  process.exit(err.message.startsWith('invalid setting') ? 2 : 1);
});
