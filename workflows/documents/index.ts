/** The documents a case sends: their kinds and approval rules, and the facts they are filled from. */
export * from './kinds';
export * from './facts';
export * from './summary';
