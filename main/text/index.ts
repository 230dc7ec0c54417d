export * from './terminal-text.js';
