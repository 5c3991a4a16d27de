import type { Message } from '../../domain';

// Placeholder until the spec editor lands (issue 4).
export function SpecUpdateCard({ message }: { message: Message }) {
  return message.meta?.kind === 'specDelta' ? <div className="card">Spec update</div> : null;
}
