// Hand-written schema checks for drive records and for drives.json (schema 1). Strict: unknown
// keys are refused, so a typo or a field from a newer version is reported instead of dropped, and
// any key that looks like a secret is refused so a password can never reach the file.
import { PROTOCOL_NAMES, protocolRank, type Drive, type DriveOptions, type ProtocolName } from './drive.js';
import { DriveValidationError } from './drive-errors.js';
import { parseHostPort, parseSmbTarget } from './smb-target.js';

export const DRIVES_SCHEMA_VERSION = 1;

export interface DrivesFile {
  schemaVersion: 1;
  drives: Drive[];
}

const DRIVE_KEYS = new Set(['id', 'name', 'target', 'alternates', 'user', 'domain', 'options', 'persistent']);
const OPTION_KEYS = new Set(['minProtocol', 'maxProtocol', 'requireEncryption', 'requireSigning', 'allowLegacy', 'mountPoint', 'mount']);
const SECRET_KEY = /pass(word|wd)?|secret|credential|token/i;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(o: Obj, allowed: Set<string>, field: string): void {
  for (const k of Object.keys(o)) {
    if (SECRET_KEY.test(k)) throw new DriveValidationError(`${field}.${k}`, 'secrets are never stored with a drive; they go to the keychain');
    if (!allowed.has(k)) throw new DriveValidationError(`${field}.${k}`, 'unknown field');
  }
}

function str(o: Obj, key: string, field: string, opts: { optional?: boolean; max?: number } = {}): string | undefined {
  const v = o[key];
  if (v === undefined && opts.optional) return undefined;
  if (typeof v !== 'string') throw new DriveValidationError(`${field}.${key}`, 'must be a string');
  if (v.trim().length === 0) throw new DriveValidationError(`${field}.${key}`, 'must not be empty');
  if (opts.max !== undefined && v.length > opts.max) throw new DriveValidationError(`${field}.${key}`, `longer than ${opts.max} characters`);
  return v;
}

function bool(o: Obj, key: string, field: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new DriveValidationError(`${field}.${key}`, 'must be true or false');
  return v;
}

function protocol(o: Obj, key: string, field: string): ProtocolName | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(PROTOCOL_NAMES as readonly string[]).includes(v)) {
    throw new DriveValidationError(`${field}.${key}`, `must be one of ${PROTOCOL_NAMES.join(', ')}`);
  }
  return v as ProtocolName;
}

export function validateDriveOptions(value: unknown, field = 'options'): DriveOptions {
  if (!isObject(value)) throw new DriveValidationError(field, 'must be an object');
  checkKeys(value, OPTION_KEYS, field);
  const out: DriveOptions = {};
  const min = protocol(value, 'minProtocol', field);
  const max = protocol(value, 'maxProtocol', field);
  if (min !== undefined && max !== undefined && protocolRank(min) > protocolRank(max)) {
    throw new DriveValidationError(field, `minProtocol ${min} is newer than maxProtocol ${max}`);
  }
  if (min !== undefined) out.minProtocol = min;
  if (max !== undefined) out.maxProtocol = max;
  for (const k of ['requireEncryption', 'requireSigning', 'allowLegacy', 'mount'] as const) {
    const b = bool(value, k, field);
    if (b !== undefined) out[k] = b;
  }
  const mountPoint = str(value, 'mountPoint', field, { optional: true, max: 4096 });
  if (mountPoint !== undefined) {
    // A folder from the root (/…, C:\…) or a drive letter: never relative, never an option-like word.
    if (!/^(\/|[A-Za-z]:($|[\\/]))/.test(mountPoint)) throw new DriveValidationError(`${field}.mountPoint`, 'must be an absolute folder or a drive letter (Z:)');
    out.mountPoint = mountPoint;
  }
  return out;
}

/** Checks one drive record and returns a clean copy (only known fields). */
export function validateDrive(value: unknown, field = 'drive'): Drive {
  if (!isObject(value)) throw new DriveValidationError(field, 'must be an object');
  checkKeys(value, DRIVE_KEYS, field);
  const id = str(value, 'id', field, { max: 200 }) as string;
  const name = str(value, 'name', field, { max: 200 }) as string;
  const target = str(value, 'target', field, { max: 2000 }) as string;
  const parsed = parseSmbTarget(target, `${field}.target`);
  const alternates = value['alternates'];
  if (!Array.isArray(alternates)) throw new DriveValidationError(`${field}.alternates`, 'must be an array of host[:port]');
  alternates.forEach((a, i) => {
    if (typeof a !== 'string') throw new DriveValidationError(`${field}.alternates[${i}]`, 'must be a string');
    parseHostPort(a, `${field}.alternates[${i}]`);
  });
  const user = str(value, 'user', field, { optional: true, max: 256 });
  const domain = str(value, 'domain', field, { optional: true, max: 256 });
  if (user !== undefined && parsed.user !== undefined && user !== parsed.user) {
    throw new DriveValidationError(`${field}.user`, `"${user}" differs from the user in the target ("${parsed.user}")`);
  }
  if (domain !== undefined && user === undefined && parsed.user === undefined) {
    throw new DriveValidationError(`${field}.domain`, 'a domain needs a user');
  }
  const persistent = bool(value, 'persistent', field);
  if (persistent === undefined) throw new DriveValidationError(`${field}.persistent`, 'must be true or false');
  const drive: Drive = {
    id,
    name,
    target,
    alternates: [...(alternates as string[])],
    options: validateDriveOptions(value['options'], `${field}.options`),
    persistent,
  };
  if (user !== undefined) drive.user = user;
  if (domain !== undefined) drive.domain = domain;
  return drive;
}

/** Checks the whole file: `{ schemaVersion: 1, drives: [...] }`, ids unique. */
export function validateDrivesFile(value: unknown): DrivesFile {
  if (!isObject(value)) throw new DriveValidationError('(file)', 'must be a JSON object');
  const version = value['schemaVersion'];
  if (version !== DRIVES_SCHEMA_VERSION) {
    throw new DriveValidationError('schemaVersion', `unknown schema version ${JSON.stringify(version)} (this version reads ${DRIVES_SCHEMA_VERSION})`);
  }
  checkKeys(value, new Set(['schemaVersion', 'drives']), '(file)');
  const list = value['drives'];
  if (!Array.isArray(list)) throw new DriveValidationError('drives', 'must be an array');
  const seen = new Set<string>();
  const drives = list.map((d, i) => {
    const drive = validateDrive(d, `drives[${i}]`);
    if (seen.has(drive.id)) throw new DriveValidationError(`drives[${i}].id`, `duplicate id "${drive.id}"`);
    seen.add(drive.id);
    return drive;
  });
  return { schemaVersion: 1, drives };
}
