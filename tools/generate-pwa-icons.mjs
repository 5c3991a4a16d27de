#!/usr/bin/env node
// Renders the PWA icons (public/icons/*.png) from the app's SVG mark with the
// local Chromium: no downloads, and the PNGs always match favicon.svg.
//
//   node tools/generate-pwa-icons.mjs
//
// "any" icons keep the rounded tile; the maskable icon is full-bleed with the
// mark inside the central 80% safe zone, so launchers can crop it to any shape.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'public', 'icons');
mkdirSync(out, { recursive: true });

const BACKGROUND = '#1f2a44';
const MARK = `<path d="M18 16h28l-6 30a8 8 0 0 1-8 6h0a8 8 0 0 1-8-6z" fill="none" stroke="#f5a524" stroke-width="5" stroke-linejoin="round"/><circle cx="32" cy="38" r="5" fill="#f5a524"/>`;

const anySvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${BACKGROUND}"/>${MARK}</svg>`;
// Safe zone: a circle of radius 40% of the size; scale the 64-unit mark to 70% and centre it.
const maskableSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${BACKGROUND}"/><g transform="translate(9.6 9.6) scale(0.7)">${MARK}</g></svg>`;

const icons = [
  { file: 'icon-192.png', size: 192, svg: anySvg },
  { file: 'icon-512.png', size: 512, svg: anySvg },
  { file: 'icon-maskable-512.png', size: 512, svg: maskableSvg },
  { file: 'apple-touch-icon-180.png', size: 180, svg: maskableSvg },
];

const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'crucible-icons-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  for (const icon of icons) {
    await page.setViewportSize({ width: icon.size, height: icon.size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${icon.svg.replace('<svg ', `<svg width="${icon.size}" height="${icon.size}" `)}</body></html>`,
    );
    await page.screenshot({
      path: path.join(out, icon.file),
      omitBackground: true,
      clip: { x: 0, y: 0, width: icon.size, height: icon.size },
    });
    console.log(`wrote public/icons/${icon.file}`);
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
