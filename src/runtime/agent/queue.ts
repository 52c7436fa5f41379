/** A bounded FIFO between the sensors (synchronous emit) and the agent's asynchronous processing. */
export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: (() => void) | undefined;
  /** Items refused because the queue was full. */
  dropped = 0;
  /** Items ever accepted. */
  accepted = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity ${capacity}: expected a positive integer`);
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds an item; false (and counted as dropped) when full. Never blocks. */
  push(item: T): boolean {
    if (this.length >= this.capacity) {
      this.dropped++;
      return false;
    }
    this.items.push(item);
    this.accepted++;
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
    return true;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Resolves once an item is available (at once when one is), or when wake() is called. */
  wait(): Promise<void> {
    if (this.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const prev = this.waiter;
      this.waiter = () => {
        prev?.();
        resolve();
      };
    });
  }

  /** Releases a pending wait() (shutdown). */
  wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
