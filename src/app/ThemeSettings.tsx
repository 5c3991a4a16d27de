import { setThemePreference, THEME_LABELS, THEME_PREFERENCES, useThemePreference } from '../shared/theme';

/** Settings → Appearance: follow the system, or always light or dark; applied at once and before the next first paint. */
export function ThemeSettings() {
  const preference = useThemePreference();
  return (
    <section className="card" aria-labelledby="appearance-heading">
      <h2 id="appearance-heading">Appearance</h2>
      <fieldset className="theme-choice">
        <legend>Theme</legend>
        {THEME_PREFERENCES.map((option) => (
          <label key={option} className="checkbox">
            <input type="radio" name="theme" value={option} checked={preference === option} onChange={() => setThemePreference(option)} />
            {THEME_LABELS[option]}
          </label>
        ))}
      </fieldset>
      <p className="hint">Kept on this device only; it is not part of project exports.</p>
    </section>
  );
}
