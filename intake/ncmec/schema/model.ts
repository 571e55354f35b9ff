/**
 * NCMEC's CyberTipline report schema ("This document describes the ESP incident reporting format"),
 * as a content model CaseBridge validates against: every element, its order (`xs:sequence`,
 * `xs:choice`, `xs:all`), its cardinality, its attributes and its simple type.
 *
 * Written by hand from the XSD NCMEC serves at `https://report.cybertip.org/ispws/xsd` (to reporters
 * holding credentials), as committed by an automated job in the public repository Boostport/ncmec-go,
 * path `cybertipline/generate/cyber_tipline.xsd`, commit 6e5c662f34ad0beff20ce597ae6b434c1313203d
 * (2025-11-11). The XSD itself is not vendored: it carries no licence or terms of NCMEC's (the
 * repository's Apache-2.0 covers Boostport's code, not NCMEC's schema), NCMEC hands it out only behind
 * reporter credentials, and CaseBridge's rules forbid committing files taken from that repository.
 * docs/ncmec-intake.md says how to check this model against a newer XSD
 * (`node dist/intake/ncmec/schema/compare-xsd.js FILE`).
 *
 * Element and type names are the schema's. Comments quote or paraphrase its documentation where it
 * decides how CaseBridge reads an element.
 */
import { INCIDENT_TYPES, REPORT_ANNOTATIONS, FILE_ANNOTATIONS } from '../../../workflows/tip';
import { all, attr, choice, complex, el, empty, many, opt, seq, simple, type ElementDef } from './content-model';
import {
  enumeration,
  fixedTrue,
  ncmecCountry,
  ncmecState,
  pattern,
  xsBoolean,
  xsDate,
  xsDateTime,
  xsDouble,
  xsInt,
  xsLong,
  xsString,
  xsToken,
} from './simple-types';

const string = simple(xsString);
const text = simple(xsString); // NCMEC's `text` and `content`: xs:string by extension, no attributes
const boolean = simple(xsBoolean);
const dateTime = simple(xsDateTime);
const long = simple(xsLong);
const int = simple(xsInt);
const flag = simple(fixedTrue);

// ---- NCMEC's named types

const ipCaptureType = enumeration(['Login', 'Registration', 'Purchase', 'Upload', 'Other', 'Unknown']);

const address = complex(
  seq(
    el('address', string, opt),
    el('city', string, opt),
    el('zipCode', string, opt),
    el('state', simple(ncmecState), opt),
    el('nonUsaState', string, opt),
    el('country', simple(ncmecCountry), opt),
  ),
  attr('type', enumeration(['Home', 'Business', 'Billing', 'Shipping', 'Technical'])),
);

const email = simple(
  xsString,
  attr('type', enumeration(['Home', 'Work', 'Business', 'Recovery'])),
  attr('verified', xsBoolean),
  attr('verificationDate', xsDateTime),
);

const phone = simple(
  xsString,
  attr('type', enumeration(['Mobile', 'Home', 'Business', 'Work', 'Fax', 'Internet', 'Recovery'])),
  attr('verified', xsBoolean),
  attr('verificationDate', xsDateTime),
  attr('countryCallingCode', pattern(/\+[0-9]{1,3}/, 'a + and 1 to 3 digits')),
  attr('extension', pattern(/[0-9]+/, 'digits')),
);

/** A person record: a reported person or user, a victim, or the reporting person. */
const person = complex(
  seq(
    el('firstName', string, opt),
    el('lastName', string, opt),
    el('phone', phone, many),
    el('email', email, many),
    el('address', address, many),
    el('age', int, opt),
    el('dateOfBirth', simple(xsDate), opt),
  ),
);

/** A person record with information pertinent for contact. */
const contactPerson = complex(
  seq(el('firstName', string, opt), el('lastName', string, opt), el('phone', phone, many), el('email', email, many), el('address', address, many)),
);

const screenName = simple(xsString);

const estimatedLocation = complex(
  seq(el('city', string, opt), el('region', string, opt), el('countryCode', simple(ncmecCountry), opt)),
  attr('verified', xsBoolean),
  attr('timestamp', xsDateTime),
);

const ipCaptureEvent = complex(
  seq(
    el('ipAddress', string),
    el('eventName', simple(ipCaptureType), opt),
    el('dateTime', dateTime, opt),
    el('possibleProxy', boolean, opt),
    el('port', int, opt),
  ),
);

const deviceId = complex(seq(el('idType', string), el('idValue', string), el('eventName', simple(ipCaptureType), opt), el('dateTime', dateTime, opt)));

const accountTemporarilyDisabled = simple(
  xsBoolean,
  attr('disabledDate', xsDateTime),
  attr('userNotified', xsBoolean),
  attr('userNotifiedDate', xsDateTime),
  attr('reenabledDate', xsDateTime),
);
const accountPermanentlyDisabled = simple(xsBoolean, attr('disabledDate', xsDateTime), attr('userNotified', xsBoolean), attr('userNotifiedDate', xsDateTime));

const associatedAccount = complex(
  seq(
    el('platform', simple(xsString, attr('thirdPartyUser', xsBoolean)), opt),
    el('firstName', string, opt),
    el('middleName', string, opt),
    el('lastName', string, opt),
    el('approximateAge', int, opt),
    el('dateOfBirth', simple(xsDate), opt),
    el('phone', phone, many),
    el('email', email, many),
    el('allEmailsReported', boolean, opt),
    el('address', address, many),
    el('espService', string, opt),
    el('espIdentifier', string, opt),
    el('profileUrl', string, many),
    el('screenName', screenName, opt),
    el('displayName', string, many),
    el('profileBio', text, opt),
    el('groupIdentifier', string, opt),
    el('compromisedAccount', boolean, opt),
    el('accountTemporarilyDisabled', accountTemporarilyDisabled, opt),
    el('accountPermanentlyDisabled', accountPermanentlyDisabled, opt),
    el('ipCaptureEvent', ipCaptureEvent, many),
    el('deviceId', deviceId, many),
    el('priorCTReport', long, many),
    el('additionalInfo', text, opt),
  ),
  attr('type', enumeration(['Billing', 'Linked', 'Business', 'Creator', 'Parent/Guardian', 'Other']), true),
);

// ---- <report>

const incidentSummary = el(
  'incidentSummary',
  complex(
    seq(
      el('incidentType', simple(enumeration(INCIDENT_TYPES))),
      el('platform', string, opt),
      /** "Only enter text if you want to escalate the report": the text is the reason. */
      el('escalateToHighPriority', string, opt),
      el('reportAnnotations', complex(all(...REPORT_ANNOTATIONS.map((name) => el(name, flag, opt)))), opt),
      el('incidentDateTime', dateTime),
      el('incidentDateTimeDescription', string, opt),
    ),
  ),
);

const internetDetails = el(
  'internetDetails',
  complex(
    choice(
      el('webPageIncident', complex(seq(el('url', string, many), el('additionalInfo', text, opt)), attr('thirdPartyHostedContent', xsBoolean))),
      el('emailIncident', complex(seq(el('emailAddress', email, many), el('content', text, opt), el('additionalInfo', text, opt)))),
      el(
        'newsgroupIncident',
        complex(seq(el('name', string, opt), el('emailAddress', email, many), el('content', text, opt), el('additionalInfo', text, opt))),
      ),
      el(
        'chatImIncident',
        complex(seq(el('chatClient', string, opt), el('chatRoomName', string, opt), el('content', text, opt), el('additionalInfo', text, opt))),
      ),
      el(
        'onlineGamingIncident',
        complex(seq(el('gameName', string, opt), el('console', string, opt), el('content', text, opt), el('additionalInfo', text, opt))),
      ),
      el(
        'cellPhoneIncident',
        complex(
          seq(el('phoneNumber', phone, opt), el('latitude', simple(xsDouble), opt), el('longitude', simple(xsDouble), opt), el('additionalInfo', text, opt)),
        ),
      ),
      el('nonInternetIncident', complex(seq(el('locationName', string, opt), el('incidentAddress', address, many), el('additionalInfo', text, opt)))),
      el(
        'peer2peerIncident',
        complex(seq(el('client', string, opt), el('ipCaptureEvent', ipCaptureEvent, many), el('fileNames', string, opt), el('additionalInfo', text, opt))),
      ),
    ),
  ),
  many,
);

/** Used "if the incident information has already been reported to law enforcement or if the request originated from law enforcement". */
const lawEnforcement = el(
  'lawEnforcement',
  complex(
    seq(
      el('agencyName', string),
      el('caseNumber', string, opt),
      el('officerContact', contactPerson, opt),
      el('reportedToLe', boolean, opt),
      el('servedLegalProcessDomestic', boolean, opt),
      el('servedLegalProcessInternational', simple(xsBoolean, attr('fleaCountry', ncmecCountry)), opt),
    ),
  ),
  opt,
);

const reporter = el(
  'reporter',
  complex(
    seq(
      el('reportingPerson', person),
      el('contactPerson', contactPerson, opt),
      el('companyTemplate', text, opt),
      el('termsOfService', text, opt),
      el('legalURL', string, opt),
    ),
  ),
);

/** Account fields shared, in this order, by the reported user, the intended recipient and the victim (each with its own additions). */
const accountHead = (): ElementDef[] => [
  el('espIdentifier', string, opt),
  el('espService', string, opt),
  el('compromisedAccount', boolean, opt),
  el('screenName', screenName, opt),
  el('displayName', string, many),
  el('profileUrl', string, many),
  el('profileBio', text, opt),
  el('ipCaptureEvent', ipCaptureEvent, many),
  el('deviceId', deviceId, many),
];
const disabled = (): ElementDef[] => [
  el('accountTemporarilyDisabled', accountTemporarilyDisabled, opt),
  el('accountPermanentlyDisabled', accountPermanentlyDisabled, opt),
  el('estimatedLocation', estimatedLocation, opt),
  el('allEmailsReported', boolean, opt),
];

/** maxOccurs is unbounded, but the documentation says "There can be 0 or 1 reported user or person". */
const personOrUserReported = el(
  'personOrUserReported',
  complex(
    seq(
      el('personOrUserReportedPerson', person, opt),
      el('vehicleDescription', string, opt),
      el('espIdentifier', string, opt),
      el('espService', string, opt),
      el('compromisedAccount', boolean, opt),
      el('screenName', screenName, opt),
      el('displayName', string, many),
      el('profileUrl', string, many),
      el('profileBio', text, opt),
      el('ipCaptureEvent', ipCaptureEvent, many),
      el('deviceId', deviceId, many),
      el('thirdPartyUserReported', boolean, opt),
      el('priorCTReports', long, many),
      el('groupIdentifier', string, opt),
      ...disabled(),
      el('associatedAccount', associatedAccount, many),
      el('additionalInfo', text, opt),
    ),
  ),
  many,
);

const intendedRecipient = el(
  'intendedRecipient',
  complex(
    seq(
      el('intendedRecipientPerson', person, opt),
      ...accountHead(),
      el('priorCTReports', long, many),
      el('groupIdentifier', string, opt),
      ...disabled(),
      el('additionalInfo', text, many),
    ),
  ),
  many,
);

const victim = el(
  'victim',
  complex(
    seq(
      el('victimPerson', person),
      ...accountHead(),
      el('schoolName', string, opt),
      el('priorCTReports', long, many),
      ...disabled(),
      el('associatedAccount', associatedAccount, many),
      el('additionalInfo', text, opt),
    ),
  ),
  many,
);

/** `<report>`: "the main top level tag to define an incident report". */
export const REPORT = el(
  'report',
  complex(
    seq(
      el('batchedReport', empty(attr('reason', enumeration(['VIRAL_POTENTIAL_MEME']), true)), opt),
      incidentSummary,
      internetDetails,
      lawEnforcement,
      reporter,
      personOrUserReported,
      intendedRecipient,
      victim,
      el('additionalInfo', text, opt),
    ),
  ),
);

// ---- <fileDetails>

/** `<fileDetails>`: one file of a report, submitted on its own (`POST /fileinfo`). */
export const FILE_DETAILS = el(
  'fileDetails',
  complex(
    seq(
      el('reportId', long),
      el('fileId', simple(xsToken)),
      el('fileName', string, opt),
      el('originalFileName', string, opt),
      el('uploadedToEspTimestamp', dateTime, opt),
      el('locationOfFile', string, opt),
      el('fileViewedByEsp', boolean, opt),
      el('exifViewedByEsp', boolean, opt),
      el('publiclyAvailable', boolean, opt),
      el('fileRelevance', simple(enumeration(['Reported', 'Supplemental Reported'])), opt),
      // The older `potentialMeme` element, or the newer annotations (which include it).
      choice(el('potentialMeme', boolean, opt), el('fileAnnotations', complex(all(...FILE_ANNOTATIONS.map((name) => el(name, flag, opt)))), opt)),
      el('industryClassification', simple(enumeration(['A1', 'A2', 'B1', 'B2'])), opt),
      el('originalFileHash', simple(xsString, attr('hashType', xsString, true)), many),
      el('ipCaptureEvent', ipCaptureEvent, opt),
      el('deviceId', deviceId, many),
      el(
        'details',
        complex(
          seq(el('nameValuePair', complex(seq(el('name', string), el('value', string))), { min: 1, max: Infinity })),
          attr('type', enumeration(['EXIF', 'HASH'])),
        ),
        many,
      ),
      el('additionalInfo', text, many),
    ),
  ),
);

/** Every element the schema defines for a report document, by root name. */
export const NCMEC_DOCUMENTS = { report: REPORT, fileDetails: FILE_DETAILS } as const;
