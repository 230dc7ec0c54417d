// `sharekeeper map NAME TARGET [--alt HOST]... [-U USER] [--save-password]` — adds a drive to the
// registry (drives.json, never a secret), optionally saves its password in the OS keychain, then
// tries it once and prints the state. The drive stays mapped whatever the check finds; the exit
// code tells the outcome (0 connected, 3 unreachable, 4 credentials refused or missing).
import {
  DriveValidationError,
  formatSmbTarget,
  parseHostPort,
  stringifyForTerminal,
  waitSettled,
  driveAccount,
  type DriveOptions,
  type NewDrive,
  type ProtocolName,
  type Services,
  type SmbLocation,
} from '../../../main/index.js';
import { dialectName } from '../../../protocol/index.js';
import type { CliOptions } from '../args.js';
import { resolvePort, type RunContext } from '../connection.js';
import { parseUserSpec, resolveCredentials, type UserSpec } from '../credentials.js';
import { looksLikeTarget, parseTarget } from '../target.js';
import { ExitStatusError, UsageError } from '../usage-error.js';
import type { Command } from './command.js';
import { checkDeadlineMs, withServices } from './drive-context.js';
import { exitCodeForState, legacyNotes, stateLine } from './drive-status.js';

export const mapCommand: Command = {
  name: 'map',
  usage: 'map NAME //HOST/SHARE[/PATH] [--mount [DIR]]',
  summary: 'add a drive, check it once and print its state',
  details: [
    'The drive is saved in drives.json in the config folder; a password never is. With --save-password the',
    'password (from --password-stdin, SHAREKEEPER_PASSWORD or a prompt) goes to the OS keychain; when no',
    'keychain answers, nothing is saved and sharekeeper asks for it each time.',
    '--alt names another host (or //HOST:PORT) that reaches the same share, e.g. a VPN name; repeatable.',
    '--sign, --encrypt, --min-protocol and --max-protocol are kept as the drive\'s requirements.',
    '--min-protocol NT1 or --allow-legacy-auth keep allowLegacy for the drive: SMB1 and NTLMv1/LM logons,',
    'with which a password can be recovered from a capture of the traffic (`drives` says so too).',
    'Exit code: 0 connected, 3 unreachable, 4 credentials refused or missing (the drive is mapped anyway).',
    '--mount [DIR] mounts it too, once connected (see `sharekeeper mount`).',
  ],
  minArgs: 2,
  maxArgs: 3,
  options: ['alt', 'save-password', 'json', 'mount'],
  async run(ctx, [name, where, mountDir]) {
    if (mountDir !== undefined && !ctx.options.mount) throw new UsageError(`too many arguments; usage: sharekeeper ${mapCommand.usage}`);
    const drive = newDrive(name as string, where as string, ctx.options);
    await withServices(ctx, async (services) => {
      const taken = (await services.registry.list()).find((d) => d.name.toLowerCase() === drive.name.toLowerCase());
      if (taken) throw new UsageError(`a drive named '${taken.name}' already exists (unmap it first)`);
      // Read the password before saving anything: a cancelled prompt leaves no half-made drive.
      const secret = ctx.options.savePassword ? await readSecret(ctx, drive) : undefined;
      const saved = await services.registry.add(drive).catch((e: unknown) => {
        throw e instanceof DriveValidationError ? new UsageError(e.message) : e;
      });
      ctx.io.stderr.write(`sharekeeper: mapped ${saved.name} → ${saved.target}\n`);
      if (saved.options.allowLegacy) ctx.io.stderr.write(`sharekeeper: ${legacyNotes([saved])}`);
      if (secret !== undefined && saved.user !== undefined) {
        services.useCredentials(saved.id, { kind: 'user', user: saved.user, password: secret, ...(saved.domain ? { domain: saved.domain } : {}) });
        await savePassword(ctx, services, driveAccount(saved) as string, secret);
      }
      await services.loadDrives({ filter: (d) => d.id === saved.id, connect: true });
      const [status] = await waitSettled(services.supervisor, [saved.id], checkDeadlineMs(ctx));
      if (status === undefined) return;
      const line = stateLine(saved.name, status.state);
      const code = exitCodeForState(status.state);
      if (ctx.options.json) ctx.io.stdout.write(`${stringifyForTerminal({ name: saved.name, id: saved.id, target: saved.target, status: status.state.kind, reason: status.state.diagnosis.reason, message: status.state.diagnosis.message })}\n`);
      else ctx.io.stdout.write(`${line}\n`);
      if (code !== 0) throw new ExitStatusError(code, `${saved.name} is mapped, but the check failed: ${status.state.diagnosis.message}`);
      if (ctx.options.mount) {
        const { mountDrive } = await import('./mount.js');
        const at = await mountDrive(ctx, services, saved, mountDir);
        ctx.io.stderr.write(`sharekeeper: ${saved.name} mounted at ${at}\n`);
      }
    });
  },
};

/** The registry record for the arguments: target without the user, user and domain apart. */
export function newDrive(name: string, where: string, options: CliOptions): NewDrive {
  if (name.trim() === '') throw new UsageError('the drive name is empty');
  if (name.includes(':') || /[/\\]/.test(name)) throw new UsageError(`drive name '${name}': ':', '/' and '\\' are not allowed (copy uses NAME:/path)`);
  const target = parseTarget(where);
  if (target.share === undefined) throw new UsageError(`'${where}' names no share (expected //HOST/SHARE[/PATH])`);
  const port = resolvePort(target, options);
  const url = formatSmbTarget({ url: where, host: target.host, port, share: target.share, path: target.path });
  const drive: NewDrive = { name: name.trim(), target: url, alternates: options.alternates.map((a) => alternate(a, target)), options: driveOptions(options) };
  const who = pickUser(options, target);
  if (who !== undefined) {
    drive.user = who.user;
    if (who.domain !== undefined) drive.domain = who.domain;
  }
  if (options.savePassword && (who === undefined || options.noPass)) throw new UsageError('--save-password needs a user (-U USER) and a password');
  return drive;
}

function pickUser(options: CliOptions, target: SmbLocation): UserSpec | undefined {
  const fromOption = options.user === undefined ? undefined : parseUserSpec(options.user);
  if (fromOption && target.user !== undefined && fromOption.user !== target.user) throw new UsageError('the user in -U and the user in the smb:// URL differ; give it once');
  if (fromOption) return { user: fromOption.user, domain: fromOption.domain ?? target.domain };
  return target.user === undefined ? undefined : { user: target.user, domain: target.domain };
}

/** `--alt HOST[:PORT]`, or a whole target naming the same share: stored as host[:port]. */
function alternate(text: string, primary: SmbLocation): string {
  try {
    if (!looksLikeTarget(text)) {
      parseHostPort(text, '--alt');
      return text;
    }
    const t = parseTarget(text);
    if (t.share !== undefined && t.share.toLowerCase() !== (primary.share ?? '').toLowerCase()) {
      throw new UsageError(`--alt ${text}: names share '${t.share}', not '${primary.share}' (give just the host)`);
    }
    const host = t.host.includes(':') ? `[${t.host}]` : t.host;
    return t.port === undefined ? host : `${host}:${t.port}`;
  } catch (e) {
    throw e instanceof DriveValidationError ? new UsageError(e.message) : e;
  }
}

function driveOptions(o: CliOptions): DriveOptions {
  const out: DriveOptions = {};
  // One drive option carries both legacy switches (the supervisor allows SMB1 and NTLMv1/LM with it).
  if (o.smb1Only) throw new UsageError('--max-protocol NT1 is for one run; a drive keeps --min-protocol NT1 (SMB1 when the server speaks nothing newer)');
  if (o.allowSmb1 || o.allowLegacyAuth) out.allowLegacy = true;
  if (o.minProtocol !== undefined) out.minProtocol = dialectName(o.minProtocol) as ProtocolName;
  if (o.maxProtocol !== undefined) out.maxProtocol = dialectName(o.maxProtocol) as ProtocolName;
  if (o.sign) out.requireSigning = true;
  if (o.encrypt) out.requireEncryption = true;
  return out;
}

async function readSecret(ctx: RunContext, drive: NewDrive): Promise<string> {
  const host = parseTarget(drive.target).host;
  const { credentials, secret } = await resolveCredentials({
    options: { user: drive.domain === undefined ? drive.user : `${drive.domain}\\${drive.user}`, noPass: false, passwordStdin: ctx.options.passwordStdin },
    target: { user: undefined, domain: undefined, host },
    env: ctx.io.env,
    stdin: ctx.io.stdin,
    stderr: ctx.io.stderr,
  });
  if (credentials.kind !== 'user' || secret === undefined) throw new UsageError('--save-password: the password is empty');
  ctx.logger.addSecret(secret);
  return secret;
}

async function savePassword(ctx: RunContext, services: Services, account: string, secret: string): Promise<void> {
  const status = await services.keychain.status();
  if (status === 'available') {
    try {
      await services.keychain.set(account, secret);
      ctx.io.stderr.write(`sharekeeper: password for ${account} saved in the OS keychain\n`);
      return;
    } catch (e) {
      ctx.logger.log(1, `keychain: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  ctx.io.stderr.write(
    `sharekeeper: no OS keychain answers (${status === 'available' ? 'it refused the password' : status}); the password was not saved, ` +
      'and sharekeeper will ask for it each time (SHAREKEEPER_PASSWORD, --password-stdin or a prompt)\n',
  );
}
