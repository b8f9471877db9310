import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextCatalog, defaultKubeconfigFiles, kubeConfigFor } from './contexts.js';

const kubeconfig = (contexts: { name: string; namespace?: string }[], current: string) =>
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: plant',
    '  cluster: {server: "https://10.0.0.1:6443"}',
    'users:',
    '- name: tech',
    '  user: {token: abc}',
    'contexts:',
    ...contexts.map((c) => `- name: ${c.name}\n  context: {cluster: plant, user: tech${c.namespace ? `, namespace: ${c.namespace}` : ''}}`),
    `current-context: ${current}`,
    '',
  ].join('\n');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-contexts-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('defaultKubeconfigFiles', () => {
  it("reads $KUBECONFIG's list like kubectl, else ~/.kube/config when it exists", async () => {
    expect(defaultKubeconfigFiles({ KUBECONFIG: ['/a/one', '', '~/two', '/a/one'].join(delimiter) }, '/home/tech')).toEqual(['/a/one', '/home/tech/two']);
    expect(defaultKubeconfigFiles({}, dir)).toEqual([]);
    await mkdir(join(dir, '.kube'));
    await writeFile(join(dir, '.kube', 'config'), kubeconfig([{ name: 'a' }], 'a'));
    expect(defaultKubeconfigFiles({}, dir)).toEqual([join(dir, '.kube', 'config')]);
  });
});

describe('ContextCatalog', () => {
  it("lists the user's contexts and added files; the first file's current-context is the one current", async () => {
    const user = join(dir, 'user.yaml');
    const added = join(dir, 'added.yaml');
    await writeFile(user, kubeconfig([{ name: 'plant-3', namespace: 'iot-edge' }, { name: 'plant-4' }], 'plant-4'));
    await writeFile(added, kubeconfig([{ name: 'lab' }], 'lab'));
    const catalog = new ContextCatalog(join(dir, 'data'), () => [user]);
    expect((await catalog.addFile(added)).map((c) => c.contextId)).toEqual([`kubeconfig:${added}:lab`]);
    const list = await catalog.list();
    expect(list.map((c) => [c.name, c.current, c.namespace])).toEqual([
      ['plant-3', false, 'iot-edge'],
      ['plant-4', true, undefined],
      ['lab', false, undefined],
    ]);
    expect(list[0]).toMatchObject({ cluster: 'plant', user: 'tech', server: 'https://10.0.0.1:6443', source: 'kubeconfig', file: user });
    expect(kubeConfigFor(user, 'plant-3').getCurrentContext()).toBe('plant-3');
  });

  it('hides a removed context of a file it does not own, forgets an added file once all its contexts are gone, and shows them again when re-added', async () => {
    const file = join(dir, 'two.yaml');
    await writeFile(file, kubeconfig([{ name: 'a' }, { name: 'b' }], 'a'));
    const catalog = new ContextCatalog(join(dir, 'data'), () => []);
    await catalog.addFile(file);
    await catalog.remove(`kubeconfig:${file}:a`);
    expect((await catalog.list()).map((c) => c.name)).toEqual(['b']);
    await catalog.remove(`kubeconfig:${file}:b`);
    expect(await catalog.list()).toEqual([]);
    await catalog.addFile(file);
    expect((await catalog.list()).map((c) => c.name)).toEqual(['a', 'b']);
    await expect(catalog.remove('kubeconfig:/nope:x')).rejects.toMatchObject({ code: 'not_found' });
  });

  it("keeps an SSH server's kubeconfig as a private copy and deletes it when removed", async () => {
    const catalog = new ContextCatalog(join(dir, 'data'), () => []);
    const [record] = await catalog.addSsh('edge srv/1', kubeconfig([{ name: 'default' }], 'default'));
    expect(record).toMatchObject({ contextId: 'ssh:edge srv/1:default', name: 'edge srv/1', source: 'ssh', file: join(dir, 'data', 'cluster', 'ssh', 'edge_srv_1.yaml') });
    expect((await stat(record.file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'data', 'cluster', 'ssh'))).mode & 0o777).toBe(0o700);
    await catalog.remove(record.contextId);
    await expect(stat(record.file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await catalog.list()).toEqual([]);
  });

  it('skips a listed file that broke since, and says so when it is added', async () => {
    const file = join(dir, 'gone.yaml');
    await writeFile(file, kubeconfig([{ name: 'a' }], 'a'));
    const catalog = new ContextCatalog(join(dir, 'data'), () => []);
    await catalog.addFile(file);
    await writeFile(file, 'clusters: [unclosed');
    expect(await catalog.list()).toEqual([]);
    await expect(catalog.addFile(file)).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('is not a kubeconfig FieldKit can read') });
  });
});
