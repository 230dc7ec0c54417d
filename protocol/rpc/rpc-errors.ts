// Errors raised by the DCE/RPC layer. Both stay in the SmbError family so callers switch on `code` only.
import { SmbError, type SmbErrorDetails } from '../errors.js';

/**
 * Fault status codes a server may put in a fault PDU (C706 Appendix E, MS-RPCE 2.2.2.4 fault PDU and
 * MS-ERREF 2.2 for the Win32 values Windows and Samba use). Only the ones worth a name are listed.
 */
export const RpcFaultStatus = {
  nca_s_fault_access_denied: 0x00000005,
  nca_s_fault_ndr: 0x000006f7,
  nca_s_fault_int_div_by_zero: 0x1c000001,
  nca_s_fault_addr_error: 0x1c000002,
  nca_s_fault_context_mismatch: 0x1c00001a,
  nca_s_comm_failure: 0x1c010001,
  nca_s_op_rng_error: 0x1c010002,
  nca_s_unk_if: 0x1c010003,
  nca_s_wrong_boot_time: 0x1c010006,
  nca_s_you_crashed: 0x1c010009,
  nca_s_proto_error: 0x1c01000b,
  nca_s_out_args_too_big: 0x1c010013,
  nca_s_server_too_busy: 0x1c010014,
  nca_s_unsupported_type: 0x1c010017,
} as const;

const faultNames = new Map<number, string>(Object.entries(RpcFaultStatus).map(([k, v]) => [v, k]));

export function rpcFaultName(status: number): string {
  return faultNames.get(status >>> 0) ?? `0x${(status >>> 0).toString(16).padStart(8, '0')}`;
}

/** The server answered a call with a fault PDU (C706 12.6.4.7). Carries the fault status. */
export class RpcFaultError extends SmbError {
  readonly status: number;
  readonly statusName: string;

  constructor(status: number, details: SmbErrorDetails = {}) {
    const statusName = rpcFaultName(status);
    const where = details.operation ?? details.command;
    super('status', `RPC fault ${statusName}${where ? ` (${where})` : ''}`, details);
    this.name = 'RpcFaultError';
    this.status = status >>> 0;
    this.statusName = statusName;
  }
}

/** bind_nak reasons, p_reject_reason_t (C706 12.6.3.1 and MS-RPCE 2.2.2.5). */
const bindNakReasons = [
  'reason_not_specified',
  'temporary_congestion',
  'local_limit_exceeded',
  'called_paddr_unknown',
  'protocol_version_not_supported',
  'default_context_not_supported',
  'user_data_not_readable',
  'no_psap_available',
  'authentication_type_not_recognized',
  'invalid_checksum',
];

/** p_provider_reason_t for a rejected presentation context (C706 12.6.3.1). */
const providerReasons = [
  'reason_not_specified',
  'abstract_syntax_not_supported',
  'proposed_transfer_syntaxes_not_supported',
  'local_limit_exceeded',
];

export type RpcBindFailure = 'bind_nak' | 'context_rejected';

/** The server refused the bind: a bind_nak PDU, or a bind_ack that rejects our presentation context. */
export class RpcBindError extends SmbError {
  readonly failure: RpcBindFailure;
  readonly reason: number;
  readonly reasonName: string;

  constructor(failure: RpcBindFailure, reason: number, result?: number) {
    const reasonName =
      (failure === 'bind_nak' ? bindNakReasons[reason] : providerReasons[reason]) ?? `reason ${reason}`;
    const what = failure === 'bind_nak' ? 'RPC bind refused (bind_nak)' : `RPC presentation context rejected (result ${result ?? '?'})`;
    super('unsupported', `${what}: ${reasonName}`, { operation: 'bind' });
    this.name = 'RpcBindError';
    this.failure = failure;
    this.reason = reason;
    this.reasonName = reasonName;
  }
}
