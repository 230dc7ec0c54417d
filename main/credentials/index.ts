export * from './credential-store.js';
export * from './keytar-credential-store.js';
export * from './memory-credential-store.js';
export * from './prompting-credential-store.js';
