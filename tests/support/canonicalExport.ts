type Json = Record<string, unknown>;

/** The ids of every record in a project-scope file, in file order. */
export function recordIds(data: Json): string[] {
  const ids = [(data.project as Json).id as string];
  for (const key of ['chats', 'messages', 'runs', 'candidates', 'scenarios', 'evaluations']) {
    for (const record of data[key] as Json[]) ids.push(record.id as string);
  }
  return ids;
}

/**
 * The file with ids replaced by their position ("#0" is the project) and the
 * timestamps that legitimately change on export/import removed: what
 * "identical except ids and timestamps" means, made checkable. Shared by the
 * unit round trip and the browser round trip so both check the same thing.
 */
export function canonicalExport(content: string, adjust?: (data: Json) => void): Json {
  const file = JSON.parse(content) as Json;
  const data = file.data as Json;
  adjust?.(data);
  const labels = new Map(recordIds(data).map((id, index) => [id, `#${index}`]));
  // Short ids quoted in text ("Run 3f2a91c0") are references too.
  for (const [id, label] of [...labels]) if (/^[0-9a-f]{8}-/.test(id)) labels.set(id.slice(0, 8), `${label}.short`);
  const relabel = (value: unknown): unknown => {
    if (typeof value === 'string')
      return (
        labels.get(value) ??
        value.replace(/\b[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?\b/g, (token) => labels.get(token) ?? token)
      );
    if (Array.isArray(value)) return value.map(relabel);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [labels.get(k) ?? k, relabel(v)]));
    return value;
  };
  const out = relabel(file) as Json;
  delete out.exportedAt;
  const project = (out.data as Json).project as Json;
  delete project.updatedAt;
  delete project.lastExportedAt;
  return out;
}
