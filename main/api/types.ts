// Everything a renderer may know of main: types only (renderer/ may only `import type`, and only
// from here, so its type check never pulls in Node code).
export type * from './views.js';
export type { ApiClient, ApiRequests, ApiEvents, RequestFn, EventFn, Unsubscribe } from './client.js';
export type { ArgsOf, ResultOf, PayloadOf, RequestName, EventName } from './contract.js';
export type { ClientMessage, ServerMessage, StreamRoutes } from './wire-types.js';
