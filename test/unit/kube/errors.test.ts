import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import {
  KIND_NOT_SERVED,
  KubeApiError,
  isAlreadyExists,
  isConflict,
  isKindNotServed,
  isNotFound,
  isTransient,
  statusCode,
  statusDetails,
} from '../../../src/kube/errors.js';

const ref = { apiVersion: 'v1', kind: 'Service', namespace: 'test', name: 'podinfo' };

test('KubeApiError names verb, kind, namespace/name, code and reason', () => {
  const err = new KubeApiError('replace', ref, { code: 409, reason: 'Conflict', message: '' });
  assert.equal(err.message, 'replace Service test/podinfo: 409 Conflict');
  assert.equal(err.code, 409);
  assert.equal(isConflict(err), true);
  assert.equal(isAlreadyExists(err), false);
});

test('KubeApiError appends the server message when there is one', () => {
  const err = new KubeApiError('get', ref, { code: 403, reason: 'Forbidden', message: 'denied' });
  assert.equal(err.message, 'get Service test/podinfo: 403 Forbidden: denied');
});

test('AlreadyExists is a 409 but not a conflict', () => {
  const err = new KubeApiError('create', ref, { code: 409, reason: 'AlreadyExists', message: '' });
  assert.equal(isAlreadyExists(err), true);
  assert.equal(isConflict(err), false);
});

test('client-node ApiException is mapped through its code and Status body', () => {
  const body = JSON.stringify({ kind: 'Status', reason: 'AlreadyExists', code: 409, message: 'exists' });
  const exists = new ApiException(409, 'Unsuccessful HTTP Request', body, {});
  assert.equal(statusCode(exists), 409);
  assert.equal(isAlreadyExists(exists), true);
  const missing = new ApiException(404, 'Unsuccessful HTTP Request', '', {});
  assert.equal(isNotFound(missing), true);
});

test('statusDetails falls back to a reason derived from the code', () => {
  assert.deepEqual(statusDetails(404, 'not json'), { code: 404, reason: 'NotFound', message: 'not json' });
  assert.deepEqual(statusDetails(418, undefined), { code: 418, reason: 'Unknown', message: '' });
});

test('other errors have no status code; 5xx/429/409 are transient, 4xx are not', () => {
  assert.equal(statusCode(new Error('boom')), undefined);
  assert.equal(isNotFound(new Error('boom')), false);
  const make = (code: number): KubeApiError => new KubeApiError('get', ref, statusDetails(code, ''));
  assert.equal(isTransient(make(503)), true);
  assert.equal(isTransient(make(429)), true);
  assert.equal(isTransient(make(422)), false);
  assert.equal(isTransient(new TypeError('bad shape')), false);
});

test('a kind the server does not serve is not mistaken for a missing object', () => {
  const err = new KubeApiError('get', ref, { code: 404, reason: KIND_NOT_SERVED, message: 'no CRD' });
  assert.equal(isNotFound(err), false);
  assert.equal(isKindNotServed(err), true);
  assert.equal(isKindNotServed(new KubeApiError('get', ref, statusDetails(404, ''))), false);
});
