/**
 * The offences a tip's incident type points to under the law of England and Wales, for a UK force's
 * documents (the CPS decides the charges; documents state these as under investigation). Maximum
 * penalties on indictment [S]: keep them checked against legislation.gov.uk before a document is relied on.
 */
import type { IncidentType } from '../tip';
import type { Offence } from './citations';

export const GB_OFFENCES = {
  indecentPhotographs: {
    cite: 'Protection of Children Act 1978 s.1(1)',
    title: 'Taking, making, distributing or showing indecent photographs or pseudo-photographs of children',
    penalty: 'imprisonment for a term not exceeding 10 years on indictment (s.6(2))',
    maxYears: 10,
    source: 'Protection of Children Act 1978 s.6(2), as amended by the Criminal Justice and Court Services Act 2000 s.41',
    kind: 'S',
  },
  possession: {
    cite: 'Criminal Justice Act 1988 s.160',
    title: 'Possession of an indecent photograph or pseudo-photograph of a child',
    penalty: 'imprisonment for a term not exceeding 5 years on indictment (s.160(2A))',
    maxYears: 5,
    source: 'Criminal Justice Act 1988 s.160(2A)',
    kind: 'S',
  },
  sexualActivity: {
    cite: 'Sexual Offences Act 2003 s.9',
    title: 'Sexual activity with a child',
    penalty: 'imprisonment for a term not exceeding 14 years on indictment (s.9(2))',
    maxYears: 14,
    source: 'Sexual Offences Act 2003 s.9(2)',
    kind: 'S',
  },
  inciting: {
    cite: 'Sexual Offences Act 2003 s.10',
    title: 'Causing or inciting a child to engage in sexual activity',
    penalty: 'imprisonment for a term not exceeding 14 years on indictment (s.10(2))',
    maxYears: 14,
    source: 'Sexual Offences Act 2003 s.10(2)',
    kind: 'S',
  },
  grooming: {
    cite: 'Sexual Offences Act 2003 s.15',
    title: 'Meeting a child following sexual grooming',
    penalty: 'imprisonment for a term not exceeding 10 years on indictment (s.15(4))',
    maxYears: 10,
    source: 'Sexual Offences Act 2003 s.15(4)',
    kind: 'S',
  },
  sexualCommunication: {
    cite: 'Sexual Offences Act 2003 s.15A',
    title: 'Sexual communication with a child',
    penalty: 'imprisonment for a term not exceeding 2 years on indictment (s.15A(3))',
    maxYears: 2,
    source: 'Sexual Offences Act 2003 s.15A(3), inserted by the Serious Crime Act 2015 s.67',
    kind: 'S',
  },
  causingToWatch: {
    cite: 'Sexual Offences Act 2003 s.12',
    title: 'Causing a child to watch a sexual act (an image of one included, s.79(5))',
    penalty: 'imprisonment for a term not exceeding 10 years on indictment (s.12(2))',
    maxYears: 10,
    source: 'Sexual Offences Act 2003 s.12(2)',
    kind: 'S',
  },
  trafficking: {
    cite: 'Modern Slavery Act 2015 s.2',
    title: 'Human trafficking (of a child, for sexual exploitation)',
    penalty: 'imprisonment for life on indictment (s.5(1)(a))',
    maxYears: 99,
    source: 'Modern Slavery Act 2015 s.5(1)(a)',
    kind: 'S',
  },
  abroad: {
    cite: 'Sexual Offences Act 2003 s.72 with s.9',
    title: 'Sexual activity with a child, committed outside the United Kingdom by a UK national or resident',
    penalty: 'as for the offence in England and Wales: imprisonment for a term not exceeding 14 years on indictment (s.9(2))',
    maxYears: 14,
    source: 'Sexual Offences Act 2003 s.72 and Sch. 2',
    kind: 'S',
  },
} as const satisfies Record<string, Offence>;

type GbOffenceId = keyof typeof GB_OFFENCES;

/**
 * By NCMEC incident type. No UK offence matches a misleading domain name or misleading words or images
 * as such: they are investigated as the grooming offences they serve.
 */
export const GB_OFFENCES_BY_INCIDENT: Record<IncidentType, readonly GbOffenceId[]> = {
  'Child Pornography (possession, manufacture, and distribution)': ['indecentPhotographs', 'possession'],
  'Child Sex Trafficking': ['trafficking'],
  'Child Sex Tourism': ['abroad'],
  'Child Sexual Molestation': ['sexualActivity', 'indecentPhotographs'],
  'Misleading Domain Name': ['sexualCommunication'],
  'Misleading Words or Digital Images on the Internet': ['sexualCommunication'],
  'Online Enticement of Children for Sexual Acts': ['inciting', 'grooming', 'sexualCommunication'],
  'Unsolicited Obscene Material Sent to a Child': ['causingToWatch'],
};
