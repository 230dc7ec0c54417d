export * from './drive.js';
export * from './drive-errors.js';
export * from './drive-registry.js';
export * from './drive-validation.js';
export * from './json-drive-registry.js';
export * from './smb-target.js';
export { writeFileAtomic } from './atomic-write.js';
