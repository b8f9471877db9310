/** Transpiles the TypeScript a child process needs into plain ESM in a temp dir (Node 20 cannot run .ts itself). */
import ts from 'typescript';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** Transpiles every non-test .ts file under the given repo-relative folders (plus single files) into `outDir`. */
export async function transpileForChild(outDir: string, paths: string[]): Promise<void> {
  for (const p of paths) {
    const abs = join(repo, p);
    const files = p.endsWith('.ts') ? [abs] : (await readdir(abs)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(abs, f));
    for (const file of files) {
      const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      const out = join(outDir, relative(repo, file)).replace(/\.ts$/, '.js');
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, outputText);
    }
  }
  await writeFile(join(outDir, 'package.json'), '{"type":"module"}');
}
