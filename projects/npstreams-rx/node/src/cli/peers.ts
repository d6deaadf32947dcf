/**
 * commander and cli-progress, the command line's packages: optional peers of npstreams-rx (the
 * command's own bundle, `npx npstreams-rx`, carries both), checked when runCli starts. Missing,
 * an Error saying what to install, naming `what` needed them.
 */
export async function cliPackages(what: string): Promise<void> {
  try {
    await Promise.all([import('commander'), import('cli-progress')]);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(
        `${what}: the command line needs the packages commander and cli-progress, optional peers of npstreams-rx that are not installed here: npm install commander@^14 cli-progress@^3 (npx npstreams-rx runs without them)`,
        { cause: err },
      );
    }
    throw err;
  }
}
