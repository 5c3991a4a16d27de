import { expect, test } from 'vitest';
import { z } from 'zod';
import { deferredSchema, deferredSchemasBuilt } from '../../src/domain/deferredSchema';

// This file's module graph is its own (vitest isolates test files), so the count starts with what importing did.
test('importing the domain, the database layer, the routes and the home page builds no schema', async () => {
  const before = deferredSchemasBuilt();
  await import('../../src/domain');
  await import('../../src/db');
  await import('../../src/app/routeTable');
  await import('../../src/app/firstScreen');
  await import('../../src/app/ProjectListRoute');
  expect(deferredSchemasBuilt()).toBe(before);
  const { projectSchema } = await import('../../src/domain');
  expect(projectSchema.safeParse({}).success).toBe(false);
  expect(deferredSchemasBuilt()).toBeGreaterThan(before);
});

test('a deferred schema is built once, on its first use', () => {
  let builds = 0;
  const schema = deferredSchema(() => {
    builds += 1;
    return z.object({ name: z.string().min(1, 'name must not be empty') });
  });
  expect(builds).toBe(0);
  expect(schema.parse({ name: 'a' })).toEqual({ name: 'a' });
  expect(schema.safeParse({ name: '' }).success).toBe(false);
  expect(builds).toBe(1);
});

/** The same schema twice: once deferred, once built at once, to compare what each does. */
function both<Schema extends object>(build: () => Schema): [Schema, Schema] {
  return [deferredSchema(build), build()];
}

test('it parses, fails and reports exactly as the schema it stands for', () => {
  const inner = deferredSchema(() => z.enum(['mean', 'weakest']));
  const [deferred, direct] = both(() =>
    z.object({
      id: z.string().min(1, 'id must not be empty'),
      combine: inner.default('mean'),
      weight: z.number().int().max(100).nullable(),
    }),
  );
  for (const value of [
    { id: 'a', weight: 3 },
    { id: '', combine: 'other', weight: 1.5 },
    null,
    { id: 'b', weight: null, combine: 'weakest' },
  ]) {
    const a = deferred.safeParse(value);
    const b = direct.safeParse(value);
    expect(a.success).toBe(b.success);
    expect(a.data).toEqual(b.data);
    expect(a.error?.issues).toEqual(b.error?.issues);
  }
  expect(() => deferred.parse({ id: '' })).toThrow(z.ZodError);
});

test('it composes like the schema: nested, wrapped, picked, extended, and as a union option', () => {
  const [id] = both(() => z.string().min(1));
  const record = deferredSchema(() => z.object({ id, title: z.string() }));
  const outer = z.object({ record, maybe: record.nullable(), list: z.array(id) });
  expect(outer.parse({ record: { id: 'a', title: 't' }, maybe: null, list: ['x'] })).toEqual({
    record: { id: 'a', title: 't' },
    maybe: null,
    list: ['x'],
  });
  expect(outer.safeParse({ record: { id: '', title: 't' }, maybe: null, list: [] }).success).toBe(false);
  expect(Object.keys(record.shape)).toEqual(['id', 'title']);
  expect(record.pick({ title: true }).parse({ title: 't', id: 'dropped' })).toEqual({ title: 't' });
  expect(record.extend({ extra: z.number() }).parse({ id: 'a', title: 't', extra: 1 })).toEqual({ id: 'a', title: 't', extra: 1 });
  const kind = (name: string) => deferredSchema(() => z.object({ kind: z.literal(name), at: z.number() }));
  const union = z.discriminatedUnion('kind', [kind('a'), kind('b')]);
  expect(union.parse({ kind: 'b', at: 1 })).toEqual({ kind: 'b', at: 1 });
  expect(union.safeParse({ kind: 'c', at: 1 }).success).toBe(false);
  const options = deferredSchema(() => z.enum(['x', 'y']));
  expect(options.options).toEqual(['x', 'y']);
});

test('reflection on it holds the proxy invariants and matches the schema', () => {
  const [deferred, direct] = both(() => z.object({ a: z.string() }));
  expect(deferred instanceof z.ZodObject).toBe(true);
  expect(Object.getPrototypeOf(deferred)).toBe(Object.getPrototypeOf(direct));
  // `_zod` is non-configurable on the schema: reporting it must not throw.
  expect(Object.getOwnPropertyDescriptor(deferred, '_zod')?.configurable).toBe(false);
  expect(Object.keys(deferred)).toEqual(Object.keys(direct));
  expect('_zod' in deferred).toBe(true);
  expect(z.toJSONSchema(z.object({ field: deferred }))).toEqual(z.toJSONSchema(z.object({ field: direct })));
  // JSON Schema output reuses a schema met twice by identity: a deferred one is one schema wherever it is met.
  const [id, directId] = both(() => z.string().min(1));
  const reused = (schema: z.ZodString) => z.object({ a: schema, b: schema.nullable(), c: z.array(schema) });
  expect(z.toJSONSchema(reused(id), { reused: 'ref' })).toEqual(z.toJSONSchema(reused(directId), { reused: 'ref' }));
});

test('a detached method keeps working', () => {
  const schema = deferredSchema(() => z.number().min(2));
  // eslint-disable-next-line @typescript-eslint/unbound-method -- detaching is what this test checks: zod binds its members
  const { safeParse } = schema;
  expect(safeParse(3).success).toBe(true);
  expect(safeParse(1).success).toBe(false);
});
