// Opening and closing the SMB connection for one CLI run: connect → login → (tree) → work → close,
// always closing in reverse order, even when the work failed.
import { dialectName, SmbError, SmbStatusError } from '../../protocol/index.js';
import type { CliOptions } from './args.js';
import { resolveCredentials } from './credentials.js';
import type { CliIo } from './io.js';
import type { Logger } from './logger.js';
import type { SmbLocation } from '../../main/drives/index.js';
import { connectClient, type Client, type ConnectOptions, type Session, type Tree } from './smb-api.js';
import { UsageError } from './usage-error.js';

/** Said whenever --allow-legacy-auth is given (issue 11: plainly, every time). */
export const LEGACY_AUTH_WARNING =
  '--allow-legacy-auth: if the server refuses NTLMv2, the password is sent as an NTLMv1 or LM answer, which anyone who captures the traffic can turn back into the password';

export const DEFAULT_PORT = 445;

export interface RunContext {
  io: CliIo;
  options: CliOptions;
  logger: Logger;
}

export function resolvePort(target: Pick<SmbLocation, 'port'>, options: Pick<CliOptions, 'port'>): number {
  if (target.port !== undefined && options.port !== undefined && target.port !== options.port) {
    throw new UsageError(`port ${target.port} in the target and -p ${options.port} differ; give it once`);
  }
  return target.port ?? options.port ?? DEFAULT_PORT;
}

export function connectOptions(target: SmbLocation, options: CliOptions, logger: Logger): ConnectOptions {
  const o: ConnectOptions = { host: target.host, port: resolvePort(target, options), log: (level, msg) => logger.log(level, msg) };
  if (options.minProtocol !== undefined) o.minDialect = options.minProtocol;
  if (options.maxProtocol !== undefined) o.maxDialect = options.maxProtocol;
  if (options.allowSmb1) o.allowSmb1 = options.smb1Only ? 'only' : true;
  if (options.allowLegacyAuth) o.allowLegacyAuth = true;
  if (options.sign) o.requireSigning = true;
  if (options.encrypt) o.encrypt = true;
  if (options.timeoutMs !== undefined) o.timeoutMs = options.timeoutMs;
  return o;
}

/** `HOST:PORT` as shown in "cannot reach" messages. */
export function serverLabel(target: SmbLocation, options: CliOptions): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${host}:${target.port ?? options.port ?? DEFAULT_PORT}`;
}

async function quietly(logger: Logger, what: string, f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (e) {
    logger.log(2, `${what} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Runs `work` with a logged-in session, then logs off and closes whatever happened. */
export async function withSession<T>(ctx: RunContext, target: SmbLocation, work: (s: Session) => Promise<T>): Promise<T> {
  // Credentials first: a prompt must not sit in front of a half-open connection that may time out.
  const { credentials, secret } = await resolveCredentials({ options: ctx.options, target, env: ctx.io.env, stdin: ctx.io.stdin, stderr: ctx.io.stderr });
  ctx.logger.addSecret(secret);
  const opts = connectOptions(target, ctx.options, ctx.logger);
  if (ctx.options.allowLegacyAuth) ctx.io.stderr.write(`sharekeeper: warning: ${LEGACY_AUTH_WARNING}\n`);
  ctx.logger.log(1, `connecting to ${serverLabel(target, ctx.options)}`);
  const client: Client = await connectClient(opts).catch((e: unknown) => {
    // A server that refuses NEGOTIATE (e.g. NT_STATUS_NOT_SUPPORTED: no dialect in our range) cannot
    // be used at all: that is "cannot reach" (exit 3), not "refused an operation" (exit 1).
    if (e instanceof SmbStatusError && e.code === 'status') throw new SmbError('unsupported', e.message, { operation: 'negotiate', cause: e });
    throw e;
  });
  try {
    ctx.logger.log(1, `negotiated ${dialectName(client.dialect)}; logging in (${credentials.kind})`);
    const session = await client.login(credentials);
    ctx.logger.log(1, `session: ${session.isGuest ? 'guest' : 'user'}, ${session.isEncrypted ? 'encrypted' : session.isSigned ? 'signed' : 'unsigned'}`);
    try {
      return await work(session);
    } finally {
      await quietly(ctx.logger, 'logoff', () => session.logoff());
    }
  } finally {
    await quietly(ctx.logger, 'close', () => client.close());
  }
}

/** Runs `work` on the target's share. */
export async function withTree<T>(ctx: RunContext, target: SmbLocation, work: (t: Tree) => Promise<T>): Promise<T> {
  const share = target.share;
  if (share === undefined) throw new UsageError('the target names no share (expected //HOST/SHARE/...)');
  return withSession(ctx, target, async (session) => {
    const tree = await session.connectTree(share);
    try {
      return await work(tree);
    } finally {
      await quietly(ctx.logger, 'tree disconnect', () => tree.disconnect());
    }
  });
}
