import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, test } from 'vitest';
import { db } from '../../src/db';
import { THEME_STORAGE_KEY } from '../../src/shared/theme';
import { renderApp } from './render';

beforeEach(async () => {
  await db.delete();
  await db.open();
  localStorage.clear();
  delete document.documentElement.dataset.theme;
});

describe('Settings → Appearance', () => {
  test('the theme follows the system until picked; a pick applies at once and persists for the first paint', async () => {
    const user = userEvent.setup();
    renderApp('/settings');
    const system = await screen.findByRole('radio', { name: 'Follow the system' });
    expect(system).toBeChecked();
    expect(document.documentElement.dataset.theme).toBeUndefined();

    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
    expect(screen.getByRole('radio', { name: 'Dark' })).toBeChecked();

    await user.click(screen.getByRole('radio', { name: 'Light' }));
    expect(document.documentElement.dataset.theme).toBe('light');

    await user.click(screen.getByRole('radio', { name: 'Follow the system' }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
  });
});
