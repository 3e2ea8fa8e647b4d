/**
 * A map from names a user wrote (networks, bridges, folders) to values, as a plain object for JSON: without a
 * prototype, so `in` sees only its own keys and `d['__proto__'] = v` stores a key like any other (on `{}` a network
 * named `constructor` was taken as present and one named `__proto__` vanished from a written profile).
 */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
