// Import-boundary rule for the layers under src/. A newcomer should be able
// to read the architecture from this table: who may depend on whom.
import path from 'node:path';

const ALLOWED = {
  domain: ['domain'],
  engine: ['domain', 'engine'],
  // The language-model client and model-backed stages: fetch + SSE, no DOM and no storage; loaded lazily by features.
  llm: ['domain', 'engine', 'llm'],
  db: ['domain', 'db'],
  shared: ['domain', 'shared'],
  features: ['domain', 'engine', 'llm', 'db', 'shared', 'features'],
  app: ['domain', 'engine', 'llm', 'db', 'shared', 'features', 'app'],
};

// Layers whose only entry point from other layers is their index.ts.
const ENTRY_POINT_LAYERS = new Set(['domain', 'db']);

function layerOf(file) {
  const normalised = file.split(path.sep).join('/');
  const match = /\/src\/(domain|engine|llm|db|shared|features|app)(?:\/([^/]+))?(.*)$/.exec(normalised);
  if (!match) return null;
  const inner = match[2];
  const isEntryPoint = inner === undefined || (/^index(\.tsx?)?$/.test(inner) && match[3] === '');
  return { layer: match[1], feature: match[1] === 'features' ? inner : undefined, isEntryPoint };
}

export const layerBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the domain/engine/db/shared/features/app import boundaries' },
    schema: [],
    messages: {
      forbiddenLayer: "'{{from}}' may not import from '{{to}}' (allowed: {{allowed}}).",
      crossFeature: "Feature '{{from}}' may not import feature '{{to}}'; compose features in src/app/ instead.",
      pastEntryPoint: "'{{from}}' must import '{{to}}' through its entry point (src/{{to}}/index.ts), not '{{specifier}}'.",
      forbiddenPackage: "'{{from}}' must stay free of '{{pkg}}': {{why}}",
    },
  },
  create(context) {
    const source = layerOf(context.filename);
    if (!source) return {};
    const PURE_LAYERS = { domain: true, engine: true, llm: true };
    const checkSpecifier = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      if (!specifier.startsWith('.')) {
        const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        if (PURE_LAYERS[source.layer] && ['react', 'react-dom', 'dexie', 'dexie-react-hooks', 'react-router'].includes(pkg)) {
          context.report({
            node,
            messageId: 'forbiddenPackage',
            data: { from: source.layer, pkg, why: 'it is pure TypeScript (no UI, no storage)' },
          });
        }
        if (source.layer === 'db' && ['react', 'react-dom', 'react-router'].includes(pkg)) {
          context.report({
            node,
            messageId: 'forbiddenPackage',
            data: { from: source.layer, pkg, why: 'storage knows nothing of the UI' },
          });
        }
        return;
      }
      const target = layerOf(path.resolve(path.dirname(context.filename), specifier));
      if (!target) return;
      if (!ALLOWED[source.layer].includes(target.layer)) {
        context.report({
          node,
          messageId: 'forbiddenLayer',
          data: { from: source.layer, to: target.layer, allowed: ALLOWED[source.layer].join(', ') },
        });
        return;
      }
      // domain and db are used by many layers; their index is their whole public API, so a file inside them can
      // change without its importers knowing.
      if (ENTRY_POINT_LAYERS.has(target.layer) && target.layer !== source.layer && !target.isEntryPoint) {
        context.report({ node, messageId: 'pastEntryPoint', data: { from: source.layer, to: target.layer, specifier } });
        return;
      }
      if (source.layer === 'features' && target.layer === 'features' && target.feature !== source.feature) {
        context.report({ node, messageId: 'crossFeature', data: { from: source.feature, to: target.feature } });
      }
    };
    return {
      ImportDeclaration: (node) => checkSpecifier(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && checkSpecifier(node, node.source.value),
      ExportAllDeclaration: (node) => checkSpecifier(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && checkSpecifier(node, node.source.value),
    };
  },
};
