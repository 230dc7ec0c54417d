// Command-line parsing: options may come before or after the command, `--` ends options,
// values attach (`-Ualice`, `--user=alice`) or follow (`-U alice`), short flags bundle (`-Nf`).
// Option names follow smbclient where it has one (-U, -N, -m, -p, -t, -d).
import { parseDialectName, type DialectValue } from '../../protocol/index.js';
import { parsePort } from './target.js';
import { UsageError } from './usage-error.js';

export interface CliOptions {
  user: string | undefined;
  noPass: boolean;
  passwordStdin: boolean;
  maxProtocol: DialectValue | undefined;
  minProtocol: DialectValue | undefined;
  /** `--min-protocol NT1`: SMB1 may be used when the server offers nothing newer. */
  allowSmb1: boolean;
  /** `--max-protocol NT1` (with --min-protocol NT1): SMB1 only. */
  smb1Only: boolean;
  /** `--allow-legacy-auth`: NTLMv1/LM answers when the server refuses NTLMv2. */
  allowLegacyAuth: boolean;
  sign: boolean;
  encrypt: boolean;
  port: number | undefined;
  timeoutMs: number | undefined;
  debug: number;
  json: boolean;
  force: boolean;
  progress: boolean;
  /** `map --alt`: other hosts (or targets) that reach the same share; may be given more than once. */
  alternates: string[];
  savePassword: boolean;
  all: boolean;
  onConflict: ConflictChoice | undefined;
  /** `serve --open`: open the printed URL in the default browser. */
  open: boolean;
  /** `serve --downloads DIR`: where downloads through the queue go. */
  downloads: string | undefined;
  /** `map --mount [DIR]`: mount the new drive too. */
  mount: boolean;
  /** `mount --foreground`: serve the mount in this process until Ctrl-C (no background process). */
  foreground: boolean;
}

export type ConflictChoice = 'ask' | 'skip' | 'overwrite' | 'keep-both';
const CONFLICT_CHOICES: readonly ConflictChoice[] = ['ask', 'skip', 'overwrite', 'keep-both'];

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  options: CliOptions;
  /** Which options were given, by long name; commands use it to refuse ones that make no sense for them. */
  given: Set<string>;
  help: boolean;
}

interface OptionSpec {
  long: string;
  short?: string;
  value: boolean;
  apply(o: CliOptions, v: string): void;
}

const SPECS: readonly OptionSpec[] = [
  { long: 'user', short: 'U', value: true, apply: (o, v) => (o.user = checkUser(v)) },
  { long: 'no-pass', short: 'N', value: false, apply: (o) => (o.noPass = true) },
  { long: 'password-stdin', value: false, apply: (o) => (o.passwordStdin = true) },
  { long: 'max-protocol', short: 'm', value: true, apply: (o, v) => (isNt1(v) ? (o.smb1Only = true) : (o.maxProtocol = parseProtocol(v, 'max'))) },
  { long: 'min-protocol', value: true, apply: (o, v) => (isNt1(v) ? (o.allowSmb1 = true) : (o.minProtocol = parseProtocol(v, 'min'))) },
  { long: 'allow-legacy-auth', value: false, apply: (o) => (o.allowLegacyAuth = true) },
  { long: 'sign', value: false, apply: (o) => (o.sign = true) },
  { long: 'encrypt', value: false, apply: (o) => (o.encrypt = true) },
  { long: 'port', short: 'p', value: true, apply: (o, v) => (o.port = parsePort(v, `--port ${v}`)) },
  { long: 'timeout', short: 't', value: true, apply: (o, v) => (o.timeoutMs = parseTimeout(v)) },
  { long: 'debug', short: 'd', value: true, apply: (o, v) => (o.debug = parseDebug(v)) },
  { long: 'json', value: false, apply: (o) => (o.json = true) },
  { long: 'force', short: 'f', value: false, apply: (o) => (o.force = true) },
  { long: 'no-progress', value: false, apply: (o) => (o.progress = false) },
  { long: 'alt', value: true, apply: (o, v) => o.alternates.push(nonEmptyValue(v, '--alt')) },
  { long: 'save-password', value: false, apply: (o) => (o.savePassword = true) },
  { long: 'all', value: false, apply: (o) => (o.all = true) },
  { long: 'on-conflict', value: true, apply: (o, v) => (o.onConflict = parseConflict(v)) },
  { long: 'open', value: false, apply: (o) => (o.open = true) },
  { long: 'downloads', value: true, apply: (o, v) => (o.downloads = nonEmptyValue(v, '--downloads')) },
  { long: 'mount', value: false, apply: (o) => (o.mount = true) },
  { long: 'foreground', value: false, apply: (o) => (o.foreground = true) },
  { long: 'help', short: 'h', value: false, apply: () => undefined },
];

const PASSWORD_REFUSAL =
  'passwords are not taken on the command line (other users can read them in process lists and shell history); ' +
  'set SHAREKEEPER_PASSWORD, pipe it with --password-stdin, or let sharekeeper prompt for it';

export function defaultOptions(): CliOptions {
  return {
    user: undefined, noPass: false, passwordStdin: false, maxProtocol: undefined, minProtocol: undefined,
    allowSmb1: false, smb1Only: false, allowLegacyAuth: false, sign: false, encrypt: false, port: undefined, timeoutMs: undefined, debug: 0, json: false, force: false, progress: true,
    alternates: [], savePassword: false, all: false, onConflict: undefined, open: false, downloads: undefined,
    mount: false, foreground: false,
  };
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const options = defaultOptions();
  const given = new Set<string>();
  const positionals: string[] = [];
  let i = 0;
  const takeValue = (spec: OptionSpec, attached: string | undefined, shown: string): string => {
    if (attached !== undefined) return attached;
    const next = argv[i + 1];
    if (next === undefined) throw new UsageError(`${shown} needs a value`);
    i += 1;
    return next;
  };
  for (; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      if (name === 'password' || name === 'pass') throw new UsageError(`--${name}: ${PASSWORD_REFUSAL}`);
      const spec = SPECS.find((s) => s.long === name);
      if (!spec) throw new UsageError(`unknown option --${name}`);
      if (!spec.value && eq >= 0) throw new UsageError(`--${name} does not take a value`);
      spec.apply(options, spec.value ? takeValue(spec, eq < 0 ? undefined : arg.slice(eq + 1), `--${name}`) : '');
      given.add(spec.long);
    } else if (arg.startsWith('-') && arg.length > 1) {
      // A bundle of short flags; the first one that takes a value eats the rest of the token.
      for (let j = 1; j < arg.length; j += 1) {
        const letter = arg[j] as string;
        const spec = SPECS.find((s) => s.short === letter);
        if (!spec) throw new UsageError(`unknown option -${letter}`);
        given.add(spec.long);
        if (!spec.value) {
          spec.apply(options, '');
          continue;
        }
        const rest = arg.slice(j + 1);
        spec.apply(options, takeValue(spec, rest === '' ? undefined : rest, `-${letter}`));
        break;
      }
    } else {
      positionals.push(arg);
    }
  }
  checkProtocolRange(options);
  if (options.noPass && options.passwordStdin) throw new UsageError('-N/--no-pass and --password-stdin contradict each other');
  const [command, ...rest] = positionals;
  return { command, positionals: rest, options, given, help: given.has('help') };
}

function checkUser(v: string): string {
  // smbclient accepts `-U user%password`; we refuse it for the same reason as --password.
  if (v.includes('%')) throw new UsageError(`-U with '%': ${PASSWORD_REFUSAL}`);
  if (v === '') throw new UsageError('-U needs a user name');
  return v;
}

/** Names as smbclient takes them; SMB2 and SMB3 mean the newest of each family, as in smb.conf. */
export function parseProtocol(v: string, which: 'min' | 'max'): DialectValue {
  const upper = v.toUpperCase();
  const alias: Record<string, string> = { SMB2: 'SMB2_10', SMB3: 'SMB3_11' };
  const d = parseDialectName(alias[upper] ?? upper);
  if (d !== undefined) return d;
  if (['NT1', 'LANMAN1', 'LANMAN2', 'CORE', 'COREPLUS', 'SMB1'].includes(upper)) {
    throw new UsageError(`--${which}-protocol ${v}: of SMB1 only NT1 is supported, and only as --min-protocol NT1`);
  }
  throw new UsageError(`--${which}-protocol ${v}: expected NT1, SMB2_02, SMB2_10, SMB3_00, SMB3_02 or SMB3_11`);
}

/** Samba's name for SMB1 (NT LM 0.12), the one legacy dialect there is. */
function isNt1(v: string): boolean {
  return v.toUpperCase() === 'NT1';
}

function checkProtocolRange(o: CliOptions): void {
  if (o.smb1Only && !o.allowSmb1) throw new UsageError('--max-protocol NT1 needs --min-protocol NT1: SMB1 is off unless you allow it');
  if (o.smb1Only && o.maxProtocol !== undefined) throw new UsageError('--max-protocol given twice');
  if (o.allowSmb1 && o.minProtocol !== undefined) throw new UsageError('--min-protocol given twice');
  if (o.minProtocol !== undefined && o.maxProtocol !== undefined && o.minProtocol > o.maxProtocol) {
    throw new UsageError('--min-protocol is newer than --max-protocol');
  }
}

function parseTimeout(v: string): number {
  const s = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(s > 0) || s > 86_400) throw new UsageError(`--timeout ${v}: expected seconds, more than 0 and at most 86400`);
  return Math.round(s * 1000);
}

function nonEmptyValue(v: string, shown: string): string {
  if (v === '') throw new UsageError(`${shown} needs a value`);
  return v;
}

function parseConflict(v: string): ConflictChoice {
  const c = CONFLICT_CHOICES.find((x) => x === v);
  if (c === undefined) throw new UsageError(`--on-conflict ${v}: expected ${CONFLICT_CHOICES.join(', ')}`);
  return c;
}

function parseDebug(v: string): number {
  if (!/^\d{1,2}$/.test(v) || Number(v) > 10) throw new UsageError(`--debug ${v}: expected a level from 0 to 10`);
  return Number(v);
}
