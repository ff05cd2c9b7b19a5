// messageTemplate (flagger-ts extension): rendering and errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkMessageTemplate, renderMessageTemplate } from '../../../src/notifiers/template.js';
import { message } from './helpers.js';

describe('renderMessageTemplate', () => {
  it('substitutes the variables and fields, with or without spaces', () => {
    const r = renderMessageTemplate(
      '[{{severity}}] {{ name }}.{{ namespace }} ({{ phase }}): {{ message }} target={{ fields.Target }} threshold={{fields.Failed checks threshold}}',
      message(),
    );
    assert.deepEqual(r, {
      ok: true,
      text: '[info] podinfo.test (Progressing): New revision detected, progressing canary analysis. target=Deployment/podinfo.test threshold=5',
    });
  });

  it('renders a field the alert does not carry, and an unknown phase, as empty', () => {
    assert.deepEqual(
      renderMessageTemplate('{{ fields.Cluster }}|{{ phase }}|', message({ phase: undefined })),
      {
        ok: true,
        text: '||',
      },
    );
  });

  it('keeps text without placeholders, and single braces, literally', () => {
    assert.deepEqual(renderMessageTemplate('a {b} c', message()), { ok: true, text: 'a {b} c' });
    assert.deepEqual(renderMessageTemplate('', message()), { ok: true, text: '' });
  });

  it('reports unknown variables, unclosed and empty placeholders', () => {
    assert.deepEqual(renderMessageTemplate('{{ nmae }}', message()), {
      ok: false,
      error: 'unknown variable "nmae" (known: name, namespace, phase, severity, message, fields.<Name>)',
    });
    assert.equal(checkMessageTemplate('hi {{ name '), 'unclosed "{{" at offset 3');
    assert.equal(checkMessageTemplate('{{ }}'), 'empty "{{ }}" at offset 0');
    assert.match(checkMessageTemplate('{{ fields. }}') ?? '', /unknown variable "fields."/);
    assert.equal(checkMessageTemplate('{{ message }} {{ fields.Any Name }}'), undefined);
  });
});
