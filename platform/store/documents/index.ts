/** The document store: its interface and the embedded implementation on disk. */
export * from './store';
export { FileDocumentStore, sha256 } from './file-store';
