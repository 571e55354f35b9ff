/**
 * Registers CaseBridge's search attributes on a namespace. The dev server applies
 * `--search-attribute` flags only when it creates a namespace, so on an existing database file the
 * attributes are registered through the operator service, and "already exists" counts as success.
 */
import type { OperatorService } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

/** gRPC status code 12. */
const GRPC_UNIMPLEMENTED = 12;

type IndexedValueType = temporal.api.enums.v1.IndexedValueType;
const { IndexedValueType } = temporal.api.enums.v1;

export const INDEXED_TYPE: Record<SearchAttributeType, IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** Anything with an operator service: the client's Connection, the worker's NativeConnection, a test environment's connection. */
export interface OperatorAdmin {
  operatorService: OperatorService;
}

export async function registerSearchAttributes(connection: OperatorAdmin, namespace: string): Promise<void> {
  const existing = await listCustomAttributes(connection, namespace);
  const missing = ALL_SEARCH_ATTRIBUTES.filter((k) => !existing.has(k.name));
  if (missing.length === 0) return;
  const searchAttributes = Object.fromEntries(missing.map((k) => [k.name, INDEXED_TYPE[k.type]]));
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    // Two processes starting at once can race; losing the race is fine.
    if (!/already exists/i.test(String((err as Error).message))) throw err;
  }
}

/** The time-skipping test server has no ListSearchAttributes: there, every attribute counts as missing. */
async function listCustomAttributes(connection: OperatorAdmin, namespace: string): Promise<Set<string>> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return new Set(Object.keys(customAttributes ?? {}));
  } catch (err) {
    if ((err as { code?: number }).code === GRPC_UNIMPLEMENTED) return new Set();
    throw err;
  }
}
