// A minimal unbounded async queue: turns callback-delivered messages into an async iterator.
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private waiting: ((item: T) => void) | null = null;

  push(item: T): void {
    const waiter = this.waiting;
    if (waiter) {
      this.waiting = null;
      waiter(item);
    } else {
      this.items.push(item);
    }
  }

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => { this.waiting = resolve; });
  }
}
