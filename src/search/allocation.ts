/**
 * Bit allocation under an average-bits budget: choose one width per group (a layer, or an
 * input row) minimising the summed sensitivity, with sum_g count_g * bits_g <= budget * sum_g count_g.
 */
export interface AllocationGroup {
  /** Weights whose width this choice sets. */
  count: number;
  /** Sensitivity at each candidate width, aligned with the candidate list. */
  cost: number[];
}

export interface Allocation {
  /** Chosen width per group. */
  bits: number[];
  cost: number;
  /** Average bits actually used. */
  averageBits: number;
}

const totalCount = (groups: AllocationGroup[]) => groups.reduce((n, g) => n + g.count, 0);
/** Floating-point slack, so that a budget equal to an achievable average is met. */
const SLACK = 1e-9;

function capacityOf(groups: AllocationGroup[], budget: number): number {
  return budget * totalCount(groups) * (1 + SLACK);
}

/** Average bits of per-group widths, each group weighted by its count of weights. */
export function averageBits(bits: number[], counts: number[]): number {
  return bits.reduce((s, b, g) => s + b * counts[g], 0) / counts.reduce((a, b) => a + b, 0);
}

/** How far an average lies above the budget; 0 within it. */
export function budgetExcess(average: number, budget: number): number {
  return average > budget * (1 + SLACK) ? average - budget : 0;
}

/** As HAQ does: lower widths one candidate at a time from the last group back until the budget holds. */
export function lowerToBudget(bits: number[], counts: number[], candidates: number[], budget: number): number[] {
  const shortfall = budgetShortfall(candidates, budget);
  if (shortfall) throw new Error(shortfall);
  const sorted = [...candidates].sort((a, b) => a - b);
  const out = [...bits];
  while (budgetExcess(averageBits(out, counts), budget) > 0) {
    const g = [...out.keys()].reverse().find((i) => out[i] > sorted[0])!;
    out[g] = sorted[sorted.indexOf(out[g]) - 1];
  }
  return out;
}

/** One line saying why a budget cannot be met, or null. */
export function budgetShortfall(candidates: number[], budget: number): string | null {
  const lowest = Math.min(...candidates);
  return budget * (1 + SLACK) < lowest ? `budget ${budget.toFixed(3)} average bits is below the lowest width ${lowest}` : null;
}

/**
 * Exact: a dynamic programme over groups whose states are the Pareto front of (bits used, cost).
 * A state that uses more bits for no lower cost can never be part of a better solution.
 */
export function allocateExact(groups: AllocationGroup[], candidates: number[], budget: number): Allocation {
  const shortfall = budgetShortfall(candidates, budget);
  if (shortfall) throw new Error(shortfall);
  const capacity = capacityOf(groups, budget);
  interface State {
    used: number;
    cost: number;
    picks: number[];
  }
  let front: State[] = [{ used: 0, cost: 0, picks: [] }];
  for (const group of groups) {
    const next: State[] = [];
    for (const state of front) {
      candidates.forEach((bits, k) => {
        const used = state.used + group.count * bits;
        if (used <= capacity) next.push({ used, cost: state.cost + group.cost[k], picks: [...state.picks, bits] });
      });
    }
    next.sort((a, b) => a.used - b.used || a.cost - b.cost);
    front = [];
    for (const state of next) if (front.length === 0 || state.cost < front[front.length - 1].cost) front.push(state);
  }
  const best = front[front.length - 1];
  return { bits: best.picks, cost: best.cost, averageBits: best.used / totalCount(groups) };
}

/**
 * Greedy, for many groups (input rows): start every group at the lowest width, then repeatedly
 * take the upgrade with the largest cost reduction per added bit that still fits. Upgrades may
 * skip widths, since a sensitivity need not fall monotonically with bits (1-bit can beat 2-bit).
 */
export function allocateGreedy(groups: AllocationGroup[], candidates: number[], budget: number): Allocation {
  const shortfall = budgetShortfall(candidates, budget);
  if (shortfall) throw new Error(shortfall);
  const order = candidates.map((bits, k) => ({ bits, k })).sort((a, b) => a.bits - b.bits);
  const capacity = capacityOf(groups, budget);
  const level = groups.map(() => 0);
  let used = groups.reduce((n, g) => n + g.count * order[0].bits, 0);
  for (;;) {
    let best: { group: number; level: number; gain: number } | null = null;
    groups.forEach((g, i) => {
      const from = order[level[i]];
      for (let to = level[i] + 1; to < order.length; to++) {
        const added = g.count * (order[to].bits - from.bits);
        if (used + added > capacity) break;
        const gain = (g.cost[from.k] - g.cost[order[to].k]) / added;
        if (gain > 0 && (!best || gain > best.gain)) best = { group: i, level: to, gain };
      }
    });
    if (!best) break;
    const { group, level: to } = best as { group: number; level: number };
    used += groups[group].count * (order[to].bits - order[level[group]].bits);
    level[group] = to;
  }
  const bits = level.map((l) => order[l].bits);
  const cost = groups.reduce((c, g, i) => c + g.cost[order[level[i]].k], 0);
  return { bits, cost, averageBits: used / totalCount(groups) };
}
