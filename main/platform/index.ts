export * from './drive-mapping-adapter.js';
export * from './run-command.js';
export * from './child-env.js';
export * from './windows-smb-adapter.js';
export * from './macos-smb-adapter.js';
export * from './linux-adapter.js';
export * from './create-adapter.js';
export * from './install-root.js';
