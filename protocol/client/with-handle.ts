// Open, run, always close: the one shape every dialect's "do this on a handle" takes. A close
// error never hides the error `fn` threw; when `fn` succeeds, a close error is reported.

export async function withHandle<H, T>(open: () => Promise<H>, close: (h: H) => Promise<unknown>, fn: (h: H) => Promise<T>): Promise<T> {
  const h = await open();
  let result: T;
  try {
    result = await fn(h);
  } catch (e) {
    await close(h).catch(() => undefined);
    throw e;
  }
  await close(h);
  return result;
}
