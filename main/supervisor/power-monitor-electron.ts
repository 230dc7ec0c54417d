// Electron's powerMonitor knows about sleep and resume directly; the timer-gap WakeDetector is the
// fallback for plain Node (CLI, serve). Only this file imports electron.
import { powerMonitor } from 'electron';
import type { DriveSupervisor } from './supervisor.js';

/** Forwards resume and unlock to the supervisor; returns a function that detaches. */
export function attachPowerMonitor(supervisor: Pick<DriveSupervisor, 'notifyWake'>): () => void {
  const onResume = (): void => supervisor.notifyWake();
  powerMonitor.on('resume', onResume);
  powerMonitor.on('unlock-screen', onResume);
  return () => {
    powerMonitor.off('resume', onResume);
    powerMonitor.off('unlock-screen', onResume);
  };
}
