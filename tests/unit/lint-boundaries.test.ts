import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
// The files linted here do not exist, so there is no type information for them: the boundary rule needs none.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { ...tseslint.configs.disableTypeChecked, languageOptions: { parserOptions: { projectService: false } } },
});

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'crucible/layer-boundaries').map((m) => m.message);
}

describe('layer boundaries', () => {
  test.each([
    ['src/domain/x.ts', "import { db } from '../db';", /'domain' may not import from 'db'/],
    ['src/engine/x.ts', "import { db } from '../db/database';", /'engine' may not import from 'db'/],
    ['src/engine/x.ts', "import { useState } from 'react';", /'engine' must stay free of 'react'/],
    ['src/db/x.ts', "import { ChatView } from '../features/chats/ChatView';", /'db' may not import from 'features'/],
    [
      'src/features/projects/x.ts',
      "import { ChatSwitcher } from '../chats/ChatSwitcher';",
      /Feature 'projects' may not import feature 'chats'/,
    ],
    ['src/features/chats/x.ts', "import { ROUTES } from '../../app/routes';", /'features' may not import from 'app'/],
    ['src/shared/x.ts', "import { db } from '../db';", /'shared' may not import from 'db'/],
    // domain and db are reached through their index only.
    ['src/engine/x.ts', "import { newId } from '../domain/ids';", /'engine' must import 'domain' through its entry point/],
    ['src/features/chats/x.ts', "import { listChats } from '../../db/chats';", /'features' must import 'db' through its entry point/],
    ['src/app/x.ts', "const m = import('../db/modelReplies');", /'app' must import 'db' through its entry point/],
    ['src/db/x.ts', "import { newId } from '../domain/ids';", /'db' must import 'domain' through its entry point/],
    [
      'src/features/spec/x.ts',
      "export { diffSpecs } from '../../domain/specDiff';",
      /'features' must import 'domain' through its entry point/,
    ],
  ])('%s: %s is an error', async (file, code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  test.each([
    ['src/features/chats/x.ts', "import { listChats } from '../../db';"],
    ['src/features/chats/x.ts', "import { useChats } from './hooks';"],
    ['src/engine/x.ts', "import { newId } from '../domain';"],
    ['src/engine/x.ts', "import { newId } from '../domain/index';"],
    ['src/db/x.ts', "import { openDatabase } from './database';"],
    ['src/domain/x.ts', "import { newId } from './ids';"],
    ['src/app/x.ts', "import { ChatView } from '../features/chats/ChatView';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
