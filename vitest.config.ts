import { defineConfig } from 'vitest/config';

// Unit tests sit beside their code; cross-cutting suites (real Samba, CLI, faults) live in test/.
// The protocol suites run twice: with the native crypto primitives, and with every fallback forced
// (SHAREKEEPER_CRYPTO=fallback: our own AES-CCM, as inside Electron's BoringSSL), so a path that
// only works in Node cannot pass unnoticed.
const integration = {
  // The sealed-frame decryption worker runs compiled code (npm test builds first); see crypto/aead-offload.ts.
  env: { SHAREKEEPER_CRYPTO_WORKER_SCRIPT: 'dist/protocol/crypto/aead-worker.js' },
  testTimeout: 120_000,
  hookTimeout: 120_000,
  fileParallelism: false,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Property tests take a second or two alone and several times that on a loaded 2-core box.
          testTimeout: 20_000,
          include: ['protocol/**/*.test.ts', 'main/**/*.test.ts', 'app/**/*.test.ts', 'renderer/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'unit-fallback-crypto',
          testTimeout: 20_000,
          include: ['protocol/**/*.test.ts'],
          env: { SHAREKEEPER_CRYPTO: 'fallback' },
        },
      },
      {
        test: { name: 'integration', include: ['test/**/*.test.ts'], ...integration },
      },
      {
        test: {
          name: 'integration-fallback-crypto',
          include: ['test/integration/protocol-*.test.ts', 'test/integration/security-*.test.ts'],
          // After the first integration run, never beside it: two Samba-heavy suites at once on two
          // cores make the timing checks meaningless.
          sequence: { groupOrder: 1 },
          ...integration,
          env: { ...integration.env, SHAREKEEPER_CRYPTO: 'fallback' },
        },
      },
    ],
  },
});
