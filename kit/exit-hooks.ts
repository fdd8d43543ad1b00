/**
 * Last-chance synchronous work at process exit (writing buffered audit lines), behind one
 * `exit` listener however many emitters a process creates.
 */
const hooks = new Set<() => void>();
let installed = false;

/** Runs `hook` synchronously when the process exits; returns the function that unregisters it. */
export function onProcessExit(hook: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', () => {
      for (const run of hooks) {
        try {
          run();
        } catch {
          // Exiting anyway: one failing hook must not stop the others.
        }
      }
    });
  }
  hooks.add(hook);
  return () => hooks.delete(hook);
}
