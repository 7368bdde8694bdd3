/**
 * Jest lanes (jest projects). `npm test` runs the fast default lane: unit and conformance tests.
 * The long lanes have their own scripts, and .ci/run runs every one of them:
 *   corpus        npm run test:corpus        the real-world corpus at ../shared/corpus
 *   fuzz          npm run test:fuzz          truncated/corrupted/hostile inputs, thousands each
 *   multiprocess  npm run test:multiprocess  several node processes sharing one symbol cache
 * A file belongs to exactly one lane: corpus by directory (test/corpus/) or name (corpus*.test.ts),
 * fuzz by name (robustness, corrupt, hostile, bad-input, fuzz), multiprocess by name.
 * Paths given on the command line select files from every lane (the Wine lane does that).
 * @type {import('jest').Config}
 */
const base = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
};
const corpus = ['<rootDir>/test/corpus/**/*.test.ts', '<rootDir>/test/**/corpus*.test.ts'];
const fuzz = ['robustness', 'corrupt', 'hostile', 'bad-input', 'fuzz'].map((n) => `<rootDir>/test/unit/**/*${n}*.test.ts`);
const multiprocess = ['<rootDir>/test/integration/**/eight-processes.test.ts'];
// The default lane leaves out the others' files (testPathIgnorePatterns are regular expressions).
const notDefault = ['/test/corpus/', '/corpus[^/]*\\.test\\.ts$', '/test/unit/.*(robustness|corrupt|hostile|bad-input|fuzz)[^/]*\\.test\\.ts$', '/eight-processes\\.test\\.ts$'];

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', ...notDefault] },
    { ...base, displayName: 'corpus', testMatch: corpus },
    { ...base, displayName: 'fuzz', testMatch: fuzz },
    { ...base, displayName: 'multiprocess', testMatch: multiprocess },
  ],
};
