// A deterministic pseudo-random stream (a linear congruential generator), so that "noisy" tests and
// benchmarks are repeatable run after run.
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
