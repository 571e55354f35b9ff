/**
 * The shape of an XML Schema content model, enough for NCMEC's report schema: elements with their
 * cardinality and type, grouped in sequences, choices and `all` groups; attributes; simple content.
 */
import type { SimpleType } from './simple-types';

export interface AttributeDef {
  name: string;
  type: SimpleType;
  required: boolean;
}

export interface ElementDef {
  kind: 'element';
  name: string;
  min: number;
  max: number;
  type: TypeDef;
}

export interface GroupDef {
  kind: 'sequence' | 'choice' | 'all';
  min: number;
  max: number;
  items: Particle[];
}

export type Particle = ElementDef | GroupDef;

/** Text content (with attributes: `xs:simpleContent`), element content, or none (attributes only). */
export type TypeDef =
  | { content: 'simple'; value: SimpleType; attributes: AttributeDef[] }
  | { content: 'elements'; group: GroupDef; attributes: AttributeDef[] }
  | { content: 'empty'; attributes: AttributeDef[] };

export const one = { min: 1, max: 1 };
export const opt = { min: 0, max: 1 };
export const many = { min: 0, max: Infinity };

export const el = (name: string, type: TypeDef, occurs: { min: number; max: number } = one): ElementDef => ({ kind: 'element', name, type, ...occurs });
const group =
  (kind: GroupDef['kind']) =>
  (...items: Particle[]): GroupDef => ({ kind, min: 1, max: 1, items });
export const seq = group('sequence');
export const choice = group('choice');
export const all = group('all');
export const attr = (name: string, type: SimpleType, required = false): AttributeDef => ({ name, type, required });
export const simple = (value: SimpleType, ...attributes: AttributeDef[]): TypeDef => ({ content: 'simple', value, attributes });
export const complex = (g: GroupDef, ...attributes: AttributeDef[]): TypeDef => ({ content: 'elements', group: g, attributes });
export const empty = (...attributes: AttributeDef[]): TypeDef => ({ content: 'empty', attributes });
