// The shape every UI sees: `api.drives.list()`, `api.on.drives.changed(listener)`, one method per
// contract entry, derived from the names ('drives.list' → drives.list). The Electron preload and the
// serve client build this object from the contract's name lists; the renderer only `import type`s it.
import type { ArgsOf, EventName, PayloadOf, RequestName, ResultOf } from './contract.js';
import type { Result } from './views.js';

type NamespaceOf<K extends string> = K extends `${infer N}.${string}` ? N : never;
type MemberOf<K extends string, N extends string> = K extends `${N}.${infer M}` ? M : never;

export type RequestFn<K extends RequestName> =
  ArgsOf<K> extends Record<string, never> ? (args?: ArgsOf<K>) => Promise<Result<ResultOf<K>>> : (args: ArgsOf<K>) => Promise<Result<ResultOf<K>>>;

export type ApiRequests = {
  readonly [N in NamespaceOf<RequestName>]: { readonly [M in MemberOf<RequestName, N>]: RequestFn<`${N}.${M}` & RequestName> };
};

export type Unsubscribe = () => void;
export type EventFn<E extends EventName> = (listener: (payload: PayloadOf<E>) => void) => Unsubscribe;

export type ApiEvents = {
  readonly [N in NamespaceOf<EventName>]: { readonly [M in MemberOf<EventName, N>]: EventFn<`${N}.${M}` & EventName> };
};

export type ApiClient = ApiRequests & { readonly on: ApiEvents };

/**
 * Builds the client object from name lists and two functions: one that sends a request and one
 * that subscribes to an event. Frozen all the way down. (The renderer has its own copy of these
 * few lines, as it may not import main/ at run time.)
 */
export function buildApiClient(
  requestNames: readonly string[],
  eventNames: readonly string[],
  invoke: (name: string, args: unknown) => Promise<Result<unknown>>,
  subscribe: (name: string, listener: (payload: unknown) => void) => Unsubscribe,
): ApiClient {
  const root: Record<string, Record<string, unknown>> = {};
  for (const name of requestNames) {
    const [ns, member] = splitName(name);
    (root[ns] ??= {})[member] = (args?: unknown) => invoke(name, args ?? {});
  }
  const on: Record<string, Record<string, unknown>> = {};
  for (const name of eventNames) {
    const [ns, member] = splitName(name);
    (on[ns] ??= {})[member] = (listener: (payload: unknown) => void) => subscribe(name, listener);
  }
  for (const o of [...Object.values(root), ...Object.values(on)]) Object.freeze(o);
  return Object.freeze({ ...root, on: Object.freeze(on) }) as unknown as ApiClient;
}

function splitName(name: string): [string, string] {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) throw new Error(`contract name without a namespace: ${name}`);
  return [name.slice(0, dot), name.slice(dot + 1)];
}
