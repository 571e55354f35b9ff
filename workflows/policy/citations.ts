/**
 * The law the generated documents cite and quote: statutes, treaty articles and offences with their
 * penalties, each with its source. Templates never type a citation or a period themselves; they read
 * these entries (and the periods in ./instruments.ts), so a correction here reaches every document.
 * [P] checked against the text, [S] from a secondary source (verify before relying on it).
 */
import type { IncidentType } from '../tip';
import type { SourceKind } from './rule';
import { GB_OFFENCES, GB_OFFENCES_BY_INCIDENT } from './offences-gb';

export interface Citation {
  /** How a document cites it: "18 U.S.C. § 2703(f)". */
  cite: string;
  /** The statutory language a document quotes, where it quotes any. */
  text?: string;
  source: string;
  kind: SourceKind;
}

export const CITATIONS = {
  preservation: {
    cite: '18 U.S.C. § 2703(f)',
    text:
      'A provider of wire or electronic communication services or a remote computing service, upon the request of a governmental entity, ' +
      'shall take all necessary steps to preserve records and other evidence in its possession pending the issuance of a court order or other process.',
    source: '18 U.S.C. § 2703(f)(1)',
    kind: 'P',
  },
  preservationRenewal: {
    cite: '18 U.S.C. § 2703(f)(2)',
    text:
      'Records referred to in paragraph (1) shall be retained for a period of 90 days, which shall be extended for an additional 90-day period ' +
      'upon a renewed request by the governmental entity.',
    source: '18 U.S.C. § 2703(f)(2)',
    kind: 'P',
  },
  emergencyContents: {
    cite: '18 U.S.C. § 2702(b)(8)',
    text:
      'to a governmental entity, if the provider, in good faith, believes that an emergency involving danger of death or serious physical injury ' +
      'to any person requires disclosure without delay of communications relating to the emergency',
    source: '18 U.S.C. § 2702(b)(8)',
    kind: 'P',
  },
  emergencyRecords: {
    cite: '18 U.S.C. § 2702(c)(4)',
    text:
      'to a governmental entity, if the provider, in good faith, believes that an emergency involving danger of death or serious physical injury ' +
      'to any person requires disclosure without delay of information relating to the emergency',
    source: '18 U.S.C. § 2702(c)(4)',
    kind: 'P',
  },
  subscriberRecords: {
    cite: '18 U.S.C. § 2703(c)(2)',
    text:
      'name; address; local and long distance telephone connection records, or records of session times and durations; length of service ' +
      '(including start date) and types of service utilized; telephone or instrument number or other subscriber number or identity, including ' +
      'any temporarily assigned network address; and means and source of payment for such service (including any credit card or bank account number)',
    source: '18 U.S.C. § 2703(c)(2)(A)–(F)',
    kind: 'P',
  },
  noSubscriberNotice: {
    cite: '18 U.S.C. § 2703(c)(3)',
    text: 'A governmental entity receiving records or information under this subsection is not required to provide notice to a subscriber or customer.',
    source: '18 U.S.C. § 2703(c)(3)',
    kind: 'P',
  },
  administrativeSubpoena: {
    cite: '18 U.S.C. § 3486(a)(1)(A)(i)(II)',
    source: '18 U.S.C. § 3486: administrative subpoenas in investigations of federal offences involving the sexual exploitation or abuse of children',
    kind: 'P',
  },
  courtOrder: {
    cite: '18 U.S.C. § 2703(d)',
    text:
      'specific and articulable facts showing that there are reasonable grounds to believe that the contents of a wire or electronic communication, ' +
      'or the records or other information sought, are relevant and material to an ongoing criminal investigation',
    source: '18 U.S.C. § 2703(d)',
    kind: 'P',
  },
  nondisclosure: {
    cite: '18 U.S.C. § 2705(b)',
    source: '18 U.S.C. § 2705(b): order commanding the provider not to notify any other person of the existence of the warrant, subpoena or order',
    kind: 'P',
  },
  paceSearchWarrant: {
    cite: 'Police and Criminal Evidence Act 1984 ss.8, 15 and 16; Criminal Procedure Rules Part 47',
    text: 'A justice of the peace may issue a warrant to search premises where there are reasonable grounds for believing that an indictable offence has been committed and that there is material on the premises likely to be of substantial value to its investigation and relevant evidence, and that entry without a warrant would not be practicable or would frustrate the search (s.8(1), (3), in summary)',
    source: 'Police and Criminal Evidence Act 1984 s.8; the safeguards of s.15 and the execution rules of s.16',
    kind: 'P',
  },
  overseasProductionOrder: {
    cite: 'Crime (Overseas Production Orders) Act 2019 ss.1–5; the US–UK Data Access Agreement',
    text: 'A judge may make an order for electronic data held by a person operating or based in a country with which the UK has a designated international co-operation arrangement, where there are reasonable grounds for believing that an indictable offence has been committed and is being investigated, that the person holds the data, that it is likely to be of substantial value and relevant evidence, and that its production is in the public interest (s.4, in summary)',
    source: 'Crime (Overseas Production Orders) Act 2019 s.4; the US–UK Agreement designated under s.1',
    kind: 'S',
  },
  opoNonDisclosure: {
    cite: 'Crime (Overseas Production Orders) Act 2019 s.8',
    text: 'An overseas production order may include a requirement that the person against whom it is made must not disclose the making of the order or its contents to any person except with the leave of a judge or the written permission of the appropriate officer (s.8, in summary)',
    source: 'Crime (Overseas Production Orders) Act 2019 s.8: non-disclosure requirements',
    kind: 'S',
  },
  searchWarrant: {
    cite: '18 U.S.C. § 2703(a) and (b)(1)(A); Fed. R. Crim. P. 41',
    source: '18 U.S.C. § 2703(a): contents of electronic communications by a warrant issued using the procedures of the Federal Rules of Criminal Procedure',
    kind: 'P',
  },
  fileViewGate: {
    cite: 'United States v. Wilson, 13 F.4th 961 (9th Cir. 2021)',
    text: 'a government search of files that the provider reported but no person at the provider viewed exceeds the scope of the private search and requires a warrant',
    source: 'United States v. Wilson, 13 F.4th 961 (9th Cir. 2021)',
    kind: 'S',
  },
  ncmecReport: {
    cite: '18 U.S.C. § 2258A',
    source:
      '18 U.S.C. § 2258A(a), (c): providers report apparent child sexual abuse material to the CyberTipline; NCMEC makes reports available to law enforcement',
    kind: 'P',
  },
  cloudActAgreement: {
    cite:
      'Agreement between the Government of the United States of America and the Government of the United Kingdom of Great Britain and Northern Ireland ' +
      'on Access to Electronic Data for the Purpose of Countering Serious Crime; 18 U.S.C. § 2523',
    source: 'US–UK Data Access Agreement, signed 3 October 2019 (Art. 1: definitions; Art. 4: requirements for orders)',
    kind: 'S',
  },
  /** The US–Australia agreement (in force 31 January 2024: COUNTRIES.AU.cloudActAgreementSince); an order to a provider in Australia cites it. */
  cloudActAgreementAustralia: {
    cite:
      'Agreement between the Government of the United States of America and the Government of Australia on Access to Electronic Data for the Purpose of ' +
      'Countering Serious Crime; 18 U.S.C. § 2523',
    source: 'US–Australia Agreement, signed 15 December 2021 (DOJ Office of International Affairs publishes its text)',
    kind: 'P',
  },
  cloudActSeriousCrimeAustralia: {
    cite: 'US–Australia Agreement Art. 1 (Serious Crime)',
    text: 'an offense that is punishable by a maximum term of imprisonment of at least three years',
    source: 'US–Australia Agreement Art. 1 (definitions), as reported on its entry into force',
    kind: 'S',
  },
  cloudActOrderRequirementsAustralia: {
    cite: 'US–Australia Agreement',
    text:
      'Orders must meet the requirements the Agreement sets for orders subject to it and may not target an Australian Person (a citizen or permanent ' +
      'resident of Australia, or a person located there).',
    source: 'US–Australia Agreement Art. 1 ("Australian Person"); the article on orders was not read offline',
    kind: 'S',
  },
  cloudActSeriousCrime: {
    cite: 'US–UK Agreement Art. 1 (Serious Crime)',
    text: 'an offense that is punishable by a maximum term of imprisonment of at least three years',
    source: 'US–UK Data Access Agreement Art. 1 (definitions)',
    kind: 'S',
  },
  cloudActOrderRequirements: {
    cite: 'US–UK Agreement Art. 4',
    text:
      'Orders shall not intentionally target a Receiving-Party Person and shall be based on requirements for a reasonable justification based on ' +
      'articulable and credible facts, particularity, legality, and severity regarding the conduct under investigation.',
    source: 'US–UK Data Access Agreement Art. 4',
    kind: 'S',
  },
  budapestPreservation: {
    cite: 'Convention on Cybercrime (ETS No. 185), Article 29',
    text:
      'A request for preservation shall specify: the authority seeking the preservation; the offence that is the subject of a criminal investigation ' +
      'or proceedings and a brief summary of the related facts; the stored computer data to be preserved and its relationship to the offence; any ' +
      'available information identifying the custodian of the stored computer data or the location of the computer system; the necessity of the ' +
      'preservation; and that the Party intends to submit a request for mutual assistance for the search or similar access, seizure or similar ' +
      'securing, or disclosure of the stored computer data.',
    source: 'Convention on Cybercrime Art. 29(2)',
    kind: 'S',
  },
  budapestNoDualCriminality: {
    cite: 'Convention on Cybercrime, Article 29(3)',
    text: 'dual criminality shall not be required as a condition to providing such preservation',
    source: 'Convention on Cybercrime Art. 29(3)',
    kind: 'S',
  },
  budapestProsecuteNationals: {
    cite: 'Convention on Cybercrime, Article 24(6)',
    text:
      'If extradition is refused solely on the basis of the nationality of the person sought, the requested Party shall submit the case at the ' +
      'request of the requesting Party to its competent authorities for the purpose of prosecution.',
    source: 'Convention on Cybercrime Art. 24(6) (paraphrased: aut dedere aut judicare)',
    kind: 'S',
  },
  eEvidence: {
    cite:
      'Regulation (EU) 2023/1543 of the European Parliament and of the Council of 12 July 2023 on European Production Orders and European ' +
      'Preservation Orders for electronic evidence in criminal proceedings',
    source: 'Regulation (EU) 2023/1543, OJ L 191, 28.7.2023, p. 118',
    kind: 'P',
  },
  eEvidenceNecessity: {
    cite: 'Regulation (EU) 2023/1543, Article 5(2)',
    text:
      'A European Production Order shall be necessary for and proportionate to the purpose of the proceedings, taking into account the rights of ' +
      'the suspect or the accused person, and may only be issued if a similar order could have been issued under the same conditions in a similar domestic case.',
    source: 'Regulation (EU) 2023/1543 Art. 5(2)',
    kind: 'P',
  },
  eEvidenceSeriousOffence: {
    cite: 'Regulation (EU) 2023/1543, Article 5(4)',
    text: 'traffic data or content data: criminal offences punishable in the issuing State by a custodial sentence of a maximum of at least 3 years',
    source: 'Regulation (EU) 2023/1543 Art. 5(4)(a)',
    kind: 'P',
  },
  eEvidenceExecution: {
    cite: 'Regulation (EU) 2023/1543, Article 10',
    text: 'Upon receipt of an EPOC, the addressee shall act expeditiously to preserve the data requested.',
    source: 'Regulation (EU) 2023/1543 Art. 10(1)',
    kind: 'P',
  },
  eEvidencePreservation: {
    cite: 'Regulation (EU) 2023/1543, Article 11',
    text:
      'Upon receipt of an EPOC-PR, the addressee shall, without undue delay, preserve the data requested. The obligation to preserve the data ' +
      'shall cease after 60 days, unless the issuing authority confirms that a subsequent request for production has been issued.',
    source: 'Regulation (EU) 2023/1543 Art. 11(1)',
    kind: 'P',
  },
  mlatModelRequest: {
    cite: 'Criminal Resource Manual 276, 281',
    source: 'DOJ Criminal Resource Manual 276 (model request) and 281 (drafting: plain narrative, no untranslatable legal terms)',
    kind: 'P',
  },
  extradition: {
    cite: 'Criminal Resource Manual 602–603',
    source: 'DOJ Criminal Resource Manual 602 (procedure), 603 (the formal request and its documents)',
    kind: 'P',
  },
  provisionalArrest: {
    cite: 'Criminal Resource Manual 610',
    source: 'DOJ Criminal Resource Manual 610: requests for provisional arrest',
    kind: 'S',
  },
} as const satisfies Record<string, Citation>;

export interface Offence {
  cite: string;
  title: string;
  /** The statutory penalty, as a document states it. */
  penalty: string;
  /** The longest prison term in years (life: 99): decides serious-crime thresholds (CLOUD Act, e-Evidence Art. 5(4)). */
  maxYears: number;
  source: string;
  kind: SourceKind;
}

export const OFFENCES = {
  distribution: {
    cite: '18 U.S.C. § 2252A(a)(2)',
    title: 'Receipt or distribution of child pornography',
    penalty: 'imprisonment of not less than 5 years and not more than 20 years (18 U.S.C. § 2252A(b)(1))',
    maxYears: 20,
    source: '18 U.S.C. § 2252A(b)(1)',
    kind: 'S',
  },
  possession: {
    cite: '18 U.S.C. § 2252A(a)(5)(B)',
    title: 'Possession of child pornography',
    penalty:
      'imprisonment of not more than 10 years, or not more than 20 years where a depicted minor had not attained 12 years of age (18 U.S.C. § 2252A(b)(2))',
    maxYears: 20,
    source: '18 U.S.C. § 2252A(b)(2)',
    kind: 'S',
  },
  production: {
    cite: '18 U.S.C. § 2251(a)',
    title: 'Sexual exploitation of children (production)',
    penalty: 'imprisonment of not less than 15 years and not more than 30 years (18 U.S.C. § 2251(e))',
    maxYears: 30,
    source: '18 U.S.C. § 2251(e)',
    kind: 'S',
  },
  enticement: {
    cite: '18 U.S.C. § 2422(b)',
    title: 'Coercion and enticement of a minor',
    penalty: 'imprisonment of not less than 10 years or for life (18 U.S.C. § 2422(b))',
    maxYears: 99,
    source: '18 U.S.C. § 2422(b)',
    kind: 'S',
  },
  trafficking: {
    cite: '18 U.S.C. § 1591(a)',
    title: 'Sex trafficking of children',
    penalty: 'imprisonment of not less than 10 years (15 years where the child had not attained 14 years of age) or for life (18 U.S.C. § 1591(b))',
    maxYears: 99,
    source: '18 U.S.C. § 1591(b)',
    kind: 'S',
  },
  sexTourism: {
    cite: '18 U.S.C. § 2423(b), (c)',
    title: 'Travel with intent to engage in illicit sexual conduct; illicit sexual conduct in foreign places',
    penalty: 'imprisonment of not more than 30 years (18 U.S.C. § 2423(b), (c))',
    maxYears: 30,
    source: '18 U.S.C. § 2423',
    kind: 'S',
  },
  misleadingDomain: {
    cite: '18 U.S.C. § 2252B(b)',
    title: 'Misleading domain name with intent to deceive a minor',
    penalty: 'imprisonment of not more than 10 years (18 U.S.C. § 2252B(b))',
    maxYears: 10,
    source: '18 U.S.C. § 2252B',
    kind: 'S',
  },
  misleadingImages: {
    cite: '18 U.S.C. § 2252C(b)',
    title: 'Misleading words or digital images on the Internet with intent to deceive a minor',
    penalty: 'imprisonment of not more than 20 years (18 U.S.C. § 2252C(b))',
    maxYears: 20,
    source: '18 U.S.C. § 2252C',
    kind: 'S',
  },
  obsceneToMinor: {
    cite: '18 U.S.C. § 1470',
    title: 'Transfer of obscene material to minors',
    penalty: 'imprisonment of not more than 10 years (18 U.S.C. § 1470)',
    maxYears: 10,
    source: '18 U.S.C. § 1470',
    kind: 'S',
  },
} as const satisfies Record<string, Offence>;

export type OffenceId = keyof typeof OFFENCES;

/** The offences a tip's incident type points to (the prosecutor decides the charges; documents state these as under investigation). */
export const OFFENCES_BY_INCIDENT: Record<IncidentType, readonly OffenceId[]> = {
  'Child Pornography (possession, manufacture, and distribution)': ['distribution', 'possession'],
  'Child Sex Trafficking': ['trafficking'],
  'Child Sex Tourism': ['sexTourism'],
  'Child Sexual Molestation': ['production', 'enticement'],
  'Misleading Domain Name': ['misleadingDomain'],
  'Misleading Words or Digital Images on the Internet': ['misleadingImages'],
  'Online Enticement of Children for Sexual Acts': ['enticement'],
  'Unsolicited Obscene Material Sent to a Child': ['obsceneToMinor'],
};

/** The offences under the home country's law: England and Wales for a UK force (offences-gb.ts), else US federal law. */
export function offencesFor(incidentType: IncidentType, home = 'US'): Offence[] {
  if (home === 'GB') return GB_OFFENCES_BY_INCIDENT[incidentType].map((id) => GB_OFFENCES[id]);
  return OFFENCES_BY_INCIDENT[incidentType].map((id) => OFFENCES[id]);
}
