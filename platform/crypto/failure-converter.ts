/**
 * The failure converter every CaseBridge worker and client loads, by path, through
 * `DataConverter.failureConverterPath` (see caseBridgeDataConverter in ../connection.ts). Temporal
 * keeps a failure's message and stack trace in plaintext unless the failure converter moves them
 * into `encodedAttributes`, a payload the codec then encrypts like any other. An activity error
 * such as "no account for <screen name> at <IP>" would otherwise sit readable in the server's
 * database.
 *
 * This module is also bundled into the workflow sandbox (failures thrown by workflow code and
 * update validators are converted there), so it must import nothing but @temporalio/common.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
