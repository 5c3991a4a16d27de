import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { FakeOpenAI } from '../support/fakeOpenAIServer';
import { baseUrl } from './harness';

/** Settings → Models: the fake server as a provider (with a key, if given); Test connection passes; saved, it is the active one. */
export async function configureFakeProvider(page: Page, fake: FakeOpenAI, apiKey: string | null): Promise<void> {
  await page.goto(baseUrl() + '/settings');
  await page.getByRole('button', { name: 'Add a provider' }).click();
  const form = page.getByRole('form', { name: 'Add a model provider' });
  await form.getByLabel('Server').selectOption('custom');
  await form.getByLabel('Name').fill('Fake server');
  await form.getByLabel('Base URL').fill(fake.url);
  if (apiKey) await form.getByLabel(/API key/).fill(apiKey);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect
    .poll(() => form.getByTestId('connection-status').textContent(), { timeout: 15_000 })
    .toMatch(/Connected: the server lists 2 models\./);
  await form.getByRole('button', { name: 'fake-small' }).click();
  await expect.poll(() => form.getByLabel('Default model').inputValue()).toBe('fake-small');
  await form.getByRole('button', { name: 'Save provider' }).click();
  await expect.poll(() => page.getByTestId('provider-row').textContent()).toMatch(/Fake server.*Active.*fake-small/);
}
