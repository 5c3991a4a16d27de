import { useState } from 'react';
import { APP_VERSION } from '../../db';
import { CURRENT_FORMAT_VERSION, formatBytes } from '../../domain';
import { BackupAllButton } from './BackupAllButton';
import { useStorageStatus } from './hooks';
import { ImportExportControls } from './ImportExportControls';
import { ensurePersistentStorage } from './storage';

/** Durability settings: persistent storage, usage against quota, backups. */
export function SettingsPanel() {
  const [refresh, setRefresh] = useState(0);
  const status = useStorageStatus(refresh);
  const [asked, setAsked] = useState<boolean | null>(null);

  const percent = status?.usageBytes != null && status.quotaBytes ? (status.usageBytes / status.quotaBytes) * 100 : null;

  return (
    <div className="settings-panel">
      <section className="card" aria-labelledby="storage-heading">
        <h2 id="storage-heading">Storage on this device</h2>
        {!status ? (
          <p className="muted">Checking…</p>
        ) : !status.supported ? (
          <p>This browser does not report storage status. Export backups regularly.</p>
        ) : (
          <dl className="storage-facts">
            <dt>Persistent storage</dt>
            <dd data-testid="persistent-status">
              {status.persisted === true ? (
                <span className="status-ok">Granted — the browser will not clear your projects to free space.</span>
              ) : status.persisted === false ? (
                <>
                  <span className="status-warn">Not granted — the browser may clear your projects when the disk is nearly full.</span>
                  <div className="row-actions">
                    <button
                      type="button"
                      onClick={() => {
                        // ensurePersistentStorage answers null when the browser cannot tell; it never rejects.
                        void ensurePersistentStorage().then((granted) => {
                          setAsked(granted);
                          setRefresh((n) => n + 1);
                        });
                      }}
                    >
                      Ask the browser to keep data
                    </button>
                  </div>
                  {asked === false && (
                    <p className="hint">
                      The browser declined. Browsers usually grant it to installed apps and sites you use often; meanwhile, export backups.
                    </p>
                  )}
                </>
              ) : (
                <span>Unknown</span>
              )}
            </dd>
            <dt>Used</dt>
            <dd data-testid="storage-usage">
              {status.usageBytes != null && status.quotaBytes != null ? (
                <>
                  {formatBytes(status.usageBytes)} of {formatBytes(status.quotaBytes)} available
                  {percent !== null && ` (${percent < 1 ? '<1' : Math.round(percent)}%)`}
                  <meter
                    className="storage-meter"
                    min={0}
                    max={status.quotaBytes}
                    value={status.usageBytes}
                    low={status.quotaBytes * 0.7}
                    high={status.quotaBytes * 0.9}
                    aria-label="Storage used"
                  />
                </>
              ) : (
                'Unknown'
              )}
            </dd>
          </dl>
        )}
        <button type="button" onClick={() => setRefresh((n) => n + 1)}>
          Refresh
        </button>
      </section>

      <section className="card" aria-labelledby="backup-heading">
        <h2 id="backup-heading">Backup and restore</h2>
        <p className="muted">
          A backup is one <code>.crucible.json</code> file with every project, chat and run. Settings and secrets are never included.
          Importing always adds new projects; it never overwrites existing ones.
        </p>
        <div className="row-actions">
          <BackupAllButton className="primary" />
          <ImportExportControls showBackup={false} />
        </div>
      </section>

      <p className="hint">
        Int Crucible {APP_VERSION} · project file format version {CURRENT_FORMAT_VERSION}
      </p>
    </div>
  );
}
