import type { RuntimeEvent } from '../events.js';

export interface SensorStats {
  /** Events handed to emit(). */
  events: number;
  /** Events the sensor itself threw away (queue full, unparseable, incomplete). */
  dropped: number;
  /** Events the kernel or the engine reports as lost before the sensor saw them. */
  lost: number;
  /** Times the underlying source (bpftrace, the event stream) was restarted. */
  restarts: number;
  /** Last errors (bounded), newest last. */
  errors: string[];
}

/** One source of RuntimeEvents; every sensor of `bulwark runtime` implements it. */
export interface Sensor {
  readonly id: RuntimeEvent['sensor'];
  /** Starts producing events; resolves once the sensor is live (attached, first snapshot taken). */
  start(emit: (e: RuntimeEvent) => void): Promise<void>;
  /** Stops the sensor and whatever it started; idempotent. */
  stop(): Promise<void>;
  stats(): SensorStats;
}

const MAX_ERRORS = 20;

/** Counters shared by the sensors. */
export class StatsCounter {
  events = 0;
  dropped = 0;
  lost = 0;
  restarts = 0;
  readonly errors: string[] = [];

  error(message: string): void {
    this.errors.push(message);
    if (this.errors.length > MAX_ERRORS) this.errors.shift();
  }

  snapshot(): SensorStats {
    return { events: this.events, dropped: this.dropped, lost: this.lost, restarts: this.restarts, errors: [...this.errors] };
  }
}
