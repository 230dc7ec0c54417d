// The messages of the contract on a channel (types only, so a renderer can `import type` them).
import type { Result } from './views.js';

export type ClientMessage = { t: 'req'; id: number; name: string; args?: unknown };

export type ServerMessage =
  | { t: 'hello'; requests: readonly string[]; events: readonly string[]; streams?: StreamRoutes }
  | { t: 'res'; id: number; result: Result<unknown> }
  | { t: 'evt'; name: string; payload: unknown };

/** Where a host streams files to and from the browser over HTTP (serve): paths on the same origin. */
export interface StreamRoutes {
  download: string;
  upload: string;
}

