// SPNEGO tokens (RFC 4178 section 4.2, MS-SPNG 2.2) as SMB2 SESSION_SETUP carries them.
//   InitialContextToken ::= [APPLICATION 0] { thisMech OID 1.3.6.1.5.5.2, NegotiationToken }
//   NegotiationToken ::= CHOICE { negTokenInit [0] NegTokenInit, negTokenResp [1] NegTokenResp }
//   NegTokenInit ::= SEQUENCE { mechTypes [0] MechTypeList, reqFlags [1] OPTIONAL,
//                               mechToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OPTIONAL }
//   (MS-SPNG 2.2.1 NegTokenInit2 puts negHints at [3] and mechListMIC at [4].)
//   NegTokenResp ::= SEQUENCE { negState [0] ENUMERATED OPTIONAL, supportedMech [1] OID OPTIONAL,
//                               responseToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OCTET STRING OPTIONAL }
import { MalformedMessageError } from '../errors.js';
import {
  DER_APPLICATION_0,
  DER_ENUMERATED,
  DER_OCTET_STRING,
  DER_OID,
  DER_SEQUENCE,
  DerReader,
  decodeOidValue,
  derChildren,
  derContext,
  derOid,
  derTlv,
  type DerNode,
} from './der.js';

export const SPNEGO_OID = '1.3.6.1.5.5.2';
export const NTLMSSP_OID = '1.3.6.1.4.1.311.2.2.10';

/** RFC 4178 4.2.2 negState. */
export const NegState = {
  ACCEPT_COMPLETED: 0,
  ACCEPT_INCOMPLETE: 1,
  REJECT: 2,
  REQUEST_MIC: 3,
} as const;

export interface NegTokenInit {
  mechTypes: string[];
  mechToken?: Buffer;
}

export interface NegTokenResp {
  negState?: number;
  supportedMech?: string;
  responseToken?: Buffer;
  mechListMIC?: Buffer;
}

const INIT = 'SPNEGO NegTokenInit';
const RESP = 'SPNEGO NegTokenResp';

/** DER of MechTypeList (SEQUENCE OF OID): also the input to mechListMIC (RFC 4178 5). */
export function encodeMechTypeList(mechTypes: readonly string[]): Buffer {
  return derTlv(DER_SEQUENCE, ...mechTypes.map(derOid));
}

/** The client's first token: InitialContextToken wrapping a NegTokenInit. */
export function encodeNegTokenInit(init: NegTokenInit): Buffer {
  const fields = [derTlv(derContext(0), encodeMechTypeList(init.mechTypes))];
  if (init.mechToken) fields.push(derTlv(derContext(2), derTlv(DER_OCTET_STRING, init.mechToken)));
  const negTokenInit = derTlv(derContext(0), derTlv(DER_SEQUENCE, ...fields));
  return derTlv(DER_APPLICATION_0, derOid(SPNEGO_OID), negTokenInit);
}

export function encodeNegTokenResp(resp: NegTokenResp): Buffer {
  const fields: Buffer[] = [];
  if (resp.negState !== undefined) fields.push(derTlv(derContext(0), derTlv(DER_ENUMERATED, Buffer.from([resp.negState]))));
  if (resp.supportedMech !== undefined) fields.push(derTlv(derContext(1), derOid(resp.supportedMech)));
  if (resp.responseToken) fields.push(derTlv(derContext(2), derTlv(DER_OCTET_STRING, resp.responseToken)));
  if (resp.mechListMIC) fields.push(derTlv(derContext(3), derTlv(DER_OCTET_STRING, resp.mechListMIC)));
  return derTlv(derContext(1), derTlv(DER_SEQUENCE, ...fields));
}

function octetString(node: DerNode, structure: string, field: string): Buffer {
  return derChildren(node, structure).expect(DER_OCTET_STRING, field).value;
}

function oid(node: DerNode, structure: string, field: string): string {
  return decodeOidValue(node.value, `${structure} ${field}`);
}

/**
 * Decodes a NegTokenInit (or NegTokenInit2), with or without the GSS-API InitialContextToken
 * wrapper: the server's hint in the NEGOTIATE response has it.
 */
export function decodeNegTokenInit(token: Buffer): NegTokenInit {
  let r = new DerReader(token, INIT);
  let node = r.next('token');
  if (node.tag === DER_APPLICATION_0) {
    r = derChildren(node, INIT);
    const mech = oid(r.expect(DER_OID, 'thisMech'), INIT, 'thisMech');
    if (mech !== SPNEGO_OID) throw new MalformedMessageError(INIT, 'thisMech', `not SPNEGO: ${mech}`);
    node = r.next('negTokenInit');
  }
  if (node.tag !== derContext(0)) throw new MalformedMessageError(INIT, 'negTokenInit', `tag 0x${node.tag.toString(16)}`);
  const seq = derChildren(derChildren(node, INIT).expect(DER_SEQUENCE, 'NegTokenInit'), INIT);
  const out: NegTokenInit = { mechTypes: [] };
  let sawMechTypes = false;
  while (!seq.done) {
    const f = seq.next('field');
    if (f.tag === derContext(0)) {
      const list = derChildren(derChildren(f, INIT).expect(DER_SEQUENCE, 'mechTypes'), INIT);
      while (!list.done) out.mechTypes.push(oid(list.expect(DER_OID, 'mechType'), INIT, 'mechType'));
      sawMechTypes = true;
    } else if (f.tag === derContext(2)) {
      out.mechToken = octetString(f, INIT, 'mechToken');
    }
    // [1] reqFlags, [3] mechListMIC or negHints, [4] mechListMIC: not needed by the client.
  }
  if (!sawMechTypes) throw new MalformedMessageError(INIT, 'mechTypes', 'missing');
  return out;
}

export function decodeNegTokenResp(token: Buffer): NegTokenResp {
  const r = new DerReader(token, RESP);
  const outer = r.expect(derContext(1), 'negTokenResp');
  const seq = derChildren(derChildren(outer, RESP).expect(DER_SEQUENCE, 'NegTokenResp'), RESP);
  const out: NegTokenResp = {};
  while (!seq.done) {
    const f = seq.next('field');
    switch (f.tag) {
      case derContext(0): {
        const e = derChildren(f, RESP).expect(DER_ENUMERATED, 'negState');
        if (e.value.length !== 1) throw new MalformedMessageError(RESP, 'negState', `length ${e.value.length}`);
        out.negState = e.value[0] ?? 0;
        break;
      }
      case derContext(1):
        out.supportedMech = oid(derChildren(f, RESP).expect(DER_OID, 'supportedMech'), RESP, 'supportedMech');
        break;
      case derContext(2):
        out.responseToken = octetString(f, RESP, 'responseToken');
        break;
      case derContext(3):
        out.mechListMIC = octetString(f, RESP, 'mechListMIC');
        break;
      default:
        throw new MalformedMessageError(RESP, 'field', `unexpected tag 0x${f.tag.toString(16)}`);
    }
  }
  return out;
}
