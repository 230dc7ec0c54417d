// Public surface of the API contract and its main-side implementation.
export * from './contract.js';
export type * from './views.js';
export type { ApiClient, ApiRequests, ApiEvents, RequestFn, EventFn, Unsubscribe } from './client.js';
export { buildApiClient } from './client.js';
export { ApiDispatcher, type CallContext, type Handlers, type DispatcherOptions } from './dispatcher.js';
export { ApiFailure, toApiError, errorForJob } from './errors.js';
export { ApiValidationError, check } from './schema.js';
export { ApiConnection, EventHub, helloMessage, parseClientMessage, MAX_IN_FLIGHT, MAX_MESSAGE_BYTES, type ClientMessage, type ServerMessage, type MessageSink, type StreamRoutes } from './wire.js';
export { createApiService, createApiHost, type ApiService, type ApiHost, type ApiHostOptions } from './service.js';
export { Scrubber, type ApiHostHooks } from './api-state.js';
export { toSmbUrl, toNewDrive, driveView, statusView } from './drive-views.js';
export { LocalHandles } from './local-handles.js';
