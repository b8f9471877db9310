import { describe, expect, it } from 'vitest';
import { fieldSelector, labelSelector } from './selectors.js';
import type { KubeObject } from './types.js';

const pod = (labels: Record<string, string>, nodeName = 'n1'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', labels }, spec: { nodeName } });

describe('label selectors', () => {
  it('match equality, inequality, existence and set terms', () => {
    const o = pod({ app: 'web', tier: 'front' });
    const cases: [string, boolean][] = [
      ['app=web', true],
      ['app==web', true],
      ['app!=web', false],
      ['app=web,tier=back', false],
      ['tier', true],
      ['!tier', false],
      ['!missing', true],
      ['tier in (front, back)', true],
      ['tier notin (front)', false],
      ['missing notin (x)', true],
      ['app=web,tier in (front,back),!missing', true],
      ['', true],
    ];
    for (const [selector, expected] of cases) expect([selector, labelSelector(selector)(o)]).toEqual([selector, expected]);
  });

  it('refuse malformed selectors with a BadRequest', () => {
    for (const bad of ['a===b', 'a=b c', 'in (x)', '-a=b', `a=${'x'.repeat(64)}`]) expect(() => labelSelector(bad), bad).toThrow(/unable to parse requirement/);
  });
});

describe('field selectors', () => {
  it('match dotted paths with = and !=', () => {
    expect(fieldSelector('spec.nodeName=n1,metadata.namespace=ns')(pod({}))).toBe(true);
    expect(fieldSelector('spec.nodeName!=n1')(pod({}))).toBe(false);
    expect(fieldSelector('metadata.name=q')(pod({}))).toBe(false);
    expect(() => fieldSelector('spec.nodeName')).toThrow(/invalid field selector/);
  });
});
