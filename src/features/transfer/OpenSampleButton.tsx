import { useState } from 'react';
import { db, getSetting, importFile, mostRecentChat, putSetting } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import { importErrorSentence } from '../../shared/errorText';
import { useLinks } from '../../shared/links';
import { ensurePersistentStorage } from './storage';
import { useAppNavigate } from '../../shared/navigation';

const SAMPLE_SETTING = 'transfer.sampleProjectId';

/**
 * Opens the bundled sample through the ordinary import path. If the sample was
 * opened before and still exists, it is reopened rather than duplicated.
 */
export function OpenSampleButton({ className }: { className?: string }) {
  const navigate = useAppNavigate();
  const links = useLinks();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function open() {
    setBusy(true);
    setError(null);
    try {
      const existing = await getSetting(SAMPLE_SETTING);
      if (typeof existing === 'string' && (await db.projects.get(existing))) {
        const chat = await mostRecentChat(existing);
        navigate(chat ? links.chat(existing, chat.id) : links.project(existing));
        return;
      }
      // Code-split: the sample and the engine load only when asked for.
      const { buildSampleProjectFile } = await import('./sample/sampleProject');
      const file = await buildSampleProjectFile();
      const result = await importFile(JSON.stringify(file));
      if (!result.ok) {
        setError(importErrorSentence(result.error));
        return;
      }
      const [imported] = result.value;
      await putSetting(SAMPLE_SETTING, imported!.projectId);
      void ensurePersistentStorage();
      // A newcomer starts where the story starts: the Setup chat; analysis and what-if are one click away.
      const setup = await db.chatSessions
        .where('projectId')
        .equals(imported!.projectId)
        .filter((chat) => chat.mode === 'setup')
        .first();
      navigate(links.chat(imported!.projectId, setup?.id ?? imported!.chatId));
    } catch (failure) {
      setError(`The sample project could not be opened: ${errorSentence(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="transfer-action">
      <button type="button" className={className} disabled={busy} onClick={() => void open()}>
        {busy ? 'Preparing the sample…' : 'Open the sample project'}
      </button>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </span>
  );
}
