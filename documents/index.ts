/** The legal documents a case sends: generated from its facts, stored encrypted, rendered, revised and approved. */
export * from './service';
export * from './settings';
export { TemplateError, TemplateSet } from './templates';
export { DocxReadError } from './read-docx';
export { FontsMissingError } from './fonts';
export { sampleFacts } from './sample';
