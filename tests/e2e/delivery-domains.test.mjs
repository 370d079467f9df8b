// `--delivery-domains`: the reference backend refuses to e-mail a password
// outside the organisation's domains, and the dialog shows why at the
// recipients field; nothing is reset until the address is corrected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, openDialogFor, readResultPassword, useBackendAndBrowser } from './harness.mjs';

const env = useBackendAndBrowser({ extraArgs: ['--delivery-domains', 'contoso.com,fabrikam.com'] });

test('an address outside the delivery domains is refused at its field; nothing is reset until it is corrected', async () => {
  const { page, context } = await openPage(env.browser, env.backend.url + '/');
  const widget = await openDialogFor(page, 'u-1043');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByRole('button', { name: 'Next' }).click();
  const field = widget.getByLabel('Email the new password to');
  // A subdomain is another domain.
  await field.fill('adele@contoso.com, it@mail.contoso.com');
  await widget.getByRole('button', { name: 'Reset password' }).click();
  await page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await field.elementHandle());
  const why = '"it@mail.contoso.com" is not in a domain passwords may be sent to (contoso.com, fabrikam.com).';
  // At the field: the message the field is described by.
  const describedBy = await field.getAttribute('aria-describedby');
  assert.ok(describedBy, 'the field names its error');
  const atField = await field.evaluate((el) => el.getAttribute('aria-describedby').split(' ')
    .map((id) => el.getRootNode().getElementById(id)?.textContent ?? '').join(' '));
  assert.ok(atField.includes(why), atField);
  await widget.getByRole('alert').getByText('Nothing was reset.').waitFor();
  assert.equal((await env.backend.resetsOf('u-1043')).count, 0);

  await field.fill('adele@contoso.com, it@Fabrikam.com');
  await widget.getByRole('button', { name: 'Reset password' }).click();
  const password = await readResultPassword(widget);
  assert.equal((await env.backend.resetsOf('u-1043')).count, 1);
  assert.equal((await env.backend.signIn('u-1043', password)).status, 200);
  const outbox = await env.backend.asAdmin('GET', '/api/outbox');
  assert.deepEqual(outbox.json[0].to, ['adele@contoso.com', 'it@Fabrikam.com']);
  await context.close();
});
