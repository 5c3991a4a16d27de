import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { layerBoundaries } from './tools/eslint-layer-boundaries.js';

const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'coverage', 'dev-dist', '.tmp', 'screenshots'] },
  js.configs.recommended,
  // Type-aware: these are the rules that find bugs (a promise nobody awaits, an async handler React ignores).
  ...tseslint.configs.recommendedTypeChecked,
  reactHooks.configs.flat.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { crucible: { rules: { 'layer-boundaries': layerBoundaries } } },
    rules: {
      'react-hooks/exhaustive-deps': 'error',
      'crucible/layer-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': unusedVars,
      // react-router's navigate() returns a promise only so data routers can be awaited; its failures surface
      // through the route's error element, so a navigation nobody awaits is not a lost error.
      // An async function with no await is how a synchronous implementation of a Promise-returning interface turns
      // its throws into rejections (fakes in tests, the offline architect); that is intended, not a bug.
      '@typescript-eslint/require-await': 'off',
      // This only says the React Compiler would skip a component (TanStack Virtual); the app does not use the compiler.
      'react-hooks/incompatible-library': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: 'NavigateFunction', package: 'react-router' }] },
      ],
    },
  },
  {
    // Features and shared components link and navigate through src/shared/navigation: the router's Link and
    // useNavigate re-render their component on every URL change (every history row and chat row, on each filter).
    files: ['src/features/**/*.{ts,tsx}', 'src/shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'react-router',
              importNames: ['Link', 'NavLink', 'useNavigate'],
              message: 'Use AppLink and useAppNavigate from src/shared/navigation: they do not re-render on every URL change.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read raw IndexedDB records and parsed JSON on purpose, to see what was stored without the app's types;
    // in the app itself these rules stay on.
    files: ['tests/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (bench scripts, tools, the service-worker-free theme script) is outside the TS project.
    files: ['**/*.{js,mjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-unused-vars': unusedVars },
  },
);
