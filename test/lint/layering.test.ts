import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layering rules of npm run lint', () => {
  it('reject electron in a service', async () => {
    expect(await layeringErrors('electron/services/serial/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
      expect.stringMatching(/never import electron/),
    ]);
  });

  it('reject Node built-ins in the renderer and in shared/', async () => {
    for (const file of ['renderer/src/app/x.ts', 'shared/logs/x.ts']) {
      const errors = await layeringErrors(file, "import { readFileSync } from 'node:fs';\nimport path from 'path';\nexport const a = [readFileSync, path];\n");
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatch(/No Node built-ins/);
    }
  });

  it('reject a renderer import that bypasses the contract', async () => {
    expect(await layeringErrors('renderer/src/app/x.ts', "import { createBackend } from '../../../electron/backend/backend.js';\nexport const a = createBackend;\n")).toEqual([
      expect.stringMatching(/only through the contract/),
    ]);
  });

  it('allow electron in the main process and the contract everywhere', async () => {
    expect(await layeringErrors('electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await layeringErrors('renderer/src/app/x.ts', "import { contract } from '../../../shared/contract/index.js';\nexport const a = contract;\n")).toEqual([]);
  });
});
