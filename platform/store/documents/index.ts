/** The document store: its interface and the embedded implementation on disk. */
export * from './store';
export { FileDocumentStore } from './file-store';
export { sha256 } from './records';
