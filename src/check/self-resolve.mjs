// Module resolve hook (node:module register) of the CLI and its worker threads: a user's model
// that imports 'kuberace' gets the very modules the CLI runs (this package's src/index.ts),
// not a second copy from dist/. Two copies would mean two ApiError classes, and the engine's
// `instanceof` checks (and the model's isNotFound) would fail across them.
const self = new URL('../index.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'kuberace') return next(self, context);
  return next(specifier, context);
}
