/**
 * NCMEC's format in: `readIntakeFile` for a file (XML, a batch, a ZIP) as bytes or a stream, and
 * `detectIntakeFormat` to tell it from a JSON tip file. See docs/ncmec-intake.md.
 */
export { detectIntakeFormat, readIntakeFile, type IntakeEntry, type IntakeFormat, type IntakeOptions, type IntakeSource } from './read';
