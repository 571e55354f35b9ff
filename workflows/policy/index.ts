/** The policy tables: deadlines per instrument, what each country offers, and duration profiles. */
export * from './rule';
export * from './instruments';
export * from './countries';
export * from './profiles';
export * from './lookups';
export * from './routing';
export * from './preservation';
export * from './citations';
export * from './danger';
export * from './safeguarding';
export * from './subscriber';
export * from './warrant-return';
export * from './after-arrest';
export * from './working-days';
export * from './deployment';
export * from './home-law';
