// Which namespaces a user's canary list covers: decided by the API server's answer to
// list calls made with the user's credentials (stubbed here with 403s), never guessed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeApiError } from '../../../src/kube/errors.js';
import type { KubeObject } from '../../../src/kube/types.js';
import type { Session } from '../../../src/dashboard/sessions.js';
import { visibleScopes } from '../../../src/dashboard/streams/list-stream.js';

interface Rules {
  readonly clusterWide: boolean;
  readonly listNamespaces: boolean;
  readonly canaryNamespaces: readonly string[];
}

function sessionFor(rules: Rules, calls: string[]): Session {
  const forbidden = (what: string): KubeApiError =>
    new KubeApiError('list', undefined, { code: 403, reason: 'Forbidden', message: `${what} is forbidden` });
  const client = {
    list: (_apiVersion: string, kind: string, namespace: string | undefined): Promise<KubeObject[]> => {
      calls.push(`${kind}/${namespace ?? '*'}`);
      if (kind === 'Namespace') {
        if (!rules.listNamespaces) return Promise.reject(forbidden('namespaces'));
        return Promise.resolve(
          ['a', 'b', 'c'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
        );
      }
      const ok = namespace === undefined ? rules.clusterWide : rules.canaryNamespaces.includes(namespace);
      return ok ? Promise.resolve([]) : Promise.reject(forbidden('canaries'));
    },
  };
  return { client } as unknown as Session;
}

const source = (configured: string[], fallback: string[] = ['a', 'b', 'c']) => ({
  configured,
  fallback: () => Promise.resolve(fallback),
});

test('a user who may list canaries everywhere gets one cluster-wide scope', async () => {
  const calls: string[] = [];
  const s = sessionFor({ clusterWide: true, listNamespaces: true, canaryNamespaces: [] }, calls);
  assert.deepEqual(await visibleScopes(s, source([])), ['']);
  assert.deepEqual(calls, ['Canary/*']);
});

test('otherwise each candidate namespace is asked; refused ones are hidden', async () => {
  const calls: string[] = [];
  const s = sessionFor({ clusterWide: false, listNamespaces: true, canaryNamespaces: ['b'] }, calls);
  assert.deepEqual(await visibleScopes(s, source([])), ['b']);
  assert.ok(calls.includes('Namespace/*'));
});

test('a user who may not list namespaces: candidates come from the dashboard, answers still from the user', async () => {
  const calls: string[] = [];
  const s = sessionFor({ clusterWide: false, listNamespaces: false, canaryNamespaces: ['a', 'c'] }, calls);
  assert.deepEqual(await visibleScopes(s, source([])), ['a', 'c']);
});

test('configured namespaces limit the view even for a cluster-wide reader', async () => {
  const calls: string[] = [];
  const s = sessionFor({ clusterWide: true, listNamespaces: true, canaryNamespaces: ['x'] }, calls);
  assert.deepEqual(await visibleScopes(s, source(['x', 'y'])), ['x']);
  assert.ok(!calls.includes('Canary/*'));
});
