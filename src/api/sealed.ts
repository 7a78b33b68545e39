// Sockets and contexts are sealed after construction, as in zeromq.js, so a misspelt option name
// throws instead of being stored where nothing reads it. zeromq.js runs on V8 and code written for it
// sees V8's wording of these TypeErrors; JavaScriptCore words them differently, so the prototype
// chain ends in an object that rewords them. Imports nothing.

/**
 * The object to put at the end of a class's prototype chain. A property assignment reaches it only
 * when no object on the chain has that property; on a sealed instance it throws V8's TypeError.
 * (The assignment throws even in sloppy-mode code, where a sealed object would ignore it.)
 */
function sealedRoot(): object {
  return new Proxy(Object.create(Object.prototype) as object, {
    set(target, key, value, receiver) {
      if (!Object.isExtensible(receiver) && !Object.hasOwn(receiver, key)) {
        throw new TypeError(`Cannot add property ${String(key)}, object is not extensible`);
      }
      return Reflect.set(target, key, value, receiver);
    },
  });
}

/** V8's text for assigning to a property that has only a getter. */
function readOnlyError(name: string, className: string): TypeError {
  return new TypeError(`Cannot set property ${name} of #<${className}> which has only a getter`);
}

/**
 * Prepares the prototype of a class whose instances the constructor seals: unknown properties and
 * getter-only ones throw zeromq.js's TypeErrors. Call after every accessor is defined.
 */
export function rewordSealedErrors(prototype: object, className: string): void {
  Object.setPrototypeOf(prototype, sealedRoot());
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(prototype))) {
    if (descriptor.get === undefined || descriptor.set !== undefined) continue;
    Object.defineProperty(prototype, name, {
      ...descriptor,
      set() {
        throw readOnlyError(name, className);
      },
    });
  }
}
