/**
 * Schemas built on their first use rather than when their module is evaluated.
 *
 * Building every zod schema of the domain when the app's scripts are evaluated was the largest part of a first
 * visit's longest task: zod took 22–105 ms of a 49–150 ms evaluation task on a cold `/` (CPU profiles of four new
 * browser contexts), although the home page validates next to nothing. Deferred, a schema costs nothing until
 * something reads it, and then it is built once.
 *
 * The stand-in forwards every operation to the built schema, so it is used exactly like one: `schema.parse(…)`,
 * `z.object({ field: schema })`, `z.infer<typeof schema>`. Its methods and getters run with the stand-in as `this`,
 * so what they return (a bound `parse`, a `.nullable()` wrapper) refers to the stand-in, the same object other
 * schemas hold as a field: zod tracks schemas by identity (JSON Schema output reuses a schema met twice), and with
 * one identity per schema its output is what it was with schemas built at once.
 */

let buildCount = 0;

/** How many deferred schemas have been built so far in this realm: a test's proof that start-up builds none. */
export function deferredSchemasBuilt(): number {
  return buildCount;
}

/**
 * A stand-in for the schema `build` returns, built on first use. Only composite schemas (objects, unions, arrays) are
 * worth deferring: a stand-in costs a proxy trap on every read, so a leaf such as an id, held as a field by every
 * record schema, stays built at once and parsing never meets a stand-in below the top (100,000 messages parsed in
 * 95–117 ms with their leaves deferred too, 63–67 ms with composites only, against 59–61 ms with nothing deferred).
 */
export function deferredSchema<Schema extends object>(build: () => Schema): Schema {
  let schema: Schema | undefined;
  const real = (): Schema => {
    if (schema === undefined) {
      schema = build();
      buildCount += 1;
    }
    return schema;
  };
  // The target only has to satisfy the proxy invariants: a property the built schema holds as non-configurable is
  // copied onto it before it is reported, since a proxy may not report such a property its target lacks.
  const target = {} as Schema;
  return new Proxy(target, {
    get: (_target, key, receiver) => Reflect.get(real(), key, receiver),
    set: (_target, key, value, receiver) => Reflect.set(real(), key, value, receiver),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      if (descriptor && !descriptor.configurable && !Reflect.getOwnPropertyDescriptor(target, key))
        Reflect.defineProperty(target, key, descriptor);
      return descriptor;
    },
    defineProperty: (_target, key, descriptor) => {
      const defined = Reflect.defineProperty(real(), key, descriptor);
      if (defined && descriptor.configurable === false) Reflect.defineProperty(target, key, Reflect.getOwnPropertyDescriptor(real(), key)!);
      return defined;
    },
    deleteProperty: (_target, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
