/**
 * Recorded histories of real runs are the determinism guard: test/replay replays every one with the
 * current workflow code, so a change that would break a running case fails the build. Tests call
 * `recordHistory` after a scenario; it writes only when CASEBRIDGE_RECORD_HISTORIES=1, so a normal
 * run never rewrites the guard it is checked against. Histories of changed scenarios are recorded
 * anew only together with a `patched()` change that keeps the old ones replaying.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.History;
const { History } = temporal.api.history.v1;

/*
 * Not @temporalio/common's historyToJSON/historyFromJSON: in 1.24 they mix protobufjs 8 with the
 * protobufjs 7 types of @temporalio/proto and throw "type must be a Type". protobufjs' own object
 * form (enum names, long strings, base64 bytes) round-trips through the same generated types.
 */
const TO_OBJECT = { longs: String, enums: String, bytes: String } as const;

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');

export async function recordHistory(handle: WorkflowHandle, scenario: string): Promise<void> {
  if (process.env.CASEBRIDGE_RECORD_HISTORIES !== '1') return;
  if (!/^[a-z0-9-]+$/.test(scenario)) throw new Error(`scenario name ${scenario} must be kebab-case`);
  const history = await handle.fetchHistory();
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  const json = History.toObject(History.fromObject(history), TO_OBJECT);
  fs.writeFileSync(path.join(HISTORIES_DIR, `${scenario}.json`), JSON.stringify(json, null, 1) + '\n');
}

export function loadRecordedHistories(): { workflowId: string; history: History }[] {
  return fs
    .readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      workflowId: path.basename(f, '.json'),
      history: History.fromObject(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, f), 'utf8'))),
    }));
}
