/** The policy tables: deadlines per instrument, what each country offers, and duration profiles. */
export * from './rule';
export * from './instruments';
export * from './countries';
export * from './profiles';
export * from './lookups';
export * from './routing';
