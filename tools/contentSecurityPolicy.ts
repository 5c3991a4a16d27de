import type { Plugin } from 'vite';
import { POLICY_HTTP_HOSTS } from '../src/llm/policyHosts';

/**
 * The Content-Security-Policy of the built app (docs/security.md explains every directive). A `<meta>` policy cannot
 * be widened at run time, so connect-src admits every https origin and plain http only on this computer's loopback
 * addresses: a model endpoint the user adds in Settings is reachable at once, without a rebuild or a reload. The
 * hosts come from the model client, so what the client refuses up front and what the policy blocks cannot drift apart.
 */
export const CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'", 'https:', ...POLICY_HTTP_HOSTS.map((host) => `http://${host}:*`)],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'none'"],
};

export function policyText(policy: Record<string, string[]> = CONTENT_SECURITY_POLICY): string {
  return Object.entries(policy)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}

/** Puts the policy first in the built index.html's head. The dev server is left without it: hot reload injects inline scripts. */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'crucible-content-security-policy',
    apply: 'build',
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policyText() }, injectTo: 'head-prepend' }];
    },
  };
}
