import js from '@eslint/js';
import { builtinModules } from 'node:module';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const noNode = { paths: nodeBuiltins.map((name) => ({ name, message: 'No Node built-ins here: this code also runs in the renderer.' })) };
const noElectron = { name: 'electron', message: 'Services, the backend, the server and the CLI never import electron: they run outside it too.' };

/** Layering: shared is pure, the renderer reaches the backend only through the contract, services stay Electron-free. */
const layers = [
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...noNode.paths, noElectron, { name: 'react', message: 'shared/ has no UI code.' }], patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'shared/ depends on nothing but itself.' }] }],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...noNode.paths, { name: 'electron', message: 'The renderer talks to the backend only through the contract.' }], patterns: [{ group: ['**/electron/**'], message: 'The renderer talks to the backend only through the contract (shared/contract).' }] }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [{ group: ['**/renderer/**'], message: 'Node-side code does not import the UI.' }] }],
    },
  },
];

export default tseslint.config(
  // AssemblyScript (electron/services/index/assembly) is checked by its own compiler, asc.
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'electron/services/index/assembly/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['renderer/src/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  ...layers,
);
