import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ROUTE_PRELOAD_FILE, routePreload, routePreloadScript } from '../../tools/routePreload';

type Hook = (this: unknown, options: unknown, bundle: Record<string, unknown>) => void;

const chunk = (fileName: string, facadeModuleId: string | null, imports: string[], css: string[] = [], isEntry = false) => ({
  type: 'chunk',
  fileName,
  isEntry,
  facadeModuleId,
  imports,
  viteMetadata: { importedCss: new Set(css) },
});

/** Runs the plugin's generateBundle over a fake bundle and returns the script it emits. */
function emitted(bundle: Record<string, unknown>): string {
  const plugin = routePreload({ module: '/src/app/WorkspaceRoute.tsx', prefix: '/project/' });
  (plugin.configResolved as (config: { base: string }) => void)({ base: '/' });
  const files: { fileName: string; source: string }[] = [];
  const context = {
    emitFile: (file: { fileName: string; source: string }) => files.push(file),
    error: (message: string) => {
      throw new Error(message);
    },
  };
  (plugin.generateBundle as Hook).call(context, {}, bundle);
  expect(files.map((file) => file.fileName)).toEqual([ROUTE_PRELOAD_FILE]);
  return files[0]!.source;
}

/** The hints the script adds on a page at `pathname`. */
function hintsAt(script: string, pathname: string): { rel: string; href: string; as?: string }[] {
  const links: { rel: string; href: string; as?: string }[] = [];
  runInNewContext(script, {
    location: { pathname },
    document: { createElement: () => ({}), head: { appendChild: (link: { rel: string; href: string; as?: string }) => links.push(link) } },
  });
  return links.map(({ rel, href, as }) => (as ? { rel, href, as } : { rel, href }));
}

describe('route preload (tools/routePreload.ts)', () => {
  const bundle = {
    'assets/index.js': chunk('assets/index.js', '/app/index.html', ['assets/react.js'], ['assets/index.css'], true),
    'assets/react.js': chunk('assets/react.js', null, []),
    'assets/Workspace.js': chunk(
      'assets/Workspace.js',
      '/app/src/app/WorkspaceRoute.tsx',
      ['assets/react.js', 'assets/engine.js'],
      ['assets/Workspace.css'],
    ),
    'assets/engine.js': chunk('assets/engine.js', null, ['assets/names.js']),
    'assets/names.js': chunk('assets/names.js', null, []),
    'assets/Settings.js': chunk('assets/Settings.js', '/app/src/app/SettingsRoute.tsx', ['assets/react.js']),
    'assets/index.css': { type: 'asset', fileName: 'assets/index.css' },
  };

  it('hints, on a project page, the workspace chunk and what it imports that the entry does not', () => {
    const hints = hintsAt(emitted(bundle), '/project/p1/chat/c1');
    expect(hints).toEqual(
      expect.arrayContaining([
        { rel: 'modulepreload', href: '/assets/Workspace.js' },
        { rel: 'modulepreload', href: '/assets/engine.js' },
        { rel: 'modulepreload', href: '/assets/names.js' },
        { rel: 'preload', href: '/assets/Workspace.css', as: 'style' },
      ]),
    );
    expect(hints).toHaveLength(4);
  });

  it('adds nothing on the home page or settings', () => {
    const script = emitted(bundle);
    expect(hintsAt(script, '/')).toEqual([]);
    expect(hintsAt(script, '/settings')).toEqual([]);
  });

  it('fails the build when the route chunk is missing', () => {
    const { 'assets/Workspace.js': _, ...without } = bundle;
    expect(() => emitted(without)).toThrow(/WorkspaceRoute\.tsx/);
  });

  it('writes plain ES5 a classic script can run', () => {
    expect(routePreloadScript('/project/', ['/a.js'], [])).not.toMatch(/=>|\bconst\b|\blet\b/);
  });
});
