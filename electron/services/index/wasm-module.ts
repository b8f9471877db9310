/**
 * The WebAssembly modules built from assembly/ by `npm run build:wasm`: each compiled once per thread, instantiated
 * once per user, so that each has its own memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The part of the WebAssembly API used here (TypeScript declares it only with the DOM's lib). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

const compiled = new Map<string, object>();

/** The compiled module next to this file; from TypeScript sources (tests, dev), the one `npm run build` wrote. */
function wasmPath(name: string): string {
  for (const candidate of [`./${name}.wasm`, `../../../dist/electron/services/index/${name}.wasm`]) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`${name}.wasm is missing: run \`npm run build:wasm\``);
}

/** A new instance of module `name` (assembly/`name`.ts); its exports. */
export function instantiateWasm<Exports>(name: string): Exports & { memory: { buffer: ArrayBuffer } } {
  let module = compiled.get(name);
  if (!module) compiled.set(name, (module = new WebAssembly.Module(readFileSync(wasmPath(name)))));
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort: (_message: number, _file: number, line: number, column: number) => {
        throw new Error(`${name}: WebAssembly aborted at ${line}:${column}`);
      },
    },
  });
  return instance.exports as Exports & { memory: { buffer: ArrayBuffer } };
}
