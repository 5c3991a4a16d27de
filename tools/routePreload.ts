import type { Plugin } from 'vite';

/** What a built chunk says about itself (the part of Rollup's OutputChunk this plugin reads). */
interface ChunkFacts {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
  viteMetadata?: { importedCss: Set<string> };
}

export const ROUTE_PRELOAD_FILE = 'route-preload.js';

/** A chunk's file and every file it imports statically, in no particular order. */
function staticClosure(start: string, chunks: Map<string, ChunkFacts>): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(chunks.get(file)?.imports ?? []));
  }
  return seen;
}

/**
 * The preload script's text: on a page under `prefix`, hint the browser to fetch `scripts` (modulepreload) and
 * `styles` at once, before the entry chunk has even been evaluated.
 */
export function routePreloadScript(prefix: string, scripts: string[], styles: string[]): string {
  return `// Generated at build (tools/routePreload.ts): a deep link into a project fetches the workspace's chunks alongside the entry chunk.
(function () {
  if (location.pathname.indexOf(${JSON.stringify(prefix)}) !== 0) return;
  function hint(rel, href, as) {
    var link = document.createElement('link');
    link.rel = rel;
    link.href = href;
    if (as) link.as = as;
    link.crossOrigin = '';
    document.head.appendChild(link);
  }
  ${JSON.stringify(scripts)}.forEach(function (href) { hint('modulepreload', href); });
  ${JSON.stringify(styles)}.forEach(function (href) { hint('preload', href, 'style'); });
})();
`;
}

/**
 * A page opened on a project URL needs the workspace chunk, which the entry chunk only asks for once it has been
 * downloaded and evaluated: one more round trip before anything shows. This writes a small classic script (no inline
 * code, so the Content-Security-Policy stays script-src 'self') that index.html runs first; on a `/project/` page it
 * adds modulepreload hints for the workspace chunk and the chunks it imports that the entry does not, so they download
 * while the entry chunk does. The home page loads nothing more.
 */
export function routePreload({ module, prefix }: { module: string; prefix: string }): Plugin {
  let base = '/';
  return {
    name: 'crucible-route-preload',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml() {
      return [{ tag: 'script', attrs: { src: `${base}${ROUTE_PRELOAD_FILE}` }, injectTo: 'head' }];
    },
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkFacts>();
      for (const output of Object.values(bundle)) if (output.type === 'chunk') chunks.set(output.fileName, output);
      const entry = [...chunks.values()].find((chunk) => chunk.isEntry && chunk.facadeModuleId?.endsWith('index.html'));
      const route = [...chunks.values()].find((chunk) => chunk.facadeModuleId?.endsWith(module));
      if (!entry || !route) this.error(`route preload: no ${entry ? module : 'index.html'} chunk in the build`);
      const loaded = staticClosure(entry.fileName, chunks);
      const needed = [...staticClosure(route.fileName, chunks)].filter((file) => !loaded.has(file));
      const styles = needed.flatMap((file) => [...(chunks.get(file)?.viteMetadata?.importedCss ?? [])]);
      this.emitFile({
        type: 'asset',
        fileName: ROUTE_PRELOAD_FILE,
        source: routePreloadScript(
          prefix,
          needed.map((file) => base + file),
          styles.map((file) => base + file),
        ),
      });
    },
  };
}
