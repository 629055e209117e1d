// Lint rules, including the layer boundaries of DESIGN.md: a file's folder says where it runs,
// and imports only go down the layers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const banNode = {
  paths: nodeBuiltins.map((name) => ({
    name,
    message: 'Runs outside Node: talk to the main process through the contract in src/shared.',
  })),
};
const mainPatterns = {
  group: ['**/main/**', '**/main'],
  message: 'Only src/main may import src/main.',
};
const electronBan = {
  name: 'electron',
  message: 'Only src/main/electron (and the preload) may import electron.',
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.tools/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...banNode,
          paths: [...banNode.paths, electronBan],
          patterns: [
            mainPatterns,
            {
              group: ['**/renderer/**', '**/preload/**'],
              message: 'src/shared imports nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/core/**/*.ts', 'src/main/web/**/*.ts', 'src/main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            {
              group: ['**/renderer/**', '**/preload/**'],
              message: 'The main process never imports renderer or preload code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            {
              group: [
                '**/electron/**',
                '**/web/**',
                '**/cli/**',
                '**/renderer/**',
                '**/preload/**',
              ],
              message: 'src/main/core is the engine: it imports only core and shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...banNode,
          patterns: [
            mainPatterns,
            { group: ['**/renderer/**'], message: 'The preload only knows the contract.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          ...banNode,
          paths: [...banNode.paths, electronBan],
          patterns: [
            mainPatterns,
            {
              group: ['**/preload/**'],
              message: 'The renderer talks to the contract, not the preload.',
            },
          ],
        },
      ],
      // Types only from the modules that build zod schemas: zod probes for eval, which the
      // renderer's CSP refuses, and the bundle should carry no schema library anyway.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: 'The renderer carries no schema library.' }],
          patterns: [
            {
              group: ['**/shared/api', '**/shared/workspace'],
              allowTypeImports: true,
              message:
                'Import only types from shared/api and shared/workspace in the renderer (their zod schemas would be bundled); values live in schema-free modules such as shared/methods and shared/proposals.',
            },
          ],
        },
      ],
    },
  },
);
