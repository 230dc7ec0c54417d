// Lint rules that keep the layers honest (see docs/ARCHITECTURE.md):
//   protocol/ ← main/ ← app/ ; renderer/ reaches main/ only through `import type` of the contract.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const outsideProtocolIndex = {
  group: ['**/protocol/*', '**/protocol/**', '!**/protocol/index.js'],
  message: 'Import protocol/ only through protocol/index.ts.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'coverage/**'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'node:net', message: 'Only protocol/transport/tcp-transport.ts touches the network.' }],
          patterns: [
            { group: ['**/main/**', '**/app/**', '**/renderer/**', 'electron'], message: 'protocol/ imports nothing from the rest of the app.' },
          ],
        },
      ],
    },
  },
  {
    files: ['protocol/transport/tcp-transport.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/main/**', '**/app/**', '**/renderer/**'], message: 'protocol/ imports nothing from the rest of the app.' }] },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/**/*-electron.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'main/ runs in plain Node; only *-electron.ts files import electron.' }],
          patterns: [{ group: ['**/app/**', '**/renderer/**'], message: 'main/ never imports app/ or renderer/.' }, outsideProtocolIndex],
        },
      ],
    },
  },
  {
    files: ['app/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'app/ serves renderer/ as files, never imports it.' }, outsideProtocolIndex] },
      ],
    },
  },
  {
    files: ['app/serve/**/*.ts', 'app/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'serve and the CLI run in plain Node.' }],
          patterns: [{ group: ['**/renderer/**', '**/electron/**'], message: 'app/serve and app/cli never import renderer/ or the Electron shell.' }, outsideProtocolIndex],
        },
      ],
    },
  },
  {
    files: ['app/electron/**/*.ts'],
    ignores: ['app/electron/**/*-electron.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only *-electron.ts files import electron; the decisions stay plain, tested functions.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'app/ serves renderer/ as files, never imports it.' }, outsideProtocolIndex],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'renderer/ runs in a browser: no Node built-ins.' }], paths: ['electron', 'fs', 'path', 'child_process', 'net', 'os'] }],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/protocol/**', '**/app/**'], message: 'renderer/ reaches main only through the contract.' },
            { group: ['**/main/**', '!**/main/api/types.js'], message: 'renderer/ may only `import type` from main/api/types.ts.' },
            { group: ['**/main/api/types.js'], allowTypeImports: true, message: 'renderer/ may only `import type` from main/.' },
          ],
        },
      ],
    },
  },
);
