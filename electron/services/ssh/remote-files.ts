import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';
import type { RemoteEntry } from '../../../shared/ssh/types.js';

/** Promisifies one ssh2 SFTP call. */
export function sftpCall<T>(call: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => call((err, value) => (err ? reject(err) : resolve(value))));
}

function kindOf(attrs: Stats): RemoteEntry['kind'] {
  if (attrs.isDirectory()) return 'directory';
  if (attrs.isFile()) return 'file';
  if (attrs.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** The SFTP browser's operations. Errors keep ssh2's message and name the path. */
export class RemoteFiles {
  constructor(private readonly sftp: SFTPWrapper) {}

  async list(path: string): Promise<RemoteEntry[]> {
    const items = await this.wrap<FileEntryWithStats[]>(path, (cb) => this.sftp.readdir(path, cb));
    return items
      .map((i) => ({
        name: i.filename,
        kind: kindOf(i.attrs),
        size: i.attrs.size,
        mtimeMs: i.attrs.mtime * 1000,
        mode: i.attrs.mode,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async stat(path: string): Promise<RemoteEntry> {
    const attrs = await this.wrap<Stats>(path, (cb) => this.sftp.stat(path, cb));
    const name = path.split('/').filter(Boolean).pop() ?? '/';
    return { name, kind: kindOf(attrs), size: attrs.size, mtimeMs: attrs.mtime * 1000, mode: attrs.mode };
  }

  realpath(path: string): Promise<string> {
    return this.wrap(path, (cb) => this.sftp.realpath(path, cb));
  }

  rename(from: string, to: string): Promise<void> {
    return this.wrap(from, (cb) => this.sftp.rename(from, to, cb));
  }

  mkdir(path: string): Promise<void> {
    return this.wrap(path, (cb) => this.sftp.mkdir(path, cb));
  }

  /** Files and empty directories; a non-empty directory fails with the server's message. */
  async remove(path: string): Promise<void> {
    const attrs = await this.wrap<Stats>(path, (cb) => this.sftp.lstat(path, cb));
    if (attrs.isDirectory()) await this.wrap<void>(path, (cb) => this.sftp.rmdir(path, cb));
    else await this.wrap<void>(path, (cb) => this.sftp.unlink(path, cb));
  }

  private async wrap<T>(path: string, call: (cb: (err: Error | null | undefined, value: T) => void) => void) {
    try {
      return await sftpCall(call);
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message}`, { cause: e });
    }
  }
}
