/** What a case page's input form is made of: its fields, and when the case and the person's role allow it. */
import type { CaseInputName } from '../../workflows/access';
import type { CaseStatus } from '../../workflows/messages';
import type { Role } from '../../workflows/vocabulary';

export interface FieldSpec {
  /** The API body's field, as the route's zod schema names it. */
  name: string;
  label: string;
  /** `count`: sent as a number; `yes-no`: a choice sent as true or false. */
  kind: 'text' | 'textarea' | 'country' | 'count' | 'yes-no';
  required: boolean;
  hint?: string;
  /** A choice among fixed values (a select). */
  options?: readonly string[];
  /** The choices the case and the role allow now, when they narrow `options` (the validator still decides). */
  choices?: (s: CaseStatus, role: Role) => readonly string[];
}

export interface CaseInputForm {
  /** The API route under /cases/:caseId/. */
  path: string;
  /** The form's own name, when one route has several forms (a court's events, one form each): the path otherwise. */
  form?: string;
  input: Exclude<CaseInputName, 'respond'>;
  label: string;
  fields: FieldSpec[];
  /** Values the form always sends (which of the route's kinds it records): from here, never from the browser. */
  fixed?: Record<string, string>;
  /** The stage rule the case's validator applies (workflows/case/inputs.ts), for the role the person would act in. */
  when: (s: CaseStatus, role: Role) => boolean;
}

/** The form's name: in its URL, its fieldset's data-form, and the page's "Recorded" notice. */
export const formName = (i: CaseInputForm): string => i.form ?? i.path;
