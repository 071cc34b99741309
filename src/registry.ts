import { UsageError } from './errors.js';

/**
 * Named things of one kind (strategies, models, datasets, suites, profiles), in registration
 * order. An unknown name is a usage error that lists the valid ones.
 */
export class Registry<T extends { name: string }> {
  private readonly items = new Map<string, T>();

  constructor(
    private readonly kind: string,
    initial: readonly T[] = [],
    private readonly check?: (item: T) => void,
  ) {
    for (const item of initial) this.register(item);
  }

  register(item: T): void {
    if (this.items.has(item.name)) throw new Error(`${this.kind} "${item.name}" is registered twice`);
    this.check?.(item);
    this.items.set(item.name, item);
  }

  names(): string[] {
    return [...this.items.keys()];
  }

  get(name: string): T {
    const found = this.items.get(name);
    if (!found) throw new UsageError(`unknown ${this.kind} "${name}"; valid: ${this.names().join(', ')}`);
    return found;
  }
}
