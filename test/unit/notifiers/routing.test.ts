// Routing (§2.15): severity table, provider lookup, secretRef overrides, the global notifier.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanaryAlert } from '../../../src/api/canary.js';
import {
  createGlobalNotifier,
  globalNotifierConfigFromEnv,
  type GlobalNotifierConfig,
} from '../../../src/notifiers/global.js';
import type { AlertSeverity, Notifier } from '../../../src/notifiers/notifier.js';
import { alertReceives, selectNotifiers, withClusterField } from '../../../src/notifiers/routing.js';
import { canary } from '../metrics/fixtures.js';
import { alertProvider, memResolver } from './helpers.js';

const SEVERITIES: AlertSeverity[] = ['info', 'warn', 'error'];

describe('alertReceives (severity table)', () => {
  const table: [CanaryAlert['severity'], AlertSeverity[]][] = [
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['', ['info', 'warn', 'error']], // documented default; Flagger's code matches nothing
    [undefined, ['info', 'warn', 'error']],
  ];
  for (const [configured, receives] of table) {
    it(`an alert with severity ${JSON.stringify(configured)} receives ${receives.join(', ')}`, () => {
      assert.deepEqual(
        SEVERITIES.filter((s) => alertReceives(configured, s)),
        receives,
      );
    });
  }
});

const signal = new AbortController().signal;
const slackSpec = { type: 'slack', channel: 'c', address: 'https://hooks.example/services/x' };

function canaryWithAlerts(alerts: unknown[]) {
  return canary([], { analysis: { interval: '1m', threshold: 5, stepWeight: 10, alerts } });
}

describe('selectNotifiers', () => {
  const alerts = [
    { name: 'all', severity: 'info', providerRef: { name: 'p-info' } },
    { name: 'warnings', severity: 'warn', providerRef: { name: 'p-warn', namespace: 'ops' } },
    { name: 'errors', severity: 'error', providerRef: { name: 'p-error' } },
    { name: 'empty', severity: '', providerRef: { name: 'p-empty' } },
  ];
  const providers = {
    'test/p-info': alertProvider('p-info', 'test', slackSpec),
    'ops/p-warn': alertProvider('p-warn', 'ops', { ...slackSpec, type: 'msteams' }),
    'test/p-error': alertProvider('p-error', 'test', { ...slackSpec, type: 'gchat' }),
    'test/p-empty': alertProvider('p-empty', 'test', { ...slackSpec, type: 'rocket' }),
  };

  for (const [severity, expected] of [
    ['info', ['all', 'empty']],
    ['warn', ['all', 'warnings', 'empty']],
    ['error', ['all', 'warnings', 'errors', 'empty']],
  ] as const) {
    it(`routes a ${severity} alert to ${expected.join(', ')}`, async () => {
      const sel = await selectNotifiers(canaryWithAlerts(alerts), severity, {
        resolver: memResolver(providers),
        signal,
      });
      assert.deepEqual(sel.problems, []);
      assert.deepEqual(
        sel.targets.map((t) => t.label.split(' ')[1]),
        expected,
      );
    });
  }

  it('looks providers up in providerRef.namespace, defaulting to the canary namespace', async () => {
    const resolver = memResolver(providers);
    const sel = await selectNotifiers(canaryWithAlerts(alerts), 'error', { resolver, signal });
    assert.deepEqual(resolver.lookups, [
      'provider test/p-info',
      'provider ops/p-warn',
      'provider test/p-error',
      'provider test/p-empty',
    ]);
    assert.deepEqual(
      sel.targets.map((t) => t.notifier.type),
      ['slack', 'msteams', 'gchat', 'rocket'],
    );
    assert.equal(sel.targets[1]?.label, 'alert warnings (AlertProvider ops/p-warn)');
  });

  it('uses the global notifier only when analysis.alerts is empty, for every severity', async () => {
    const global: Notifier = { type: 'slack', post: () => Promise.resolve() };
    for (const s of SEVERITIES) {
      const sel = await selectNotifiers(canaryWithAlerts([]), s, {
        resolver: memResolver({}),
        global,
        signal,
      });
      assert.deepEqual(sel.targets, [{ notifier: global, label: 'global' }]);
    }
    const sel = await selectNotifiers(canaryWithAlerts(alerts), 'info', {
      resolver: memResolver(providers),
      global,
      signal,
    });
    assert.ok(sel.targets.every((t) => t.notifier !== global));
    const none = await selectNotifiers(canaryWithAlerts([]), 'error', { resolver: memResolver({}), signal });
    assert.deepEqual(none, { targets: [], problems: [] });
  });

  it('reports an unusable provider as a problem for that alert only', async () => {
    const sel = await selectNotifiers(
      canaryWithAlerts([
        { name: 'ok', providerRef: { name: 'p-info' } },
        { name: 'missing', providerRef: { name: 'nope' } },
        { name: 'bad', providerRef: { name: 'bad' } },
      ]),
      'info',
      {
        resolver: memResolver({
          ...providers,
          'test/bad': {
            apiVersion: 'flagger.app/v1beta1',
            kind: 'AlertProvider',
            metadata: { name: 'bad' },
            spec: { type: 'pager', address: 'https://x/TOKEN' },
          },
        }),
        signal,
      },
    );
    assert.deepEqual(
      sel.targets.map((t) => t.label),
      ['alert ok (AlertProvider test/p-info)'],
    );
    assert.deepEqual(sel.problems, [
      { label: 'alert missing', provider: 'unknown', error: 'AlertProvider test/nope not found' },
      { label: 'alert bad', provider: 'unknown', error: 'AlertProvider test/bad is invalid (spec.type)' },
    ]);
    assert.ok(!JSON.stringify(sel.problems).includes('TOKEN'));
  });

  it('surfaces a messageTemplate and accepts a valid proxy; an invalid proxy makes the provider unusable', async () => {
    const sel = await selectNotifiers(canaryWithAlerts([{ name: 'a', providerRef: { name: 'p' } }]), 'info', {
      resolver: memResolver({
        'test/p': alertProvider('p', 'test', {
          ...slackSpec,
          proxy: 'http://proxy:3128',
          messageTemplate: '{{ message }}!',
        }),
      }),
      signal,
    });
    assert.equal(sel.targets[0]?.messageTemplate, '{{ message }}!');
    const bad = await selectNotifiers(canaryWithAlerts([{ name: 'a', providerRef: { name: 'p' } }]), 'info', {
      resolver: memResolver({ 'test/p': alertProvider('p', 'test', { ...slackSpec, proxy: 'ftp://proxy' }) }),
      signal,
    });
    assert.equal(bad.targets.length, 0);
    assert.match(bad.problems[0]?.error ?? '', /invalid \(spec\.proxy\)/);
  });
});

describe('secretRef', () => {
  const withSecret = (type: string) =>
    alertProvider('p', 'test', { type, address: 'https://spec.example/ignored', secretRef: { name: 's' } });
  const c = canaryWithAlerts([{ name: 'a', providerRef: { name: 'p' } }]);

  it('requires the Secret and its address key', async () => {
    const missing = await selectNotifiers(c, 'info', {
      resolver: memResolver({ 'test/p': withSecret('slack') }),
      signal,
    });
    assert.deepEqual(missing.problems, [
      {
        label: 'alert a',
        provider: 'slack',
        error: 'Secret test/s referenced by AlertProvider test/p not found',
      },
    ]);
    const noAddress = await selectNotifiers(c, 'info', {
      resolver: memResolver({ 'test/p': withSecret('slack') }, { 'test/s': { token: 't' } }),
      signal,
    });
    assert.deepEqual(noAddress.problems, [
      { label: 'alert a', provider: 'slack', error: 'Secret test/s has no "address" key' },
    ]);
  });

  it('reads the Secret from the provider namespace', async () => {
    const resolver = memResolver(
      { 'ops/p': alertProvider('p', 'ops', { type: 'slack', secretRef: { name: 's' } }) },
      { 'ops/s': { address: 'https://hooks.example/x' } },
    );
    const sel = await selectNotifiers(
      canaryWithAlerts([{ name: 'a', providerRef: { name: 'p', namespace: 'ops' } }]),
      'info',
      {
        resolver,
        signal,
      },
    );
    assert.equal(sel.targets.length, 1);
    assert.deepEqual(resolver.lookups, ['provider ops/p', 'secret ops/s']);
  });
  // The address/token override is asserted end to end in dispatch.test.ts (the request lands on the Secret's URL).
});

describe('global notifier', () => {
  const post = (type: string) => ({ type });
  it('is Slack from the slack flags, with the default user', () => {
    const g = createGlobalNotifier({ slackUrl: 'https://hooks.example/s', slackChannel: 'general' });
    assert.equal(g.notifier?.type, 'slack');
    assert.equal(g.error, undefined);
  });

  it('is MS Teams when the msteams URL is set, even with Slack configured', () => {
    const g = createGlobalNotifier({
      slackUrl: 'https://hooks.example/s',
      slackChannel: 'general',
      msteamsUrl: 'https://teams.example/w',
    });
    assert.deepEqual(g.notifier && post(g.notifier.type), { type: 'msteams' });
  });

  it('is absent without a URL, and disabled with an error for a bad configuration', () => {
    assert.deepEqual(createGlobalNotifier({}), { notifier: undefined });
    const noChannel = createGlobalNotifier({ slackUrl: 'https://hooks.example/s' });
    assert.equal(noChannel.notifier, undefined);
    assert.equal(noChannel.error, 'slack notifier: empty channel');
    const badUrl = createGlobalNotifier({ msteamsUrl: 'not a url/SECRET' });
    assert.equal(badUrl.notifier, undefined);
    assert.ok(badUrl.error !== undefined && !badUrl.error.includes('SECRET'));
  });

  it('applies the environment overrides (non-empty variables win)', () => {
    const flags: GlobalNotifierConfig = {
      slackUrl: 'https://flag/s',
      slackChannel: 'c',
      slackToken: 'flag-token',
    };
    assert.deepEqual(
      globalNotifierConfigFromEnv(flags, {
        SLACK_URL: 'https://env/s',
        SLACK_TOKEN: '',
        MSTEAMS_URL: 'https://env/t',
      }),
      { slackUrl: 'https://env/s', slackChannel: 'c', slackToken: 'flag-token', msteamsUrl: 'https://env/t' },
    );
  });
});

describe('withClusterField', () => {
  it('adds Cluster first when configured and absent', () => {
    assert.deepEqual(withClusterField([{ name: 'Target', value: 't' }], 'prod'), [
      { name: 'Cluster', value: 'prod' },
      { name: 'Target', value: 't' },
    ]);
    assert.deepEqual(withClusterField([{ name: 'Cluster', value: 'core' }], 'prod'), [
      { name: 'Cluster', value: 'core' },
    ]);
    assert.deepEqual(withClusterField([], undefined), []);
    assert.deepEqual(withClusterField([], ''), []);
  });
});
