import { describe, expect, it } from 'vitest';
import { logFixture as fixture } from '../../../test/fixtures/logs/read-fixture.js';
import { parseBytes } from './parse-bytes.js';
import { nsToIso } from './timestamps.js';

const POD_LOG = 'bundle/var/log/pods/kube-system_coredns-ccb96694c-7xk2p_1f0e2b7c-5d4a-4c1e-9a8e-3b2f1c0d9e8f/coredns/0.log';
const DOCKER_ID = '4f1c2a3b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';
const DOCKER_LOG = `bundle/var/lib/docker/containers/${DOCKER_ID}/${DOCKER_ID}-json.log`;

describe('CRI container logs', () => {
  it('joins P lines until F, labels pod and container from the path', () => {
    const { records, stats } = parseBytes(`/var/log/pods/${POD_LOG.split('/pods/')[1]}`, fixture(POD_LOG));
    expect(stats).toMatchObject({ format: 'cri', lines: 7, records: 5 });
    expect(records[3]).toMatchObject({
      labels: { source: 'pod', pod: 'coredns-ccb96694c-7xk2p', container: 'coredns' },
      level: 'warn',
      message: '[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API, this line was split by the runtime into three CRI records',
      fields: { stream: 'stderr', namespace: 'kube-system' },
    });
    expect(nsToIso(records[3]!.tsNs)).toBe('2026-11-28T10:00:01.000000000Z');
    expect(records.map((record) => record.level)).toEqual(['info', 'info', 'info', 'warn', 'error']);
  });

  it('labels /var/log/containers links too', () => {
    const { records } = parseBytes(`/var/log/containers/traefik-5d8f_kube-system_traefik-${DOCKER_ID}.log`, '2026-11-28T10:00:00Z stdout F up\n');
    expect(records[0]!.labels).toMatchObject({ pod: 'traefik-5d8f', container: 'traefik' });
  });
});

describe('Docker json-file logs', () => {
  it('reads log, stream and time; joins chunks without newline', () => {
    const { records, stats } = parseBytes(DOCKER_LOG, fixture(DOCKER_LOG));
    expect(stats).toMatchObject({ format: 'docker-json', lines: 5, records: 4 });
    expect(records[0]).toMatchObject({ labels: { source: 'pod', container: DOCKER_ID.slice(0, 12) }, message: 'mosquitto version 2.0.18 starting', fields: { stream: 'stderr' } });
    expect(records[2]!.message).toBe('a 16 KiB chunk without newline, then the rest of it');
    expect(records[3]).toMatchObject({ level: 'error', message: 'Error: Address in use' });
    expect(nsToIso(records[0]!.tsNs)).toBe('2026-11-28T09:59:58.000000001Z');
  });
});

describe('docker compose output (lnav samples)', () => {
  it('reads service, RFC 3339 time and message behind the ANSI erase-line', () => {
    const { records, stats } = parseBytes('c', fixture('logfile_docker_compose_with_ts.0'));
    expect(stats).toMatchObject({ format: 'compose', records: 22, missingTs: 0, outOfOrder: 0 });
    expect(records[2]).toMatchObject({ labels: { container: 'web-1' }, level: 'warn', message: 'WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.' });
    expect(nsToIso(records[10]!.tsNs)).toBe('2024-04-25T05:32:35.019558005Z');
    expect(records[10]!.labels.container).toBe('redis-1');
  });

  it('flags lines without time: the ingest time, then the previous time of the same container', () => {
    const { records, stats } = parseBytes('c', fixture('logfile_docker_compose.0'), { ingestTimeNs: 5n });
    expect(stats).toMatchObject({ format: 'compose', records: 22, missingTs: 22 });
    expect(records.every((record) => record.tsNs === 5n && record.fields!.ts_flag === 'missing')).toBe(true);
  });
});
