import { useState } from 'react';
import { setChatArchived } from '../../db';
import { errorSentence } from '../../shared/errorSentence';
import type { ChatSession } from '../../domain';

/** An archived chat still opens (links to it keep working); the banner says so and undoes it in one click. */
export function ArchivedChatBanner({ chat }: { chat: ChatSession }) {
  const [error, setError] = useState<string | null>(null);
  if (!chat.archivedAt) return null;
  return (
    <div className="banner banner-archived" role="status">
      <span>This chat is archived: it is hidden from the chat list unless “Show archived” is on.</span>
      <button
        type="button"
        onClick={() => {
          setError(null);
          setChatArchived(chat.id, false).catch((failure: unknown) => setError(errorSentence(failure)));
        }}
      >
        Unarchive
      </button>
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}
