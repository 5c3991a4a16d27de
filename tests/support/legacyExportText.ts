/**
 * The export serialiser as it was before exports became Blob pieces: one
 * record per line, built as one string. Kept only so a test can check that
 * the streaming serialiser writes exactly the same bytes.
 */
import type { ExportFile, ProjectExportData } from '../../src/domain';

function serialiseProject(data: ProjectExportData): string {
  const fields: string[] = [];
  for (const key of ['project', 'spec', 'worldModel'] as const) fields.push(`${JSON.stringify(key)}:${JSON.stringify(data[key])}`);
  for (const key of ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations'] as const) {
    const lines = data[key].map((record) => JSON.stringify(record));
    fields.push(lines.length ? `${JSON.stringify(key)}:[\n${lines.join(',\n')}\n]` : `${JSON.stringify(key)}:[]`);
  }
  return `{\n${fields.join(',\n')}\n}`;
}

export function legacyExportText(file: ExportFile): string {
  const { data: _data, ...header } = file;
  const parts = [JSON.stringify(header).slice(0, -1), ',"data":'];
  if (file.scope === 'project') parts.push(serialiseProject(file.data));
  else parts.push(`{"projects":[\n${file.data.projects.map(serialiseProject).join(',\n')}\n]}`);
  parts.push('}\n');
  return parts.join('');
}
