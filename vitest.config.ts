import {defineConfig} from 'vitest/config'

// Two projects in one run (`npm test`): unit tests need no broker; integration tests get real
// Kafka clusters from test/global-setup.ts. `vitest run --project unit` stays broker-free.
export default defineConfig({
  test: {
    pool: 'forks',
    // 2-core machines: a few files at once keeps the brokers responsive.
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
