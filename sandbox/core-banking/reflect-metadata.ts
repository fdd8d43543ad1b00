/**
 * The few `Reflect` metadata functions that tsyringe (a dependency of @peculiar/x509) checks
 * for at load time. The project has no reflect-metadata package, and the library only needs
 * a plain per-object store, so this stands in for it. Import it before @peculiar/x509.
 */
type MetadataStore = WeakMap<object, Map<unknown, unknown>>;

interface ReflectWithMetadata {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  hasMetadata?: (key: unknown, target: object) => boolean;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
}

const reflect = Reflect as unknown as ReflectWithMetadata;

if (!reflect.getMetadata) {
  const store: MetadataStore = new WeakMap();
  const own = (target: object) => store.get(target);
  // Metadata is inherited along the prototype chain, as in the reflect-metadata proposal.
  const lookup = (key: unknown, target: object): unknown => {
    for (let at: object | null = target; at; at = Object.getPrototypeOf(at)) {
      const found = own(at);
      if (found?.has(key)) return found.get(key);
    }
    return undefined;
  };
  reflect.getOwnMetadata = (key, target) => own(target)?.get(key);
  reflect.getMetadata = lookup;
  reflect.hasMetadata = (key, target) => lookup(key, target) !== undefined;
  reflect.defineMetadata = (key, value, target) => {
    const entries = own(target) ?? new Map<unknown, unknown>();
    entries.set(key, value);
    store.set(target, entries);
  };
}

export {};
