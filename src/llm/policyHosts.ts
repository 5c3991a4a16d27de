/**
 * The plain-http hosts the built app's Content-Security-Policy admits (any port): this computer's loopback names.
 * No IPv6 literal: a CSP source's host may not be one (CSP 3 host-char is ALPHA / DIGIT / "-"), so
 * `http://[::1]:*` would be ignored with a console error and [::1] refused anyway; http://localhost reaches it.
 */
export const POLICY_HTTP_HOSTS = ['localhost', '127.0.0.1'] as const;
