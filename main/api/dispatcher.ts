// The main side of the contract: takes (name, args) from any bridge (WebSocket, MessagePort,
// Electron IPC), validates the arguments, runs the handler under the request's deadline and
// returns a Result. It never throws and never rejects: a malformed request, an unknown name, a
// handler that throws or hangs all come back as { ok: false, error }.
import { isRequestName, requests, type ArgsOf, type EventName, type PayloadOf, type RequestName, type ResultOf } from './contract.js';
import { toApiError } from './errors.js';
import { check, type Validator } from './schema.js';
import type { ApiError, Result } from './views.js';

export interface CallContext {
  /** Aborted when the request's deadline passes or its client goes away. */
  readonly signal: AbortSignal;
  /** Aborted when the client goes away (work that outlives the request, such as a listing, stops). */
  readonly clientSignal: AbortSignal;
  /** Which connection asked (per-client events such as folder batches go only there). */
  readonly clientId: string;
  /** Sends an event to this client only. */
  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void;
}

export type Handlers = { [K in RequestName]: (args: ArgsOf<K>, ctx: CallContext) => Promise<ResultOf<K>> };

export interface DispatcherOptions {
  /** Removes known secrets from a message before it leaves main. */
  scrub?: (text: string) => string;
  log?: (message: string) => void;
  /** Overrides the contract's deadlines (tests). */
  deadlineMs?: (name: RequestName) => number;
}

export class ApiDispatcher {
  constructor(
    private readonly handlers: Handlers,
    private readonly opts: DispatcherOptions = {},
  ) {}

  async dispatch(name: unknown, args: unknown, ctx: Omit<CallContext, 'signal'>): Promise<Result<unknown>> {
    if (!isRequestName(name)) {
      return this.fail({ code: 'bad-request', message: 'The request was not understood', detail: `unknown request ${describe(name)}` });
    }
    let validated: unknown;
    try {
      validated = check(requests[name].validate as Validator<unknown>, args);
    } catch (e) {
      return this.fail(toApiError(e));
    }
    const deadlineMs = this.opts.deadlineMs?.(name) ?? requests[name].deadlineMs;
    const controller = new AbortController();
    const onOuterAbort = (): void => controller.abort(new Error('the client went away'));
    ctx.clientSignal.addEventListener('abort', onOuterAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Result<unknown>>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error(`deadline of ${deadlineMs} ms passed`));
        resolve(this.fail({ code: 'timeout', message: 'This took too long and was stopped', detail: `${name}: no answer within ${deadlineMs} ms` }));
      }, deadlineMs);
    });
    const handler = this.handlers[name] as (a: unknown, c: CallContext) => Promise<unknown>;
    const run = (async (): Promise<Result<unknown>> => {
      try {
        const value = await handler(validated, { clientId: ctx.clientId, clientSignal: ctx.clientSignal, emit: ctx.emit, signal: controller.signal });
        return { ok: true, value: value === undefined ? null : value };
      } catch (e) {
        this.opts.log?.(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
        return this.fail(toApiError(e));
      }
    })();
    try {
      return await Promise.race([run, deadline]);
    } finally {
      clearTimeout(timer);
      ctx.clientSignal.removeEventListener('abort', onOuterAbort);
    }
  }

  private fail(error: ApiError): Result<never> {
    const scrub = this.opts.scrub ?? ((t: string) => t);
    const clean: ApiError = { ...error, message: scrub(error.message) };
    if (error.detail !== undefined) clean.detail = scrub(error.detail);
    return { ok: false, error: clean };
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 80));
  return typeof v;
}
