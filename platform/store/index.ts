export * from './store';
export { openEmbeddedStore, openIssuerStore, verifyAuditFile, auditFile } from './embedded';
export { hashPassword, verifyPassword, UNUSABLE_HASH } from './passwords';
export { GENESIS } from './audit-chain';
export { openStore, openIssuerStoreFor } from './open';
