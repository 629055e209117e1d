/** Starts each lab scenario once, on first use, and stops them all on shutdown. */
import type { Timeouts } from '../probes/net-context';
import type { RunningLab } from './lab';
import { startLab } from './lab';
import { getScenario } from './scenarios';

export class LabManager {
  private readonly labs = new Map<string, Promise<RunningLab>>();

  constructor(private readonly timeouts: Partial<Timeouts> = {}) {}

  get(name: string): Promise<RunningLab> {
    let lab = this.labs.get(name);
    if (!lab) {
      lab = startLab(getScenario(name), { timeouts: this.timeouts });
      lab.catch(() => this.labs.delete(name)); // a failed start may be retried
      this.labs.set(name, lab);
    }
    return lab;
  }

  async stopAll(): Promise<void> {
    const running = [...this.labs.values()];
    this.labs.clear();
    await Promise.allSettled(running.map(async (p) => (await p).stop()));
  }
}
