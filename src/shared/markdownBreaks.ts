/**
 * People type a message line by line and expect to see it that way: in plain
 * Markdown a single newline joins two lines into one paragraph, so "rate LiPo: …"
 * and "rate LFP: …" would read as one run-on line. This marks every line that
 * another line follows as a hard break ("two spaces at the end"), except inside
 * fenced code, where lines already keep their breaks.
 */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function withHardLineBreaks(source: string): string {
  const lines = source.split('\n');
  let openFence: string | null = null;
  return lines
    .map((line, index) => {
      const fence = FENCE.exec(line);
      if (fence) {
        if (openFence === null) openFence = fence[1]!;
        else if (fence[1]!.startsWith(openFence[0]!) && fence[1]!.length >= openFence.length) openFence = null;
        return line;
      }
      if (openFence !== null) return line;
      const next = lines[index + 1];
      if (next === undefined || next.trim() === '' || line.trim() === '' || FENCE.test(next)) return line;
      return `${line.replace(/[ \t]+$/, '')}  `;
    })
    .join('\n');
}
