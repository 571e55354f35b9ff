/**
 * The XML documents inside a ZIP (a report with its files' details), read with yauzl: entry sizes
 * are checked against what the archive declares and capped, so a small archive cannot unpack into
 * gigabytes. Entries that are not `.xml` — the reported files themselves, if a sender put them in —
 * are never opened: CaseBridge does not take content through this door.
 */
import yauzl from 'yauzl';

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxEntryBytes: 16 * 1024 * 1024, maxTotalBytes: 256 * 1024 * 1024 };

export class ZipError extends Error {}

export interface ZipDocument {
  name: string;
  bytes: Buffer;
}

/** Whether an entry is one of the documents (not a folder, an OS's metadata, or a non-XML file). */
function isDocument(name: string): boolean {
  const base = name.split('/').pop() ?? '';
  return !name.endsWith('/') && !name.startsWith('__MACOSX/') && !base.startsWith('.') && base.toLowerCase().endsWith('.xml');
}

export async function readZipDocuments(zip: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipDocument[]> {
  let file: yauzl.ZipFile;
  try {
    file = await yauzl.fromBufferPromise(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    throw new ZipError(`not a readable ZIP archive: ${(err as Error).message}`);
  }
  const docs: ZipDocument[] = [];
  let total = 0;
  let entries = 0;
  try {
    for await (const entry of file.eachEntry()) {
      if (++entries > limits.maxEntries) throw new ZipError(`holds more than ${limits.maxEntries} entries`);
      if (!isDocument(entry.fileName)) continue;
      if (entry.isEncrypted()) throw new ZipError(`entry ${entry.fileName} is encrypted`);
      if (entry.uncompressedSize > limits.maxEntryBytes) throw new ZipError(`entry ${entry.fileName} is larger than ${limits.maxEntryBytes} bytes`);
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) throw new ZipError(`unpacks to more than ${limits.maxTotalBytes} bytes`);
      const stream = await file.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      docs.push({ name: entry.fileName, bytes: Buffer.concat(chunks) });
    }
  } catch (err) {
    if (err instanceof ZipError) throw err;
    throw new ZipError(`not a readable ZIP archive: ${(err as Error).message}`);
  } finally {
    file.close();
  }
  return docs.sort((a, b) => a.name.localeCompare(b.name));
}
