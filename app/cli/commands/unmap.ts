// `sharekeeper unmap NAME` — removes the drive from the registry and its password from the OS
// keychain (unless another mapped drive logs in with the same account on the same server).
import { driveAccount } from '../../../main/index.js';
import type { Command } from './command.js';
import { findDrive, withServices } from './drive-context.js';

export const unmapCommand: Command = {
  name: 'unmap',
  usage: 'unmap NAME',
  summary: 'remove a drive and its saved password',
  details: [],
  minArgs: 1,
  maxArgs: 1,
  options: [],
  async run(ctx, [name]) {
    await withServices(ctx, async (services) => {
      const drive = await findDrive(services, name as string);
      await services.registry.remove(drive.id);
      ctx.io.stderr.write(`sharekeeper: unmapped ${drive.name}\n`);
      const account = driveAccount(drive);
      if (account === undefined) return;
      const sharing = (await services.registry.list()).filter((d) => driveAccount(d) === account);
      if (sharing.length > 0) {
        ctx.io.stderr.write(`sharekeeper: kept the saved password for ${account}: ${sharing.map((d) => d.name).join(', ')} still use it\n`);
        return;
      }
      try {
        if (await services.keychain.delete(account)) ctx.io.stderr.write(`sharekeeper: removed the saved password for ${account}\n`);
      } catch (e) {
        // No keychain answering means nothing was saved there by us either; say so and go on.
        ctx.io.stderr.write(`sharekeeper: could not reach the OS keychain to remove ${account}: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    });
  },
};
