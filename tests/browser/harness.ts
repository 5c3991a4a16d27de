import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../screenshots');

export function baseUrl(): string {
  return inject('baseUrl');
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Opens another tab in the same profile (same IndexedDB). */
  newPage(): Promise<Page>;
  /**
   * The Content-Security-Policy violations reported so far in any page, cleared by this call. A test that provokes
   * violations on purpose takes them; any left when the session closes fail the test (normal use must cause none).
   */
  takeCspViolations(): string[];
  close(): Promise<void>;
}

/** Prefix of the console line each page writes for a securitypolicyviolation event (see the init script). */
const CSP_MARK = '[csp-violation]';

/** A fresh Chromium profile per session, so every test starts with an empty IndexedDB. */
export async function openBrowser(
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'crucible-browser-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1440, height: 900 },
  });
  // Headless Chromium has a save picker (File System Access) it cannot show: exports take the download path, which tests
  // catch as a download event. A test of the picker path puts its own stand-in in place after the page loads.
  await context.addInitScript(() => {
    (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = undefined;
  });
  // Every securitypolicyviolation in a page is written to its console, where the session collects it.
  await context.addInitScript((mark) => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.warn(
        `${mark} ${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile || '?'}:${event.lineNumber}`,
      );
    });
  }, CSP_MARK);
  const errors: string[] = [];
  let violations: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.text().startsWith(CSP_MARK)) violations.push(message.text().slice(CSP_MARK.length + 1));
    });
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    newPage: () => context.newPage(),
    takeCspViolations() {
      const taken = violations;
      violations = [];
      return taken;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      if (errors.length) throw new Error(`Uncaught errors in the page:\n${errors.join('\n')}`);
      if (violations.length) throw new Error(`Content-Security-Policy violations in the page:\n${violations.join('\n')}`);
    },
  };
}

/** At phone width the workspace shows one pane at a time: picks it in the Chat/Spec/Runs/Results switcher. */
export async function showPhonePane(page: Page, pane: 'Chat' | 'Spec' | 'Runs' | 'Results'): Promise<void> {
  await page.locator('.narrow-switcher').getByRole('tab', { name: pane, exact: true }).click();
}

/**
 * Saves a PNG to look at. On CI's loaded 2-core machine headless Chromium has once left a capture unanswered for 30 s
 * while the page sat idle (its tasks took 0.2 s of 5 s when probed at that step), so a capture that times out is asked
 * for once more after the next frame; a page that is really stuck fails the second time too.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  try {
    await page.screenshot({ path: file, timeout: 20_000 });
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'TimeoutError') throw error;
    console.warn(`screenshot ${name}: no capture within 20 s; asking once more`);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    await page.screenshot({ path: file, timeout: 40_000 });
  }
  return file;
}

/** Creates a project through the UI and waits for its workspace. */
export async function createProjectViaUi(page: Page, title: string, description = ''): Promise<{ projectId: string; chatId: string }> {
  await page.goto(baseUrl() + '/');
  await page.getByLabel('Title').first().fill(title);
  if (description) await page.getByLabel('Description').first().fill(description);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.waitForURL(/\/project\/[^/]+\/chat\/[^/?]+/);
  const match = /\/project\/([^/]+)\/chat\/([^/?]+)/.exec(page.url())!;
  return { projectId: decodeURIComponent(match[1]!), chatId: decodeURIComponent(match[2]!) };
}

/** Types into the chat composer and sends with Enter. */
export async function sendChatMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await page.getByRole('log', { name: 'Messages' }).getByText(text.split('\n')[0]!, { exact: false }).first().waitFor();
}

/**
 * Words in the run tables (history, compare) that break across lines or values cut off by their cell: on a phone these
 * tables reflow as cards precisely so that numbers and names stay whole. A word is split at spaces and after hyphens,
 * where a browser may rightly break it; anything else on two lines is a word wrapped letter by letter. A table that needs
 * a sideways scroll counts too.
 */
export async function brokenTableWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const table of document.querySelectorAll('table.card-table')) {
      if (!(table instanceof HTMLElement) || table.offsetParent === null) continue;
      const box = table.parentElement;
      if (box && box.scrollWidth > box.clientWidth + 1) broken.push(`scrolls sideways: ${table.getAttribute('aria-label') ?? ''}`);
      for (const cell of table.querySelectorAll('tbody th, tbody td')) {
        if (!(cell instanceof HTMLElement)) continue;
        if (cell.scrollWidth > cell.clientWidth + 1) broken.push(`cut off: ${cell.textContent?.trim() ?? ''}`);
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (node.parentElement?.closest('.visually-hidden')) continue;
          const text = node.textContent ?? '';
          for (const match of text.matchAll(/[^\s-]+-?/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
            if (lines.size > 1) broken.push(match[0]);
          }
        }
      }
    }
    return broken;
  });
}
