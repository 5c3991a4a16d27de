// Applies the theme picked in Settings before the first paint (src/shared/theme.ts owns the key and values).
// A separate file rather than an inline script, so the Content-Security-Policy needs no 'unsafe-inline'.
try {
  var theme = localStorage.getItem('crucible.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // No storage (private mode): follow the system.
}
