/** Random, collision-free IDs; UUIDs keep imports with fresh IDs trivially conflict-free. */
export function newId(): string {
  return crypto.randomUUID();
}

/** The 8-character prefix users see in badges and titles ("Run 3f2a91c0"). */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(0, 8);
}
